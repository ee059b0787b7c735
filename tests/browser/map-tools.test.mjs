// Browser test of the cockpit's map tools (/, 1920×1080): search and fly, measure a distance, draw a boundary and read its counts, download its XLSX, an overlay feature's popup, a project's name in the trend title.
//
// README. Needs what planners.test.mjs needs (ONEMAP_BIN, DATABASE_URL of the demo database,
// PSQL_URL, frontend/dist, `ogrinfo` from gdal-bin). Logs in as the admin
// `browser-test-maptools` and: types a building's code into the search box, picks it with the
// keyboard and checks the map flew there and outlined it; searches a project by name and checks
// the panels select it; measures a distance between two clicks and compares it with PostGIS's
// geodesic distance of the same points; draws a boundary of four clicks and a double-click and
// checks the counts shown equal POST /api/within's for the same polygon and the download's rows
// equal the building count; drops a GeoJSON overlay and clicks its point for the attribute popup;
// opens ?project=ID and reads the project's name, not "#ID", over the trend. Screenshots:
// tests/browser/out/maptools-*.png. Run: /work/wt/tools/btest tests/browser/map-tools.test.mjs
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {plannedGeojson} from './planner-files.mjs';
import {authed, startAsAdmin} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'browser-test-maptools', password: 'browser-test-maptools-Pw-2026'};
let server, browser, page, admin, centre;
const problems = [];
const shot = name => page.screenshot({path: path.join(OUT, `maptools-${name}.png`)});

async function settle() {
    await page.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 30_000});
    await drawn(page);
}

/** Pixel positions on the page of lon/lat points (the map fills the window). */
const pixels = points => page.evaluate(ps => ps.map(p => { const xy = window.__map.project(p); return [xy.x, xy.y]; }), points);
/** Back to the buildings' centre at z16 without reloading the page. */
async function home() {
    await page.evaluate(c => window.__map.jumpTo({center: c, zoom: 16}), centre);
    await settle();
}
const lngLats = xys => page.evaluate(ps => ps.map(([x, y]) => { const l = window.__map.unproject([x, y]); return [l.lng, l.lat]; }), xys);

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-maptools', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    await page.setViewportSize({width: 1920, height: 1080});
    const [name, value] = admin.cookie.split(/=(.*)/s);
    await browser.context.addCookies([{name, value, url: server.base}]);
    const tj = await authed(server.base, admin, '/tiles/buildings.json');
    assert.equal(tj.status, 200);
    centre = tj.body.center;
    await page.goto(`${server.base}/#16/${centre[1]}/${centre[0]}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.locator('.om-maptools').waitFor({timeout: 10_000});
    await settle();
});

after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, [], 'no console errors, page errors or external requests');
});

test('search: a building by code with the keyboard, flown to and outlined; a project by name becomes the selection', async t => {
    const [b] = await query(`SELECT b.id, b.code, ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
                               FROM buildings b ORDER BY b.id DESC LIMIT 1`);
    const started = Date.now();
    const input = page.locator('.om-search-input');
    await input.click();
    await input.fill(b.code);
    const hit = page.locator(`.om-search-hit[data-code="${b.code}"]`);
    await hit.waitFor({timeout: 10_000});
    assert.equal(await page.locator('.om-search-hit').first().getAttribute('data-code'), b.code, 'the exact code ranks first');
    await input.press('ArrowDown');
    await input.press('ArrowUp');
    await input.press('Enter');
    await page.locator(`.om-popup [data-found="${b.code}"]`).waitFor({timeout: 10_000});
    await settle();
    const [[x, y]] = await pixels([[b.lon, b.lat]]);
    const under = await page.evaluate(([px, py]) => window.__map.queryRenderedFeatures([px, py], {layers: ['buildings-fill']})
        .map(f => ({id: f.id, selected: window.__map.getFeatureState({source: 'buildings', sourceLayer: 'buildings', id: f.id}).selected})), [x, y]);
    assert.deepEqual(under.find(f => f.id === b.id), {id: b.id, selected: true}, `the building is drawn at its place and outlined: ${JSON.stringify(under)}`);
    assert.ok(x > 0 && x < 1920 && y > 0 && y < 1080);
    t.diagnostic(`search a building by code and fly: typing + 3 keys, ${Date.now() - started} ms`);
    await shot('search-building');

    const [p] = await query(`SELECT id, name FROM projects ORDER BY id DESC LIMIT 1`);
    await input.fill(p.name);
    await page.locator('.om-search-hit[data-kind="project"]').first().waitFor({timeout: 10_000});
    await input.press('Enter');
    await page.waitForFunction(id => window.__drill.view.selection.kind === 'project' && window.__drill.view.selection.id === id, p.id, {timeout: 10_000});
    await page.waitForFunction(name => document.querySelector('.om-trend .om-card-note')?.textContent === name, p.name, {timeout: 10_000});
    await settle();
    await shot('search-project');
});

test('measure: a distance between two clicks equals the geodesic distance within 0.5 %', async t => {
    await home();
    const started = Date.now();
    await page.locator('.om-tool[data-tool="distance"]').click();
    const a = [800, 500], b = [1100, 650];
    await page.mouse.click(...a);
    await page.mouse.dblclick(...b);
    const readout = page.locator('.om-measure-readout');
    const text = await readout.textContent();
    const [[m]] = [text.match(/([\d,.]+) (k?m)\b/).slice(1)].map(([v, unit]) => [Number(v.replace(/,/g, '')) * (unit === 'km' ? 1000 : 1)]);
    const [pa, pb] = await lngLats([a, b]);
    const [{d}] = await query(`SELECT ST_Distance(ST_MakePoint(${pa[0]}, ${pa[1]})::geography, ST_MakePoint(${pb[0]}, ${pb[1]})::geography) AS d`);
    assert.ok(Math.abs(m - d) / d < 0.005, `shown ${text} vs PostGIS ${d.toFixed(1)} m`);
    t.diagnostic(`measure a distance: 3 clicks (tool, point, double-click), ${Date.now() - started} ms; ${text} vs ${d.toFixed(1)} m`);
    await shot('measure-distance');
    await page.locator('.om-tool[data-tool="area"]').click();
    for (const xy of [[800, 450], [1000, 450], [1000, 650]]) await page.mouse.click(...xy);
    await page.mouse.dblclick(800, 650);
    assert.match(await readout.textContent(), /面积 [\d,]+ m² · [\d,.]+ 亩 · [\d,.]+ 公顷，周长/);
    await shot('measure-area');
    await page.locator('.om-tool[data-tool="clear"]').click();
});

test('a drawn boundary: counts equal the API, the list and the XLSX the building count', async t => {
    const started = Date.now();
    await page.locator('.om-tool[data-tool="within"]').click();
    for (const xy of [[760, 380], [1160, 380], [1160, 700]]) await page.mouse.click(...xy);
    await page.mouse.dblclick(760, 700);
    const figures = page.locator('.om-within-figures');
    await figures.waitFor({timeout: 20_000});
    t.diagnostic(`count inside a boundary: 5 clicks, ${Date.now() - started} ms`);
    const shown = Object.fromEntries(await figures.locator('tr').evaluateAll(rows => rows.map(r => [r.dataset.figure, r.querySelector('td').textContent])));
    const polygon = await page.evaluate(async () => {
        const data = await window.__map.getSource('within-boundary').getData();
        return data.features.find(f => f.geometry.type === 'Polygon').geometry;
    });
    const api = await authed(server.base, admin, '/api/within', {method: 'POST', json: polygon});
    assert.equal(api.status, 200, JSON.stringify(api.body));
    const n = v => Number(String(v).replace(/,/g, ''));
    assert.ok(api.body.buildings.total > 0, 'the boundary holds buildings');
    assert.equal(n(shown.buildings), api.body.buildings.total);
    assert.equal(n(shown.households), api.body.households.total);
    assert.equal(n(shown.parcels), api.body.parcels.total);
    for (const [status, count] of Object.entries(api.body.buildings.by_status)) assert.equal(n(shown[`status.${status}`]), count, status);
    const [{total}] = await query(`SELECT count(*)::int AS total FROM buildings b
        WHERE ST_Intersects(ST_SetSRID(ST_GeomFromGeoJSON(:'p1'), 4326), ST_PointOnSurface(b.geom))`, [JSON.stringify(polygon)]);
    assert.equal(api.body.buildings.total, total, 'the API counts what SQL counts');
    assert.equal(await page.locator('.om-within-list li').count(), Math.min(total, 200));
    await shot('within');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="within-xlsx"]').click()]);
    const dir = mkdtempSync(path.join(tmpdir(), 'onemap-within-'));
    try {
        const file = path.join(dir, 'within.xlsx');
        await download.saveAs(file);
        const info = execFileSync('ogrinfo', ['-so', '-al', file], {env: {...process.env, OGR_XLSX_HEADERS: 'FORCE'}}).toString();
        assert.equal(Number(info.match(/Feature Count: (\d+)/)[1]), total, 'one row per building');
        assert.match(download.suggestedFilename(), /\.xlsx$/);
    } finally {
        rmSync(dir, {recursive: true, force: true});
    }
});

test('an overlay feature shows its attributes on click', async () => {
    await page.locator('.om-tool[data-tool="clear"]').click();
    await home();
    const geojson = plannedGeojson(centre[0], centre[1]);
    const dataTransfer = await page.evaluateHandle(text => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'plan.geojson', {type: 'application/geo+json'}));
        return dt;
    }, JSON.stringify(geojson));
    for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('.maplibregl-canvas', type, {dataTransfer});
    await page.locator('.om-overlay').first().waitFor({timeout: 30_000});
    await settle();
    const point = geojson.features.find(f => f.geometry.type === 'Point');
    const [[x, y]] = await pixels([point.geometry.coordinates]);
    await page.mouse.click(x, y);
    const popup = page.locator('.om-overlay-popup');
    await popup.waitFor({timeout: 10_000});
    const text = await popup.textContent();
    assert.ok(text.includes(point.properties.name) && text.includes('kind'), text);
    await shot('overlay-popup');
});

test('?project=ID titles the trend with the project\'s name (in English; a boundary drawn there)', async () => {
    const [p] = await query(`SELECT p.id, p.name FROM projects p WHERE EXISTS (SELECT 1 FROM buildings b WHERE b.project_id = p.id)
                              ORDER BY p.id LIMIT 1 OFFSET 3`);
    await page.goto(`${server.base}/?project=${p.id}&lang=en`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.waitForFunction(name => document.querySelector('.om-trend .om-card-note')?.textContent === name, p.name, {timeout: 15_000});
    assert.equal(await page.locator('.om-gauges .om-card-note').textContent(), p.name);
    await settle();
    await page.locator('.om-tool[data-tool="within"]').click();
    for (const xy of [[760, 380], [1160, 380], [1160, 700]]) await page.mouse.click(...xy);
    await page.mouse.dblclick(760, 700);
    await page.locator('.om-within-figures').waitFor({timeout: 20_000});
    assert.match(await page.locator('.om-within-figures').textContent(), /Buildings.*Households/s);
    await shot('within-en');
});
