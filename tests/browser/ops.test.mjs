// Browser test of the operator's settings (issue 18): a local MBTiles basemap configured on the server, pinned on the wall and offered by the cockpit's layer switcher, and every time on the wall in Beijing time with the browser in UTC.
//
// README. Needs ONEMAP_BIN, DATABASE_URL (+ PSQL_URL for the demo's extent) and frontend/dist. It writes
// an MBTiles file of checkered PNG tiles over the demo's projects (zooms 8–11, python3's sqlite3),
// starts the server with ONEMAP_BASEMAPS naming it and ONEMAP_WALL_BASEMAP pinning it, then opens
// the wall at 3840×2160 in a browser whose zone is UTC: the clock and "data as of" read Beijing time,
// the basemap's tiles come from onemap itself (out/ops-wall-utc.png). The cockpit (1920×1080) starts
// offline, lists the basemap in its switcher and draws it once picked (out/ops-cockpit-basemap.png).
// Run: cd frontend && npm run build && /work/wt/tools/btest tests/browser/ops.test.mjs
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT, isLocal, startBrowser, startServer} from './harness.mjs';
import {encodePng} from './png.mjs';
import {tilesOver} from './tiles.mjs';

let server, browser, page, dir;
const problems = [];
const basemapTiles = [];

/** An MBTiles file of a green-and-amber checkerboard covering `bbox` at zooms 8–11 (MapLibre enlarges z11 beyond). */
function writeMbtiles(file, [west, south, east, north]) {
    const light = encodePng(256, 256, [214, 232, 200]).toString('base64');
    const dark = encodePng(256, 256, [236, 214, 160]).toString('base64');
    const tiles = tilesOver([west, south, east, north], 8, 11).map(([z, x, y]) => [z, x, 2 ** z - 1 - y, (x + y) % 2 ? dark : light]);
    const script = `import sqlite3, sys, json, base64
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE metadata (name text, value text)")
db.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "checker"), ("format", "png")])
db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [(z, x, y, base64.b64decode(d)) for z, x, y, d in json.load(sys.stdin)])
db.commit()`;
    execFileSync('python3', ['-c', script, file], {input: JSON.stringify(tiles)});
    return tiles.length;
}

/** HH:MM now in Beijing, and a minute later (the clock may tick between the two reads). */
/** Beijing's HH:MM of every minute from `from` to `to` (ms since the epoch). */
function beijingMinutes(from, to) {
    const f = new Intl.DateTimeFormat('sv-SE', {timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false});
    const out = new Set();
    for (let at = from; at < to + 60_000; at += 60_000) out.add(f.format(Math.min(at, to)));
    return [...out];
}

before(async () => {
    const [box] = await query(`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n
                                 FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM projects) x`);
    dir = mkdtempSync(path.join(tmpdir(), 'onemap-ops-'));
    const file = path.join(dir, 'checker.mbtiles');
    assert.ok(writeMbtiles(file, [box.w, box.s, box.e, box.n]) > 10);
    process.env.ONEMAP_BASEMAPS = JSON.stringify([{id: 'local', name: '本地影像', kind: 'mbtiles', path: file}]);
    process.env.ONEMAP_WALL_BASEMAP = 'local';
    server = await startServer({log: 'server-ops'});
    delete process.env.ONEMAP_BASEMAPS;
    delete process.env.ONEMAP_WALL_BASEMAP;
    browser = await startBrowser({timezoneId: 'UTC'});
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    browser.context.on('response', res => { if (res.url().includes('/api/basemaps/local/')) basemapTiles.push(res.status()); });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', err => problems.push(`page error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
});

test('the wall in a UTC browser shows Beijing time over the pinned local basemap', async () => {
    await page.setViewportSize({width: 3840, height: 2160});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=600&heartbeat=3`);
    assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'UTC');
    // a 4K wall on a busy CI machine takes its time to the first frame
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 120_000});
    await page.waitForFunction(() => window.__map.getSource('basemap-0') && window.__map.areTilesLoaded() && !window.__map.isMoving(), null, {timeout: 60_000});
    await page.waitForFunction(() => /\d\d:\d\d:\d\d$/.test(document.querySelector('.om-wall-updated')?.textContent ?? ''), null, {timeout: 30_000});
    // the minutes the reading may show: "data as of" is the last heartbeat (every 3 s), and a
    // minute may turn between the reading and the check
    const before = Date.now();
    const [clock, date, updated] = await page.evaluate(() => ['.om-wall-time', '.om-wall-date', '.om-wall-updated']
        .map(s => document.querySelector(s).textContent));
    const minutes = beijingMinutes(before - 10_000, Date.now());
    assert.ok(minutes.includes(clock.slice(0, 5)), `the wall clock ${clock} is Beijing time (${minutes})`);
    const days = [before, Date.now()].map(at => new Intl.DateTimeFormat('sv-SE', {timeZone: 'Asia/Shanghai'}).format(at));
    assert.ok(days.some(day => date.startsWith(day)), `the wall's date ${date} is Beijing's ${days}`);
    assert.ok(minutes.some(m => updated.includes(m)), `"data as of" ${updated} is Beijing time`);
    // a 4K screenshot is slow on a busy machine
    await page.screenshot({path: path.join(OUT, 'ops-wall-utc.png'), timeout: 120_000});
    assert.ok(basemapTiles.length > 0 && basemapTiles.every(s => s === 200), `basemap tiles: ${basemapTiles}`);
    assert.ok(basemapTiles.includes(200), 'the pinned basemap is drawn from the local file');
    assert.deepEqual(problems, []);
});

test('the cockpit starts offline and its layer switcher draws the configured basemap', async () => {
    basemapTiles.length = 0;
    await page.setViewportSize({width: 1920, height: 1080});
    await page.evaluate(() => localStorage.removeItem('onemap.basemap'));
    await page.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    assert.equal(await page.evaluate(() => Boolean(window.__map.getSource('basemap-0'))), false, 'no basemap by default');
    const switcher = page.locator('.om-basemaps');
    await switcher.locator('summary').click();
    assert.deepEqual(await switcher.locator('label').allTextContents(), ['无底图（离线）', '本地影像']);
    await switcher.locator('label', {hasText: '本地影像'}).click();
    await page.waitForFunction(() => window.__map.getSource('basemap-0') && window.__map.areTilesLoaded(), null, {timeout: 20_000});
    await page.screenshot({path: path.join(OUT, 'ops-cockpit-basemap.png')});
    assert.ok(basemapTiles.includes(200), `the picked basemap's tiles load: ${basemapTiles}`);
    // remembered for this browser
    assert.equal(await page.evaluate(() => localStorage.getItem('onemap.basemap')), 'local');
    assert.deepEqual(problems, []);
});
