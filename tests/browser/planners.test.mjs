// Browser test of the planners' tools on the cockpit (/): layer switcher, status filter, files dropped on the map as overlays, import, exports.
//
// README. Needs what cockpit.test.mjs needs (ONEMAP_BIN, DATABASE_URL of the demo database,
// frontend/dist), plus `ogr2ogr` (gdal-bin) and python3 to make a zipped Shapefile. It logs in as
// the admin `browser-test-planner` (created with the CLI), opens the cockpit at the buildings
// TileJSON centre (z17) and: hides and shows each tile layer with the switcher; filters the
// buildings by two statuses and checks that only those are drawn and that a live feature-state
// status still recolours a building (and hides it once it leaves the chosen statuses); drops a
// GeoJSON (3 areas, a line, 2 points) and a zipped Shapefile in the local CGCS2000 Gauss-Kruger
// zone (4 areas) on the map with real DataTransfer drop events and checks the overlays' feature
// counts, what is drawn, the reprojection, visibility, opacity, zoom-to and removal; drops a
// broken file and reads the server's message; checks the export links (progress by project and by
// region, the selected project's ledger, parcels and buildings) answer with real files; imports
// one self-intersecting building into the selected project, first rejecting invalid geometries
// (the job fails, nothing is written, the report names the row), then repairing them (written:
// the demo database gains the building BROWSER-TEST-BOWTIE, unchanged on later runs), then with
// 只导入通过检查的行 ticked writes a good building and returns a sliver as a file; finally
// opens the cockpit as the kiosk viewer, who gets no import tab. Screenshots:
// tests/browser/out/planners-*.png. Run:
//   cd frontend && npm run build && DATABASE_URL=… node --test ../tests/browser/planners.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {COLOR, TOLERANCE, drawnBuildings, statusAt} from './buildings.mjs';
import {KIOSK_TOKEN, OUT} from './harness.mjs';
import {bboxOf, parcelShapefileZip, plannedGeojson} from './planner-files.mjs';
import {authed, startAsAdmin} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'browser-test-planner', password: 'browser-test-planner-Pw-2026'};
const OVERLAY_LAYERS = key => [`${key}-fill`, `${key}-line`, `${key}-point`];

let server, browser, page, admin, centre;
/** The GeoJSON file dropped, and the overlays (their source ids) the two files became. */
let planned, plannedKey, parcelsKey;
const problems = [];
/** The broken file's 4xx answer is logged by Chromium as a console error: expected while this is set. */
let refusing = false;

const shot = name => page.screenshot({path: path.join(OUT, `planners-${name}.png`)});

/** Waits until the map stopped moving and has drawn everything, its label points included. */
async function settle() {
    await page.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 30_000});
    await drawn(page);
}

/** Style layers' visibility, by id. */
const visibility = ids => page.evaluate(list => Object.fromEntries(list.map(id => [id, window.__map.getLayoutProperty(id, 'visibility') ?? 'visible'])), ids);

/** Rendered features of `layers` as [layer id, feature id] pairs. */
const rendered = layers => page.evaluate(ls => window.__map.queryRenderedFeatures({layers: ls}).map(f => [f.layer.id, f.id]), layers);
const uniqueIds = hits => new Set(hits.map(([, id]) => id)).size;

/** Drags files over the map and drops them, as a person would from a file manager: dragenter, dragover, drop with one DataTransfer. */
async function dropFiles(files, {beforeDrop} = {}) {
    const dataTransfer = await page.evaluateHandle(list => {
        const dt = new DataTransfer();
        for (const f of list) {
            const bytes = Uint8Array.from(atob(f.base64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], f.name, {type: f.type}));
        }
        return dt;
    }, files.map(f => ({name: f.name, type: f.type, base64: Buffer.from(f.bytes).toString('base64')})));
    await page.dispatchEvent('.maplibregl-canvas', 'dragenter', {dataTransfer});
    await page.dispatchEvent('.maplibregl-canvas', 'dragover', {dataTransfer});
    await beforeDrop?.();
    await page.dispatchEvent('.maplibregl-canvas', 'drop', {dataTransfer});
    await dataTransfer.dispose();
}

/** Drops the files and resolves with the source id of the overlay they became (its row's data-overlay). */
async function dropOverlay(files, opts) {
    const before = await page.locator('.om-overlay').evaluateAll(rows => rows.map(r => r.dataset.overlay));
    await dropFiles(files, opts);
    await page.waitForFunction(n => document.querySelectorAll('.om-overlay').length > n, before.length, {timeout: 30_000});
    const after = await page.locator('.om-overlay').evaluateAll(rows => rows.map(r => r.dataset.overlay));
    return after.find(k => !before.includes(k));
}

/** Selects a project of the selected region, as a click on its row would, unless a project is selected; resolves with its list row. */
async function selectProject() {
    const current = await page.evaluate(() => {
        const v = window.__drill.view;
        return v.selection.kind === 'project' ? v.children?.projects.find(p => p.id === v.selection.id) ?? null : null;
    });
    if (current) return current;
    const region = await page.evaluate(() => window.__drill.view.selection.code ?? '');
    const list = await authed(server.base, admin, '/api/figures/projects');
    assert.equal(list.status, 200);
    const project = list.body.projects.find(p => p.region_code?.startsWith(region)) ?? list.body.projects[0];
    await page.evaluate(id => window.__drill.project(id), project.id);
    await page.waitForFunction(id => window.__drill.view.children?.projects.some(p => p.id === id), project.id, {timeout: 20_000});
    await settle();
    return page.evaluate(id => window.__drill.view.children.projects.find(p => p.id === id), project.id);
}

/** Opens a toolbox tab unless it is open already. */
async function openTab(key) {
    const tab = page.locator(`.om-toolbox [data-tab="${key}"]`);
    if (await tab.getAttribute('aria-pressed') !== 'true') await tab.click();
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-planners', problems));
    page.on('console', msg => {
        if (msg.type() !== 'error') return;
        if (refusing && /\/api\/overlay/.test(msg.location()?.url ?? '')) return;
        problems.push(`console: ${msg.text()} ${msg.location()?.url ?? ''}`);
    });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    // The admin's session, as the login form would have left it.
    const [name, value] = admin.cookie.split(/=(.*)/s);
    await browser.context.addCookies([{name, value, url: server.base}]);

    const tj = await authed(server.base, admin, '/tiles/buildings.json');
    assert.equal(tj.status, 200, `buildings TileJSON: ${JSON.stringify(tj.body)}`);
    centre = tj.body.center;
    await page.goto(`${server.base}/#17/${centre[1]}/${centre[0]}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.locator('.om-toolbox').waitFor({timeout: 10_000});
    await settle();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('the layer switcher hides and shows each tile layer', async () => {
    await openTab('layers');
    const groups = {
        buildings: ['buildings-fill', 'buildings-line'],
        parcels: ['parcels-fill', 'parcels-line'],
        projects: ['projects-fill', 'projects-line', 'projects-label'],
        regions: ['regions-fill-community', 'regions-line-street', 'regions-label-district'],
    };
    assert.ok((await rendered(['buildings-fill'])).length > 0, 'no building drawn at the buildings TileJSON centre');
    for (const [group, ids] of Object.entries(groups)) {
        const box = page.locator(`.om-layers input[data-layer="${group}"]`);
        assert.equal(await box.isChecked(), true, `${group} starts hidden`);
        await box.uncheck();
        assert.deepEqual(Object.values(await visibility(ids)), ids.map(() => 'none'), `${group} still shown`);
    }
    // The clicks of the drill-down still find regions under a hidden choropleth.
    assert.equal((await visibility(['regions-hit']))['regions-hit'], 'visible');
    await settle();
    assert.equal((await rendered(['buildings-fill', 'parcels-fill'])).length, 0, 'hidden buildings or parcels are drawn');
    await page.mouse.move(5, 500);
    await shot('layers-off');
    for (const [group, ids] of Object.entries(groups)) {
        await page.locator(`.om-layers input[data-layer="${group}"]`).check();
        assert.deepEqual(Object.values(await visibility(ids)), ids.map(() => 'visible'), `${group} not shown again`);
    }
    await settle();
    assert.ok((await rendered(['buildings-fill'])).length > 0, 'buildings not drawn again');
});

test('buildings filtered by status, live colours still applied', async () => {
    await openTab('layers');
    const drawn = await drawnBuildings(page);
    const counts = {};
    for (const b of drawn) counts[b.status] = (counts[b.status] ?? 0) + 1;
    const common = Object.keys(counts).sort((a, b) => counts[b] - counts[a]);
    assert.ok(common.length >= 2, `buildings in view have only the statuses ${common}`);
    const keep = common.slice(0, 2);
    for (const s of Object.keys(COLOR).filter(x => !keep.includes(x))) await page.locator(`.om-layers input[data-status="${s}"]`).uncheck();
    await settle();

    const statuses = await page.evaluate(() => window.__map.queryRenderedFeatures({layers: ['buildings-fill']}).map(f => f.properties.status));
    assert.ok(statuses.length > 0, 'no building drawn with the filter on');
    assert.deepEqual([...new Set(statuses)].sort(), [...keep].sort(), 'the filter lets other statuses through');
    const fill = await page.evaluate(() => JSON.stringify(window.__map.getPaintProperty('buildings-fill', 'fill-color')));
    assert.match(fill, /feature-state/, 'the building colour no longer reads the live status');

    // A live change (as the feed applies it) recolours a filtered building, and hides it once it leaves the chosen statuses.
    await page.mouse.move(5, 500);
    const target = (await drawnBuildings(page)).find(b => b.status === keep[0]);
    assert.ok(target, `no ${keep[0]} building drawn clear of the panels`);
    assert.equal((await statusAt(page, target.x, target.y)).status, keep[0]);
    const setLive = status => page.evaluate(([id, s]) => new Promise(r => {
        window.__map.setFeatureState({source: 'buildings', sourceLayer: 'buildings', id}, {status: s});
        window.__map.once('idle', r);
        window.__map.triggerRepaint();
    }), [target.id, status]);
    await setLive(keep[1]);
    const recoloured = await statusAt(page, target.x, target.y);
    assert.ok(recoloured.status === keep[1] && recoloured.distance <= TOLERANCE, `building ${target.id} looks ${JSON.stringify(recoloured)}, not ${keep[1]}`);
    await shot('filter');
    const outside = Object.keys(COLOR).find(s => !keep.includes(s));
    await setLive(outside);
    const hidden = await statusAt(page, target.x, target.y);
    assert.ok(hidden.distance > TOLERANCE, `building ${target.id} moved live to ${outside} is still drawn (${JSON.stringify(hidden)})`);
    await page.evaluate(id => window.__map.removeFeatureState({source: 'buildings', sourceLayer: 'buildings', id}), target.id);

    await page.locator('.om-layers .om-subhead button').click(); // 全部 All
    assert.equal(await page.evaluate(() => window.__map.getFilter('buildings-fill') ?? null), null, 'the filter was not lifted');
    assert.equal(await page.locator('.om-layers input[data-status]:checked').count(), 5);
});

test('a GeoJSON file dropped on the map becomes an overlay', async () => {
    planned = plannedGeojson(centre[0] - 0.002, centre[1] + 0.001);
    plannedKey = await dropOverlay([{name: 'planned-roads.geojson', type: 'application/geo+json', bytes: Buffer.from(JSON.stringify(planned))}], {
        beforeDrop: async () => {
            await page.locator('.om-drop-hint').waitFor({state: 'visible', timeout: 2_000});
            await shot('drop-hint');
        },
    });
    const row = page.locator(`.om-overlay[data-overlay="${plannedKey}"]`);
    assert.equal(await page.locator('.om-drop-hint').isVisible(), false, 'the drop hint stayed');
    assert.match(await row.locator('.om-overlay-name').innerText(), /planned-roads/);
    assert.match(await row.locator('.om-overlay-count').innerText(), /^6\b/);
    assert.equal(await page.evaluate(async key => (await window.__map.getSource(key).getData()).features.length, plannedKey), 6);

    await settle(); // it zooms to the new overlay
    const hits = await rendered(OVERLAY_LAYERS(plannedKey));
    const of = kind => uniqueIds(hits.filter(([l]) => l === `${plannedKey}-${kind}`));
    assert.equal(uniqueIds(hits), 6, 'not every feature of the file is drawn');
    assert.equal(of('fill'), 3, 'areas filled');
    assert.equal(of('line'), 4, 'area outlines and the line');
    assert.equal(of('point'), 2, 'points');
    await page.mouse.move(5, 500);
    await shot('overlay-geojson');
});

test('a zipped Shapefile in a Gauss-Kruger zone dropped on the map is reprojected and overlaid', async () => {
    const shp = parcelShapefileZip(centre[0], centre[1]);
    parcelsKey = await dropOverlay([{name: 'planned_parcels.zip', type: 'application/zip', bytes: shp.bytes}]);
    const row = page.locator(`.om-overlay[data-overlay="${parcelsKey}"]`);
    assert.match(await row.locator('.om-overlay-count').innerText(), /^4\b/);
    assert.match(await row.locator('.om-overlay-name').getAttribute('title'), new RegExp(String(shp.epsg)), 'the source CRS is not named');
    const data = await page.evaluate(async key => await window.__map.getSource(key).getData(), parcelsKey);
    assert.equal(data.features.length, 4);
    // Back in WGS84 to a tenth of a metre: right zone, right axis order.
    const got = bboxOf(data), want = bboxOf(shp.wgs84);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-6, `bbox ${got} is not ${want}`);
    await settle();
    assert.equal(uniqueIds(await rendered(OVERLAY_LAYERS(parcelsKey))), 4, 'not every parcel of the Shapefile is drawn');
    await page.mouse.move(5, 500);
    await shot('overlay-shapefile');
});

test('an overlay can be zoomed to, hidden, faded and removed', async () => {
    assert.ok(plannedKey && parcelsKey, 'the files were not overlaid');
    const row = page.locator(`.om-overlay[data-overlay="${plannedKey}"]`);
    // From somewhere else (the zoom to the Shapefile moved the map off it), back with "zoom to".
    await page.evaluate(c => window.__map.jumpTo({center: [c[0] + 0.03, c[1] + 0.02], zoom: 15}), centre);
    await settle();
    assert.equal((await rendered(OVERLAY_LAYERS(plannedKey))).length, 0, 'the overlay is still in view');
    await row.locator('.om-overlay-zoom').click();
    await settle();
    const [w, s, e, n] = bboxOf(planned);
    const view = await page.evaluate(() => {
        const b = window.__map.getBounds();
        return {bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom: window.__map.getZoom()};
    });
    assert.ok(view.bounds[0] <= w && view.bounds[1] <= s && view.bounds[2] >= e && view.bounds[3] >= n,
        `the view ${view.bounds} does not hold the overlay ${[w, s, e, n]}`);
    assert.ok(view.zoom > 14, `zoomed to ${view.zoom} only`);
    assert.equal(uniqueIds(await rendered(OVERLAY_LAYERS(plannedKey))), 6, 'not all of the overlay is drawn after zooming to it');

    await row.locator('.om-overlay-visible').uncheck();
    assert.deepEqual(Object.values(await visibility(OVERLAY_LAYERS(plannedKey))), ['none', 'none', 'none']);
    await settle();
    assert.equal((await rendered(OVERLAY_LAYERS(plannedKey))).length, 0, 'a hidden overlay is drawn');
    await row.locator('.om-overlay-visible').check();
    await settle();
    assert.equal(uniqueIds(await rendered(OVERLAY_LAYERS(plannedKey))), 6, 'the overlay is not drawn again');

    await row.locator('.om-overlay-opacity').fill('0.3');
    const paint = await page.evaluate(key => ({
        fill: window.__map.getPaintProperty(`${key}-fill`, 'fill-opacity'),
        line: window.__map.getPaintProperty(`${key}-line`, 'line-opacity'),
        point: window.__map.getPaintProperty(`${key}-point`, 'circle-opacity'),
    }), plannedKey);
    assert.ok(Math.abs(paint.line - 0.3) < 1e-9 && Math.abs(paint.point - 0.3) < 1e-9 && paint.fill < 0.3, `opacities ${JSON.stringify(paint)}`);
    await settle();
    await page.mouse.move(5, 500);
    await shot('overlay-faded');

    await page.locator(`.om-overlay[data-overlay="${parcelsKey}"] .om-overlay-remove`).click();
    await page.locator(`.om-overlay[data-overlay="${parcelsKey}"]`).waitFor({state: 'detached', timeout: 5_000});
    const left = await page.evaluate(key => ({source: Boolean(window.__map.getSource(key)),
        layers: window.__map.getStyle().layers.filter(l => l.id.startsWith(`${key}-`)).length}), parcelsKey);
    assert.deepEqual(left, {source: false, layers: 0}, 'the removed overlay is still on the map');
});

test('a file the server cannot read shows its message', async () => {
    refusing = true;
    const overlays = await page.locator('.om-overlay').count();
    await dropFiles([{name: 'broken.geojson', type: 'application/geo+json', bytes: Buffer.from('{"type": "FeatureCollection", "features": [')}]);
    const message = page.locator('.om-overlays .om-message-error');
    await message.waitFor({state: 'visible', timeout: 30_000});
    const text = await message.innerText();
    assert.match(text, /broken\.geojson: \S/, `message: ${text}`);
    assert.doesNotMatch(text, /[{}]/, `the raw JSON body is shown: ${text}`);
    assert.equal(await page.locator('.om-overlay').count(), overlays, 'a broken file added an overlay');
    await shot('overlay-error');
    refusing = false;
});

test('export links follow the selection and answer with real files', async () => {
    await openTab('export');
    const region = await page.evaluate(() => window.__drill.view.selection);
    assert.equal(region.kind, 'region', 'the cockpit opened without a region selected');
    const href = key => page.locator(`.om-export a[data-export="${key}"]`).getAttribute('href');
    // both progress tables keep to the selected region
    assert.match(await href('projects'), new RegExp(`/api/exports/projects\\.xlsx\\?region=${region.code}$`));
    assert.match(await href('regions'), new RegExp(`/api/exports/regions\\.xlsx\\?region=${region.code}$`));
    assert.equal(await page.locator('.om-export a[data-export="ledger"]').count(), 0, 'project links without a selected project');

    const project = await selectProject();
    await page.locator('.om-export a[data-export="ledger"]').waitFor({timeout: 20_000});
    // The progress by region is now that of the project's region.
    const projectRegion = await page.evaluate(() => window.__drill.view.selection.regionCode);
    assert.match(await href('regions'), new RegExp(`/api/exports/regions\\.xlsx\\?region=${projectRegion}$`));
    // 一周一通报 of the same region, as a PDF the server draws
    assert.match(await href('weekly'), new RegExp(`/api/reports/weekly/${projectRegion}\\.pdf$`));

    const XLSX = 'PK\u0003\u0004';
    for (const key of ['projects', 'regions', 'weekly', 'ledger', 'parcels', 'buildings', 'geopackage']) {
        const url = await href(key);
        if (['ledger', 'parcels', 'buildings', 'geopackage'].includes(key)) assert.ok(url.includes(`/projects/${encodeURIComponent(project.code)}/`), `${key}: ${url}`);
        // Fetched as the link would be, with the page's session.
        const got = await page.evaluate(async u => {
            const res = await fetch(u);
            const bytes = new Uint8Array(await res.arrayBuffer());
            return {status: res.status, type: res.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 4)),
                text: bytes.length < 5e6 ? new TextDecoder().decode(bytes) : ''};
        }, url);
        assert.equal(got.status, 200, `${key} ${url}: HTTP ${got.status} ${got.text.slice(0, 200)}`);
        if (key === 'parcels' || key === 'buildings') {
            const fc = JSON.parse(got.text);
            assert.equal(fc.type, 'FeatureCollection');
            assert.ok(fc.features.length > 0, `the project's ${key}.geojson is empty`);
        } else if (key === 'weekly') {
            assert.equal(got.head, '%PDF', `the weekly report is not a PDF (${got.type})`);
        } else if (key === 'geopackage') {
            // a GeoPackage is an SQLite database
            assert.equal(got.head, 'SQLi', `the GeoPackage is not SQLite (${got.type})`);
        } else {
            assert.equal(got.head, XLSX, `${key} is not a workbook (${got.type})`);
        }
    }
    await page.mouse.move(5, 500);
    await shot('export');

    // The same card in English.
    await page.click('.om-lang button[data-lang="en"]');
    assert.equal(await page.locator('.om-toolbox [data-tab="export"]').innerText(), 'Export');
    assert.match(await page.locator('.om-export h2').innerText(), /^Export/);
    await shot('export-en');
    await page.click('.om-lang button[data-lang="zh"]');
    assert.equal(await page.locator('.om-toolbox [data-tab="export"]').innerText(), '导出');
});

/** Fills the import form and submits it; resolves with the states the card went through and the report it shows. */
async function runImport(file, {target, invalid, acceptValid = false}) {
    const card = page.locator('.om-import');
    await card.locator('select').first().selectOption(target);
    await card.locator('select').nth(1).selectOption(invalid);
    await card.locator('input[name=accept_valid]').setChecked(acceptValid);
    await card.locator('input[type=file]').setInputFiles(file);
    await page.evaluate(() => {
        const el = document.querySelector('.om-import');
        window.__importStates = [];
        window.__importWatch?.disconnect();
        window.__importWatch = new MutationObserver(() => {
            const s = el.dataset.state;
            if (s && window.__importStates.at(-1) !== s) window.__importStates.push(s);
        });
        window.__importWatch.observe(el, {attributes: true, attributeFilter: ['data-state']});
    });
    const polls = [];
    const onRequest = req => { if (/\/api\/imports\/imp-/.test(req.url())) polls.push(Date.now()); };
    browser.context.on('request', onRequest);
    await card.locator('button[type=submit]').click();
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('.om-import').dataset.state), null, {timeout: 60_000});
    browser.context.off('request', onRequest);
    const rows = sel => card.locator(`${sel} tbody tr`).evaluateAll(rs => rs.map(r => [...r.cells].map(c => c.textContent)));
    return {
        again: await card.locator('button[type=submit]').isEnabled(),
        states: await page.evaluate(() => window.__importStates),
        polls: polls.length,
        line: await card.locator('.om-import-state').innerText(),
        message: await card.locator('.om-message').isVisible() ? await card.locator('.om-message').innerText() : '',
        counts: Object.fromEntries(await card.locator('.om-report-counts > div').evaluateAll(ds => ds.map(d => [d.dataset.count, Number(d.querySelector('dd').textContent.replace(/\D/g, ''))]))),
        repaired: await rows('.om-report-repaired'),
        rejected: await rows('.om-report-rejected'),
        files: await card.locator('.om-import-rejected-files a').evaluateAll(as => as.map(a => a.href)),
    };
}

test('an import shows upload, then the job\'s progress, then its report', async () => {
    await openTab('import');
    const card = page.locator('.om-import');
    const {code} = await selectProject();
    assert.equal(await card.locator('input[list]').inputValue(), code, 'the selected project does not fill the project code');

    // A surveyed building whose footprint crosses itself (a bow tie, 10 m), inside one of the project's parcels.
    const parcels = await authed(server.base, admin, `/ogc/collections/parcels/items?project=${encodeURIComponent(code)}&limit=1`);
    assert.equal(parcels.status, 200, `parcels of ${code}: ${JSON.stringify(parcels.body).slice(0, 300)}`);
    const [w, s, e, n] = bboxOf(parcels.body);
    const [x, y, d] = [(w + e) / 2, (s + n) / 2, 0.00005];
    const bowtie = {type: 'FeatureCollection', features: [{type: 'Feature', properties: {code: 'BROWSER-TEST-BOWTIE', floors: 2, floor_area: 120},
        geometry: {type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y + d], [x + d, y - d], [x - d, y + d], [x - d, y - d]]]}}]};
    const file = {name: 'bowtie.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bowtie))};

    // Rejecting invalid geometries: the one row is rejected, and so nothing is written.
    const rejected = await runImport(file, {target: 'buildings', invalid: 'reject'});
    assert.equal(rejected.states[0], 'uploading', `states: ${rejected.states}`);
    assert.equal(rejected.states.at(-1), 'failed', `states: ${rejected.states}; ${rejected.message}`);
    assert.ok(rejected.polls >= 1, 'the job was never polled');
    assert.equal(rejected.rejected.length, 1, `rejected rows: ${JSON.stringify(rejected.rejected)}`);
    assert.deepEqual(rejected.rejected[0].slice(0, 2), ['1', 'BROWSER-TEST-BOWTIE']);
    assert.ok(rejected.rejected[0][2].length > 0, 'no problem named');
    assert.match(rejected.message, /未写入/, `message: ${rejected.message}`);
    await page.mouse.move(5, 500);
    await shot('import-rejected');

    // Repairing them: written (inserted the first time, unchanged on a database an earlier run left it in).
    const repaired = await runImport(file, {target: 'buildings', invalid: 'repair'});
    assert.equal(repaired.states.at(-1), 'done', `states: ${repaired.states}; ${repaired.message}`);
    assert.match(repaired.line, /^完成 · 1 \/ 1$/);
    assert.equal(repaired.counts.inserted + repaired.counts.updated + repaired.counts.unchanged, 1, JSON.stringify(repaired.counts));
    assert.deepEqual(repaired.repaired.map(r => r.slice(0, 2)), [['1', 'BROWSER-TEST-BOWTIE']], `repaired: ${JSON.stringify(repaired.repaired)}`);
    assert.deepEqual(repaired.rejected, []);
    assert.equal(repaired.message, '');
    assert.ok(rejected.again && repaired.again, 'the form cannot be sent again');
    await page.mouse.move(5, 500);
    await shot('import');

    // Only the rows that pass: a good building is written, a 0.5 m sliver left out and offered back as a file.
    const good = bowtie.features[0];
    const partial = {type: 'FeatureCollection', features: [
        {...good, properties: {...good.properties, code: 'BROWSER-TEST-GOOD'}, geometry: {type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]]}},
        {...good, properties: {...good.properties, code: 'BROWSER-TEST-SLIVER'}, geometry: {type: 'Polygon', coordinates: [[[x, y], [x + 0.000005, y], [x + 0.000005, y + 0.000005], [x, y + 0.000005], [x, y]]]}},
    ]};
    const some = await runImport({name: 'partial.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(partial))},
        {target: 'buildings', invalid: 'repair', acceptValid: true});
    assert.equal(some.states.at(-1), 'done', `states: ${some.states}; ${some.message}`);
    assert.deepEqual(some.rejected.map(r => r.slice(0, 2)), [['2', 'BROWSER-TEST-SLIVER']], `rejected: ${JSON.stringify(some.rejected)}`);
    assert.match(some.message, /1 行未导入/, `message: ${some.message}`);
    assert.equal(some.files.length, 2, 'no links to the rejected rows');
    const back = await page.evaluate(async u => (await fetch(u)).json(), some.files[0]);
    assert.deepEqual(back.features.map(f => [f.properties.code, f.properties.row]), [['BROWSER-TEST-SLIVER', 2]]);
    assert.ok(back.features[0].properties.reason, 'the rejected row carries no reason');
    await page.mouse.move(5, 500);
    await shot('import-partial');
    await page.click('.om-lang button[data-lang="en"]');
    assert.match(await card.locator('.om-import-rejected-files').innerText(), /^Rejected rows:/);
    await shot('import-partial-en');
    await page.click('.om-lang button[data-lang="zh"]');
    await page.locator('.om-import input[name=accept_valid]').setChecked(false);

    // The household ledger template, to fill in and import as households.
    const template = await card.locator('a[download="households.xlsx"]').getAttribute('href');
    assert.match(template, /\/api\/imports\/template\/households\.xlsx$/);
    const t = await page.evaluate(async u => { const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer()); return {status: r.status, head: String.fromCharCode(...b.slice(0, 4))}; }, template);
    assert.deepEqual(t, {status: 200, head: 'PK\u0003\u0004'}, 'the household template is not a workbook');
});

test('a viewer gets the layers, overlays and exports but no import', async () => {
    // Last: the kiosk login replaces the admin's session cookie in this browser.
    const viewer = await browser.context.newPage();
    viewer.on('pageerror', err => problems.push(`viewer page error: ${err}`));
    await viewer.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}`);
    await viewer.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    const tabs = await viewer.locator('.om-toolbox [data-tab]').evaluateAll(bs => bs.map(b => b.dataset.tab));
    assert.deepEqual(tabs, ['layers', 'overlays', 'export']);
    assert.equal(await viewer.locator('.om-import').count(), 0);
    await viewer.close();
});

test('nothing was fetched from outside the machine and the console has no errors', () => {
    assert.deepEqual(problems, []);
});
