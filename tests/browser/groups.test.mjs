// Browser test of the work groups' screens (issue 15): on the cockpit at 1920×1080 an admin lassoes two buildings in 工作组 mode, gives them to another group and sees them recolour; on the desk an admin creates a group and assigns households by a pasted list; the wall shows today's group ranking at 3840×2160 (every text ≥ 32 px) and fits 1920×1080.
//
// Needs a demo database it may WRITE to (btest makes one); each run moves two buildings to another
// group and adds a group with a new name. Prints clicks and seconds per task.
// Screenshots: tests/browser/out/groups-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT} from './harness.mjs';
import {decodePng, hexToRgb, meanRgb, rgbDistance} from './png.mjs';
import {startAsAdmin, useSession} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'groups-test-admin', password: 'groups-test-admin-Pw-2026'};
let server, browser, page;
const problems = [];

function task(name) {
    const t0 = Date.now();
    let clicks = 0;
    return {
        click: async (locator, opts) => { clicks++; await locator.click(opts); },
        count: (n = 1) => { clicks += n; },
        done: () => console.log(`TASK ${name}: ${clicks} clicks, ${((Date.now() - t0) / 1000).toFixed(1)} s`),
    };
}

/** Where building `id` is drawn (its footprint's centre, page pixels), or null. */
const positionOf = id => page.evaluate(want => {
    const map = window.__map;
    const f = map.queryRenderedFeatures({layers: ['buildings-fill']}).find(x => x.id === want);
    if (!f) return null;
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    const pts = ring.slice(0, -1).map(c => map.project(c));
    const r = map.getCanvas().getBoundingClientRect();
    return {x: Math.round(r.left + pts.reduce((a, p) => a + p.x, 0) / pts.length), y: Math.round(r.top + pts.reduce((a, p) => a + p.y, 0) / pts.length)};
}, id);

/** The mean colour of a 5×5 box at (x, y). */
async function colourAt({x, y}) {
    return meanRgb(decodePng(await page.screenshot({clip: {x: x - 2, y: y - 2, width: 5, height: 5}})));
}

/** '#0072b2' of a computed 'rgb(0, 114, 178)'. */
const hexOf = rgb => `#${rgb.match(/\d+/g).slice(0, 3).map(n => Number(n).toString(16).padStart(2, '0')).join('')}`;

/** Every visible text under `selector` smaller than `min` px. */
const smallTexts = (selector, min) => page.evaluate(([sel, least]) => {
    const out = [];
    for (const root of document.querySelectorAll(sel)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const e = n.parentElement;
            if (!n.textContent.trim() || !e || e.getClientRects().length === 0) continue;
            const px = parseFloat(getComputedStyle(e).fontSize);
            if (px < least) out.push(`${px}px “${n.textContent.trim().slice(0, 30)}”`);
        }
    }
    return out;
}, [selector, min]);

before(async () => {
    let token;
    ({server, token, browser, page} = await startAsAdmin(ADMIN, 'server-groups', problems));
    await useSession(browser.context, server.base, token);
    page.on('pageerror', err => problems.push(`page error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/** What the lasso test assigned, for the tile check after it. */
let lasso = null;

test('cockpit 工作组 mode: a lasso around two buildings gives them to another group; they recolour', async () => {
    // Two neighbouring buildings with households, held by one group of a project that has another.
    const [pick] = await query(`SELECT a.id AS a, b.id AS b, a.project_id AS project, ga.name AS from_name, gt.id AS to_id, gt.name AS to_name,
            ST_X(ST_Centroid(ST_Collect(a.geom, b.geom))) AS lon, ST_Y(ST_Centroid(ST_Collect(a.geom, b.geom))) AS lat
          FROM buildings a
          JOIN buildings b ON b.project_id = a.project_id AND b.id > a.id AND b.group_id = a.group_id AND ST_DWithin(a.geom, b.geom, 0.00025)
          JOIN work_groups ga ON ga.id = a.group_id
          JOIN work_groups gt ON gt.project_id = a.project_id AND gt.id <> a.group_id
         WHERE a.households > 0 AND b.households > 0
         ORDER BY a.id, b.id, gt.id LIMIT 1`);
    assert.ok(pick, 'no two neighbouring buildings of one group');
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/?project=${pick.project}#18/${pick.lat}/${pick.lon}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await drawn(page);

    const tk = task('lasso two buildings → another group (admin, 1920×1080)');
    await tk.click(page.locator('.om-gm-toggle'));
    const panel = page.locator('.om-gm-panel');
    await panel.locator(`.om-gm-group-row[data-group="${pick.to_id}"]`).waitFor({timeout: 15_000});
    // the panel sits in the map's free middle: bring the two buildings left of it, clear of the left dock
    const panelLeft = (await panel.boundingBox()).x;
    const dockRight = (await page.locator('.om-dock-left').boundingBox()).x + (await page.locator('.om-dock-left').boundingBox()).width;
    await page.evaluate(([x, lon, lat]) => {
        const map = window.__map;
        const at = map.project([lon, lat]);
        map.panBy([at.x - (x - map.getCanvas().getBoundingClientRect().left), 0], {animate: false});
    }, [(panelLeft + dockRight) / 2, pick.lon, pick.lat]);
    await drawn(page);
    const [pa, pb] = [await positionOf(pick.a), await positionOf(pick.b)];
    assert.ok(pa && pb, 'the two buildings are not drawn');
    // A band around the segment a→b, drawn freehand.
    await tk.click(page.locator('.om-gm-lasso .om-sw-lasso-button'));
    const [dx, dy] = [pb.x - pa.x, pb.y - pa.y];
    const len = Math.hypot(dx, dy) || 1;
    const [ux, uy, nx, ny] = [dx / len, dy / len, -dy / len, dx / len];
    const w = 8, ext = 10;
    const corners = [
        [pa.x - ux * ext + nx * w, pa.y - uy * ext + ny * w], [pb.x + ux * ext + nx * w, pb.y + uy * ext + ny * w],
        [pb.x + ux * ext - nx * w, pb.y + uy * ext - ny * w], [pa.x - ux * ext - nx * w, pa.y - uy * ext - ny * w],
    ];
    await page.mouse.move(...corners[0]);
    await page.mouse.down();
    for (const c of [...corners.slice(1), corners[0]]) await page.mouse.move(...c, {steps: 6});
    await page.mouse.up();
    tk.count();
    const picked = panel.locator('.om-gm-picked');
    await page.waitForFunction(() => Number(document.querySelector('.om-gm-picked')?.dataset.count) >= 2, null, {timeout: 10_000})
        .catch(async err => {
            await page.screenshot({path: path.join(OUT, 'groups-cockpit-failed.png')});
            throw err;
        });
    const selected = await page.evaluate(ids => ids.map(id => window.__map.getFeatureState({source: 'buildings', sourceLayer: 'buildings', id}).selected), [pick.a, pick.b]);
    assert.deepEqual(selected, [true, true], `both buildings picked: ${await picked.innerText()}`);
    await panel.locator('select.om-gm-group').selectOption(String(pick.to_id));
    tk.count();
    await page.screenshot({path: path.join(OUT, 'groups-cockpit-picked.png')});
    const tileLog = [];
    // what the tiles fetched again after the assignment were (their ETag is the content's)
    page.on('response', r => { if (r.url().includes('/tiles/buildings/')) tileLog.push(`${r.status()} ${r.url().split('/tiles/')[1]} ${r.headers().etag}`); });
    await tk.click(panel.locator('.om-gm-assign'));
    await tk.click(page.locator('dialog.om-sw-dialog button[data-confirm]'));
    const result = panel.locator('.om-gm-result[data-tone="ok"]');
    await result.waitFor({timeout: 15_000});
    const said = await result.innerText();
    tk.done();
    assert.match(said, /已分配 \d+ 户/);
    assert.ok(said.includes(pick.from_name), `the result names the group they came from: ${said}`);

    // Both buildings drawn in the new group's colour (as the legend shows it), and held by it in the database.
    // read in one evaluate, retried: the legend is rebuilt when the live feed reports the
    // assignment, and a swatch detached in between has no computed colour
    const swatch = await page.waitForFunction(sel => {
        const e = document.querySelector(sel);
        const c = e ? getComputedStyle(e).backgroundColor : '';
        return /^rgb/.test(c) ? c : null;
    }, `.om-legend-groups [data-group="${pick.to_id}"] .om-swatch`, {timeout: 10_000}).then(h => h.jsonValue());
    const want = hexToRgb(hexOf(swatch));
    await page.mouse.move(5, 500);
    await drawn(page);
    for (const at of [await positionOf(pick.a), await positionOf(pick.b)]) {
        const got = await colourAt(at);
        assert.ok(rgbDistance(got, want) < 60, `building drawn ${got.map(Math.round)} not the group's ${want}`);
    }
    const held = await query(`SELECT DISTINCT group_id FROM households WHERE building_id IN (:'p1', :'p2')`, [pick.a, pick.b]);
    assert.deepEqual(held.map(r => r.group_id), [pick.to_id]);
    await page.screenshot({path: path.join(OUT, 'groups-cockpit.png')});
    // English mode reads the panel and its answer in English
    await page.click('.om-lang button[data-lang=en]');
    await panel.locator('h2', {hasText: 'Work groups'}).waitFor();
    assert.match(await result.innerText(), /\d+ households assigned/);
    await page.screenshot({path: path.join(OUT, 'groups-cockpit-en.png')});
    await page.click('.om-lang button[data-lang=zh]');
    // No person's name on the map: the tile properties carry none.
    const keys = await page.evaluate(() => [...new Set(window.__map.queryRenderedFeatures({layers: ['buildings-fill']}).flatMap(f => Object.keys(f.properties)))]);
    assert.ok(!keys.some(k => /name|leader|member|holder/.test(k)), `tile properties: ${keys}`);
    lasso = {pick, tileLog};
});

// Past the buildings' maxzoom (16) MapLibre draws slices of the zoom-16 tile and keeps them in a
// cache keyed by the tile URL: a plain refetch came back with the new tile (new ETag) and the map
// drew the old slice again, old group_id and all (map/refetch.ts). The cockpit here is at zoom 18.
test('the tiles fetched again after the assignment carry the new group (drawn at zoom 18, past the tiles\' maxzoom)', async () => {
    assert.ok(lasso, 'the lasso test did not run');
    const {pick, tileLog} = lasso;
    assert.ok(await page.evaluate(() => window.__map.getZoom() > 16), 'the map is not past the tiles\' maxzoom');
    await page.waitForFunction(({ids, group}) => ids.every(id => window.__map.queryRenderedFeatures({layers: ['buildings-fill']})
        .some(f => f.id === id && f.properties.group_id === group)), {ids: [pick.a, pick.b], group: pick.to_id}, {timeout: 10_000})
        .catch(() => {
            assert.fail(`the buildings' tiles still carry the old group; tiles fetched since the assignment (status, tile, ETag): ${tileLog.slice(-6).join(' | ')}`);
        });
});

test('desk 工作组: create a group, assign two households by a pasted list', async () => {
    const [project] = await query(`SELECT p.code, p.id FROM projects p WHERE EXISTS (SELECT 1 FROM work_groups g WHERE g.project_id = p.id) ORDER BY p.id LIMIT 1`);
    const codes = (await query(`SELECT h.code FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = :'p1' ORDER BY h.id LIMIT 2`, [project.id])).map(r => r.code);
    const name = `测试组${Date.now() % 100000}`;
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/desk/#groups/${project.code}`);
    const list = page.locator('.dk-group-list');
    await list.locator('tr[data-group]').first().waitFor({timeout: 15_000});
    const tk = task('desk: create a group and assign 2 households by list (admin, 1920×1080)');
    await tk.click(page.locator('.dk-group-new summary'));
    const form = page.locator('.dk-group-new form');
    await form.locator('input[name=group_name]').fill(name);
    await tk.click(form.locator('button[type=submit]'));
    await list.locator(`tr[data-name="${name}"]`).waitFor({timeout: 10_000});
    const card = page.locator('.dk-group-assign');
    await card.locator('textarea[name=codes]').fill(codes.join('\n'));
    await card.locator('select[name=code_kind]').selectOption('households');
    await card.locator('select[name=assign_group]').selectOption({label: name});
    tk.count(2);
    await tk.click(card.locator('.dk-group-list-form button[type=submit]'));
    await card.locator('.om-notice[data-tone="ok"]', {hasText: /已分配 2 户/}).waitFor({timeout: 10_000});
    await list.locator(`tr[data-name="${name}"] td`, {hasText: /^2$/}).first().waitFor({timeout: 10_000});
    tk.done();
    const held = await query(`SELECT count(*)::int AS n FROM households h JOIN work_groups g ON g.id = h.group_id WHERE g.name = :'p1' AND h.code = ANY (string_to_array(:'p2', ','))`, [name, codes.join(',')]);
    assert.equal(held[0].n, 2);
    await page.screenshot({path: path.join(OUT, 'groups-desk-1920.png'), fullPage: true});
    await page.setViewportSize({width: 390, height: 844});
    await page.waitForTimeout(200);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the desk tab is ${wide} px wide on a 390 px phone`);
    await page.screenshot({path: path.join(OUT, 'groups-desk-390.png'), fullPage: true});
});

test('wall: today\'s group ranking at 3840×2160 (text ≥ 32 px) and inside 1920×1080', async () => {
    await page.setViewportSize({width: 3840, height: 2160});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120`);
    const board = page.locator('.om-wall-groups');
    await board.locator('tbody tr').first().waitFor({timeout: 30_000});
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    assert.deepEqual(await smallTexts('.om-wall-groups', 32), [], 'text smaller than 32 px');
    await page.screenshot({path: path.join(OUT, 'groups-wall-4k.png'), timeout: 90_000});
    await page.setViewportSize({width: 1920, height: 1080});
    await page.waitForTimeout(300);
    const box = await board.boundingBox();
    const overview = await page.locator('.om-wall-overview').boundingBox();
    const spot = await page.locator('.om-wall-spot').boundingBox();
    assert.ok(box.y + box.height <= 1080 && box.x >= overview.x + overview.width && box.x + box.width <= spot.x,
        `the ranking fits between the side panels: ${JSON.stringify(box)}`);
    await page.screenshot({path: path.join(OUT, 'groups-wall-1080.png')});
    assert.deepEqual(problems, []);
});
