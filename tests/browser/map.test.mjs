// Browser test of the map page: the real onemap binary and database, driven through headless Chromium.
//
// README. This test starts `$ONEMAP_BIN serve --bind 127.0.0.1:PORT --frontend frontend/dist`
// itself (ONEMAP_BIN defaults to target/debug/onemap, relative to the repository root; PORT is a
// free loopback port), against the PostGIS database in DATABASE_URL, which must hold the demo city.
// It opens the page in Debian's /usr/bin/chromium (override with CHROMIUM) through playwright-core
// (a devDependency of frontend/; no browser download), logged in with the kiosk token the harness
// gives the server (`?kiosk=…`, as a wall display does), checks that the district overview (z11) renders
// region labels with the shipped font, jumps to the buildings TileJSON centre at z16, checks that
// building footprints are drawn with a known status, clicks one and reads its status in the popup,
// and asserts that no request left the machine and the console stayed free of errors. Screenshots
// and the server log go to tests/browser/out/ (gitignored). Run it (with live.test.mjs) with:
//   cd frontend && npm run build && DATABASE_URL=postgres://… npm run test:browser
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {KIOSK_TOKEN, OUT, isLocal, startBrowser, startServer} from './harness.mjs';
import {labelsDrawn} from './settle.mjs';

const BUILDING_FILL = 'buildings-fill';
const STATUS_ZH = {pending: '未调查', surveyed: '已丈量登记', signed: '已签约', vacated: '已腾空交房', demolished: '已拆除'};

let server;
let browser;
let page;
const consoleErrors = [];
const externalRequests = [];

/*
 * The helper registers for the map's next `idle` in the same task as the action that moves the
 * camera, so no earlier idle can be mistaken for it; idle means every tile of the view is drawn.
 * The label points are recomputed from the loaded tiles at that idle, so the helper then waits
 * for those labels to be drawn too (settle.mjs).
 */

/** Moves the camera and waits until the new view is loaded and drawn. */
async function jumpAndSettle(camera) {
    // The cockpit first flies to its selection: let that finish, so it cannot move the map afterwards.
    await page.waitForFunction(() => window.__drill?.view.children && !window.__map.isMoving(), null, {timeout: 30_000});
    await page.evaluate(cam => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('map did not go idle within 45 s')), 45_000);
        window.__map.once('idle', () => { clearTimeout(timer); resolve(); });
        window.__map.jumpTo(cam);
    }), camera);
    await labelsDrawn(page);
}

before(async () => {
    server = await startServer({log: 'server-map'});
    browser = await startBrowser();
    browser.context.on('request', req => {
        if (!isLocal(req.url())) externalRequests.push(req.url());
    });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('console', msg => {
        if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location()?.url ?? ''}`.trim());
    });
    page.on('pageerror', err => consoleErrors.push(String(err)));
    await page.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('district overview shows region labels in the shipped font', async () => {
    // 武陵区 (430702) of the demo city when the data has it, else wherever the page opened.
    const bbox = await page.evaluate(() => fetch('api/regions/430702').then(r => (r.ok ? r.json() : null)).then(r => r?.bbox ?? null));
    await jumpAndSettle(bbox ? {center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2], zoom: 11} : {zoom: 11});
    const labels = await page.evaluate(() => window.__map
        .queryRenderedFeatures({layers: ['regions-label-district', 'regions-label-street']})
        .map(f => f.properties.name));
    assert.ok(labels.length > 0, 'no region label is drawn at the district overview');
    // MapLibre registers each `font-faces` slice it used under its own family name.
    const slices = await page.evaluate(() => [...document.fonts]
        .filter(f => f.family.includes('maplibre-gl-font-face') && f.status === 'loaded').length);
    assert.ok(slices > 0, 'labels were not drawn with the shipped font');
    await page.screenshot({path: path.join(OUT, 'overview-z11.png')});
});

test('buildings at z16 are drawn by status and clickable', async () => {
    // Same origin and the page's session cookie: TileJSON needs a login too.
    const tj = await page.evaluate(() => fetch('tiles/buildings.json').then(r => r.json()));
    assert.ok(Array.isArray(tj.center), 'buildings TileJSON has no center');
    const [lon, lat] = tj.center;
    await jumpAndSettle({center: [lon, lat], zoom: 16});

    const statuses = await page.evaluate(l => window.__map.queryRenderedFeatures({layers: [l]})
        .map(f => f.properties.status), BUILDING_FILL);
    assert.ok(statuses.length > 0, 'no building rendered at the buildings TileJSON centre');
    for (const s of statuses) assert.ok(s in STATUS_ZH, `unexpected building status ${s}`);

    // A building whose centroid, away from the map controls, hits that same building.
    const target = await page.evaluate(l => {
        const map = window.__map;
        const rect = map.getCanvas().getBoundingClientRect();
        for (const f of map.queryRenderedFeatures({layers: [l]})) {
            const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
            const pts = ring.map(c => map.project(c));
            const cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
            const cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
            if (cx < 40 || cx > rect.width - 40 || cy < 40 || cy > rect.height - 40) continue;
            // Not under one of the cockpit's docks.
            if (document.elementFromPoint(rect.left + cx, rect.top + cy) !== map.getCanvas()) continue;
            const top = map.queryRenderedFeatures([cx, cy], {layers: [l]})[0];
            if (top && top.id === f.id) return {x: rect.left + cx, y: rect.top + cy, status: f.properties.status};
        }
        return null;
    }, BUILDING_FILL);
    assert.ok(target, 'no building can be clicked away from the map controls');
    await page.mouse.click(target.x, target.y);
    const popup = page.locator('.om-popup');
    await popup.waitFor({state: 'visible', timeout: 5_000});
    const text = await popup.innerText();
    assert.ok(text.includes(STATUS_ZH[target.status]), `popup does not show ${STATUS_ZH[target.status]}: ${text}`);
    await page.screenshot({path: path.join(OUT, 'buildings-z16.png')});
});

test('nothing was fetched from outside the machine and the console has no errors', () => {
    assert.deepEqual(externalRequests, [], 'requests left the machine');
    assert.deepEqual(consoleErrors, [], 'console errors');
});
