// Browser test of login and the live feed: a status write recolours a building in place, and a stopped feed raises the stale banner.
//
// README. Needs what map.test.mjs needs (ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE
// to, frontend/dist). It creates the admin user `browser-test-admin` with the CLI, starts the
// server with a random --kiosk-token, logs in through the form and out again, then opens
// `/?kiosk=…&heartbeat=1` at the buildings TileJSON centre (z17), moves one drawn building one
// status forward through POST /api/status and checks that its pixels take the new status colour
// within 1 s (LIVE_DEADLINE_MS) with no tile request. Then it stops the server (stale banner within
// a few seconds), writes another building through a second server meanwhile, and starts the first
// again on the same port: banner gone, feed connected, the missed change replayed onto the map.
// Last, a reconnect that resumes from a too-old event gets the server's `reload` event, and the
// page fetches its tiles again.
// Each run moves two buildings of the demo data one step on. Screenshots: tests/browser/out/live-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {STATUS_ZH, drawnBuildings, pickTarget, waitForColour, writeNext} from './buildings.mjs';
import {KIOSK_TOKEN, OUT, freePort, startBrowser, startServer} from './harness.mjs';
import {apiLogin, authed, ensureUser} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
const WRITE_TO_PIXELS_MS = Number(process.env.LIVE_DEADLINE_MS ?? 1000);

let server;
let browser;
let page;
let admin;
let candidates = [];
let first = null;
/** Every request the browser made since the log was last cleared. */
const requests = [];
const pageErrors = [];
const tileRequests = () => requests.filter(r => new URL(r.url).pathname.includes('/tiles/')).map(r => r.url);

const shot = name => page.screenshot({path: path.join(OUT, `live-${name}.png`)});
/** A 200×200 close-up around (x, y), to see one building change. */
const closeUp = (name, {x, y}) => page.screenshot({path: path.join(OUT, `live-${name}.png`), clip: {x: x - 100, y: y - 100, width: 200, height: 200}});

/** Waits until the map has drawn everything, its label points included. */
async function settle() {
    await drawn(page);
}

before(async () => {
    const add = await ensureUser(ADMIN.username, ADMIN.password, 'admin');
    server = await startServer({log: 'server-live'});
    try {
        admin = await apiLogin(server.base, ADMIN);
    } catch (err) {
        throw new Error(`${err.message}\n\`user add\` said (exit ${add.code}): ${add.stderr || add.stdout}`);
    }
    browser = await startBrowser();
    browser.context.on('request', req => requests.push({url: req.url(), at: Date.now()}));
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', err => pageErrors.push(String(err)));
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('without a session the page asks for a login, then shows the user and logs out', async () => {
    await page.goto(`${server.base}/`);
    const form = page.locator('.om-login-card');
    await form.waitFor({state: 'visible', timeout: 15_000});
    assert.match(await form.innerText(), /用户名[\s\S]*密码[\s\S]*登录/);
    await page.fill('input[name=username]', ADMIN.username);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('.om-login-card button[type=submit]');
    await page.locator('.om-login-error', {hasText: /\S/}).waitFor({timeout: 5_000});
    await shot('login-refused');

    await page.fill('input[name=password]', ADMIN.password);
    await page.click('.om-login-card button[type=submit]');
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    assert.equal(await page.locator('.om-user-name').innerText(), ADMIN.username);
    await page.waitForFunction(() => window.__live?.connected === true, null, {timeout: 10_000});
    await settle();
    await shot('logged-in');

    await page.click('.om-logout');
    await form.waitFor({state: 'visible', timeout: 15_000});
});

test('a status write recolours the building within 1 s without fetching tiles', async () => {
    const tj = await authed(server.base, admin, '/tiles/buildings.json');
    assert.equal(tj.status, 200, `buildings TileJSON: ${JSON.stringify(tj.body)}`);
    const [lon, lat] = tj.body.center;
    await page.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}&heartbeat=1#17/${lat}/${lon}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.waitForFunction(() => window.__live?.connected === true, null, {timeout: 10_000});
    await settle();

    candidates = await drawnBuildings(page);
    assert.ok(candidates.length > 0, 'no building is drawn clear of the panels and labels');
    first = await pickTarget(page, server.base, admin, candidates);
    assert.ok(first, `none of ${candidates.length} buildings is drawn in its status with all households at it`);
    await page.mouse.move(5, 500); // no hover cursor over the target
    await shot('before');
    await closeUp('before-closeup', first);

    const applied = await page.evaluate(() => window.__live.applied);
    requests.length = 0;
    const t0 = Date.now();
    await writeNext(server.base, admin, first, 'browser test');
    const ms = await waitForColour(page, first, first.next, t0, WRITE_TO_PIXELS_MS);
    console.log(`building ${first.id}: ${first.status} → ${first.next}, drawn ${ms} ms after the write was sent`);
    await shot('after');
    await closeUp('after-closeup', first);

    assert.deepEqual(tileRequests(), [], 'tiles were fetched again after the write');
    assert.ok(await page.evaluate(() => window.__live.applied) > applied, 'window.__live.applied did not grow');
    const row = page.locator('.om-ticker li').first();
    const tick = await row.innerText();
    assert.equal(await row.getAttribute('data-building-id'), String(first.id), `ticker shows: ${tick}`);
    assert.ok(/房屋 \S+-B\d+/.test(tick) && tick.includes(STATUS_ZH[first.next]), `ticker shows: ${tick}`);

    // The gauges show the figures the API has for the selected region now.
    const code = await page.locator('.om-gauges').getAttribute('data-scope-code');
    const fig = await authed(server.base, admin, `/api/figures/regions/${code}`);
    assert.equal(fig.status, 200, `figures of ${code}: ${JSON.stringify(fig.body)}`);
    for (const key of ['households', 'signed']) {
        const want = fig.body.figures.find(f => f.key === key)?.value;
        const shown = await page.locator(`.om-gauges .om-gauge-${key} .om-v`).innerText();
        assert.equal(shown.replace(/\D/g, ''), String(want), `${key} gauge`);
    }

    // The popup reads the live status too, not the tile's.
    await page.mouse.click(first.x, first.y);
    const popup = page.locator('.om-popup');
    await popup.waitFor({state: 'visible', timeout: 5_000});
    assert.ok((await popup.innerText()).includes(STATUS_ZH[first.next]), 'popup shows the tile status, not the live one');
    await page.click('.om-popup .maplibregl-popup-close-button');
    assert.deepEqual(tileRequests(), [], 'tiles were fetched again after the write');
});

test('the stale banner shows while the feed is cut, and the missed change arrives once it is back', async () => {
    assert.ok(first, 'needs the previous test');
    const banner = page.locator('.om-stale');
    assert.equal(await banner.isVisible(), false, 'stale banner shown while the feed is live');
    const t0 = Date.now();
    await server.stop();
    await banner.waitFor({state: 'visible', timeout: 10_000});
    console.log(`stale banner ${Date.now() - t0} ms after the server was told to stop`);
    assert.match(await banner.innerText(), /数据已停止更新/);
    assert.equal(await page.evaluate(() => window.__live.stale), true);
    await page.mouse.move(5, 500);
    await shot('stale');

    // Meanwhile another instance takes a write the page cannot hear about.
    let port;
    do port = await freePort(); while (port === server.port);
    const other = await startServer({port, log: 'server-live-other'});
    const second = await pickTarget(page, other.base, admin, candidates, [first.id]);
    assert.ok(second, 'no second building to change');
    requests.length = 0;
    await writeNext(other.base, admin, second, 'browser test, while the feed is down');
    await other.stop();
    await closeUp('missed-closeup', second);

    server = await startServer({port: server.port, log: 'server-live'});
    const t1 = Date.now();
    await page.waitForFunction(() => window.__live.connected && !window.__live.stale, null, {timeout: 20_000});
    await banner.waitFor({state: 'hidden', timeout: 1_000});
    const ms = await waitForColour(page, second, second.next, t1, 5_000);
    console.log(`missed change of building ${second.id} (${second.status} → ${second.next}) drawn ${ms} ms after the restart`);
    await shot('recovered');
    await closeUp('recovered-closeup', second);
    assert.deepEqual(tileRequests(), [], 'tiles were fetched again to catch up');
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});

test('a gap too long to replay makes the page fetch its tiles again', async () => {
    assert.ok(first, 'needs the first test');
    const before = await page.evaluate(() => window.__live.resyncs);
    // The next reconnect claims to resume from the city's first event: its history goes back
    // further than the server replays (24 h), so the server answers with one `reload` event.
    let rewritten = 0;
    await page.route(url => url.pathname.endsWith('/events') && url.searchParams.has('last_event_id'), route => {
        const url = new URL(route.request().url());
        url.searchParams.set('last_event_id', '1');
        rewritten++;
        return route.continue({url: url.toString()});
    });
    await server.stop();
    await page.waitForFunction(() => !window.__live.connected, null, {timeout: 10_000});
    requests.length = 0;
    server = await startServer({port: server.port, log: 'server-live'});
    await page.waitForFunction(n => window.__live.connected && window.__live.resyncs > n, before, {timeout: 20_000});
    await page.unrouteAll();
    assert.ok(rewritten > 0, 'the reconnect did not resume from an event id');
    await settle();
    assert.ok(tileRequests().length > 0, 'the tiles were not fetched again after the reload event');
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
