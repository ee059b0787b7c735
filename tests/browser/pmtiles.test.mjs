// Browser test of a local PMTiles basemap (issue 18): a vector file the server serves itself, picked in the cockpit's layer switcher and drawn in the pages' plain grey style under the data.
//
// README. Needs ONEMAP_BIN, DATABASE_URL (+ PSQL_URL for the demo's regions), frontend/dist and
// python3 with protomaps' `pmtiles` (scripts/lib.sh installs it). It makes MVT tiles with PostGIS
// over the demo's districts (zooms 8–13: community areas, a street grid, street-office points),
// writes them as an MBTiles file (python3's sqlite3) and converts that with protomaps' writer (not
// onemap's code) into a PMTiles file; starts the server with ONEMAP_BASEMAPS naming it, opens the
// cockpit at 1920×1080, picks the basemap and checks its tiles come gzipped from onemap itself
// (out/pmtiles-cockpit-vector.png).
// Run: cd frontend && npm run build && /work/wt/tools/btest tests/browser/pmtiles.test.mjs
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT, isLocal, startBrowser, startServer} from './harness.mjs';
import {tilesOver} from './tiles.mjs';

let server, browser, page, dir;
const problems = [];
const tiles = [];

/** MVT tiles (PostGIS) over each district's box at zooms 8–13: [[z, x, y, base64], …], empty tiles left out. */
async function vectorTiles() {
    const boxes = await query(`SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n
                                 FROM (SELECT ST_Extent(geom)::geometry AS b FROM regions WHERE level = 'district' GROUP BY id) d`);
    const want = new Set(boxes.flatMap(b => tilesOver([b.w, b.s, b.e, b.n], 8, 13)).map(t => t.join(',')));
    const [zs, xs, ys] = [0, 1, 2].map(i => `{${[...want].map(t => t.split(',')[i]).join(',')}}`);
    const rows = await query(`
        WITH boxes AS (SELECT ST_Extent(geom_3857)::geometry AS b FROM regions WHERE level = 'district' GROUP BY id),
             roads AS (SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(g, ST_YMin(b)), ST_MakePoint(g, ST_YMax(b))), 3857) AS geom
                         FROM boxes, generate_series(ST_XMin(b)::int, ST_XMax(b)::int, 1500) g
                       UNION ALL
                       SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_XMin(b), g), ST_MakePoint(ST_XMax(b), g)), 3857)
                         FROM boxes, generate_series(ST_YMin(b)::int, ST_YMax(b)::int, 1500) g)
        SELECT z, x, y, encode(
                 coalesce((SELECT ST_AsMVT(q, 'landuse') FROM (SELECT ST_AsMVTGeom(geom_3857, e) AS geom FROM regions
                            WHERE level = 'community' AND geom_3857 && e) q), '')
              || coalesce((SELECT ST_AsMVT(q, 'roads') FROM (SELECT ST_AsMVTGeom(geom, e) AS geom FROM roads WHERE geom && e) q), '')
              || coalesce((SELECT ST_AsMVT(q, 'places') FROM (SELECT ST_AsMVTGeom(ST_PointOnSurface(geom_3857), e) AS geom FROM regions
                            WHERE level = 'street' AND ST_PointOnSurface(geom_3857) && e) q), ''), 'base64') AS mvt
          FROM unnest(:'p1'::int[], :'p2'::int[], :'p3'::int[]) AS t(z, x, y), ST_TileEnvelope(z, x, y) e`, [zs, xs, ys]);
    return rows.filter(r => r.mvt).map(r => [r.z, r.x, 2 ** r.z - 1 - r.y, r.mvt.replace(/\n/g, '')]);
}

/** The tiles as an MBTiles file, converted by protomaps' python writer into `file`; the header's leaf directory length. */
function writePmtiles(file, rows) {
    const script = `import sqlite3, sys, json, base64
from pmtiles.convert import mbtiles_to_pmtiles
mbtiles = sys.argv[1] + ".mbtiles"
db = sqlite3.connect(mbtiles)
db.execute("CREATE TABLE metadata (name text, value text)")
db.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
layers = {"vector_layers": [{"id": l, "fields": {}} for l in ("landuse", "roads", "places")]}
db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "streets"), ("format", "pbf"), ("minzoom", "8"), ("maxzoom", "13"),
                                                      ("json", json.dumps(layers))])
db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [(z, x, y, base64.b64decode(d)) for z, x, y, d in json.load(sys.stdin)])
db.commit()
mbtiles_to_pmtiles(mbtiles, sys.argv[1], None)`;
    execFileSync('python3', ['-c', script, file], {input: JSON.stringify(rows)});
}

before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'onemap-pmtiles-'));
    const file = path.join(dir, 'streets.pmtiles');
    const rows = await vectorTiles();
    assert.ok(rows.length > 50, `vector tiles: ${rows.length}`);
    writePmtiles(file, rows);
    process.env.ONEMAP_BASEMAPS = JSON.stringify([{id: 'streets', name: '本地矢量底图', kind: 'pmtiles', path: file, attribution: '测试矢量底图'}]);
    server = await startServer({log: 'server-pmtiles'});
    delete process.env.ONEMAP_BASEMAPS;
    browser = await startBrowser();
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    browser.context.on('response', async res => {
        if (res.url().includes('/api/basemaps/streets/')) tiles.push([res.status(), (await res.allHeaders())['content-encoding'] ?? 'none']);
    });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
});

after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
});

test('the cockpit draws a local PMTiles vector basemap picked in its layer switcher', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}`);
    await page.evaluate(() => localStorage.removeItem('onemap.basemap'));
    await page.reload();
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    const switcher = page.locator('.om-basemaps');
    await switcher.locator('summary').click();
    assert.deepEqual(await switcher.locator('label').allTextContents(), ['无底图（离线）', '本地矢量底图']);
    const started = Date.now();
    await switcher.locator('label', {hasText: '本地矢量底图'}).click();
    await page.waitForFunction(() => window.__map.getSource('basemap-0')?.type === 'vector' && window.__map.areTilesLoaded(), null, {timeout: 20_000});
    const drawn = Date.now() - started;
    // the file's three layers, in the pages' plain style, below every data layer
    const layers = await page.evaluate(() => window.__map.getStyle().layers.map(l => l.id));
    const basemap = layers.filter(l => l.startsWith('basemap-'));
    assert.deepEqual(basemap.slice(0, 3), ['basemap-0-0-fill', 'basemap-0-0-line', 'basemap-0-0-point']);
    assert.equal(basemap.length, 9);
    assert.ok(layers.findIndex(l => !l.startsWith('basemap-') && l !== layers[0]) > layers.indexOf(basemap.at(-1)), `data layers above the basemap: ${layers}`);
    const features = await page.evaluate(() => ['landuse', 'roads', 'places']
        .map(l => window.__map.querySourceFeatures('basemap-0', {sourceLayer: l}).length));
    assert.ok(features.every(n => n > 0), `features per layer (landuse, roads, places): ${features}`);
    await page.screenshot({path: path.join(OUT, 'pmtiles-cockpit-vector.png')});
    // gzipped as the file stores them (a tile the file lacks: an empty one, nothing to unpack)
    assert.ok(tiles.every(([status]) => status === 200) && tiles.some(([, encoding]) => encoding === 'gzip'), `tiles: ${JSON.stringify(tiles)}`);
    console.log(`# the vector basemap picked and drawn in ${drawn} ms (${tiles.length} tiles)`);
    assert.equal(await page.evaluate(() => localStorage.getItem('onemap.basemap')), 'streets');
    // in English the switcher's own words change; the basemap keeps the name the server gave it
    await page.locator('.om-lang button[data-lang="en"]').click();
    await page.waitForFunction(() => document.querySelector('.om-basemaps summary')?.textContent === 'Basemap');
    assert.deepEqual(await switcher.locator('label').allTextContents(), ['No basemap (offline)', '本地矢量底图']);
    await page.screenshot({path: path.join(OUT, 'pmtiles-cockpit-vector-en.png')});
    await page.locator('.om-lang button[data-lang="zh"]').click();
    assert.deepEqual(problems, []);
});
