// Soak test of the wall display: minutes of live events and spotlight rotation, JS heap (after a forced GC) at start and end.
// Opt-in (not in scripts/test, which CI runs): a soak takes minutes by design.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to, frontend/dist. It opens
// /wall/?kiosk=…&rotate=R&heartbeat=5 (R = WALL_SOAK_ROTATE, default 20 s) at WALL_SOAK_SIZE
// (default 1920x1080; 3840x2160 works but SwiftShader then needs most of a core), and meanwhile moves
// one household of a project in the wall's region surveyed ⇄ signed through POST /api/status every
// 2 s (the move back as the admin `browser-test-admin`, with a reason), so it can go on indefinitely.
// After a warm-up (WALL_SOAK_WARMUP_S, default 60) it forces a GC over CDP (HeapProfiler.collectGarbage)
// and reads Runtime.getHeapUsage and Memory.getDOMCounters; again every minute and after
// WALL_SOAK_MINUTES (default 10) more minutes. Figures go to out/wall-soak.json. It asserts that the
// used heap grew less than 10 % + 2 MB (noise), that DOM nodes and listeners stayed flat, and that
// the page applied the events. Run (10 minutes):
//   cd frontend && npm run build && DATABASE_URL=… node --test ../tests/browser/wall-soak.soak.mjs
// and WALL_SOAK_MINUTES=1 while developing.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {KIOSK_TOKEN, OUT, startBrowser, startServer} from './harness.mjs';
import {findToggleHousehold, refresh, toggle} from './households.mjs';
import {apiLogin, authed, ensureUser} from './session.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
const MINUTES = Number(process.env.WALL_SOAK_MINUTES ?? 10);
const WARMUP_MS = Number(process.env.WALL_SOAK_WARMUP_S ?? 60) * 1000;
const ROTATE = Number(process.env.WALL_SOAK_ROTATE ?? 20);
const [WIDTH, HEIGHT] = (process.env.WALL_SOAK_SIZE ?? '1920x1080').split('x').map(Number);
const EVENT_EVERY_MS = 2000;
const MB = 1024 * 1024;

let server, browser, page, cdp, admin;
const pageErrors = [];
const sleep = ms => new Promise(r => setTimeout(r, ms));

before(async () => {
    await ensureUser(ADMIN.username, ADMIN.password, 'admin');
    server = await startServer({log: 'server-wall-soak'});
    admin = await apiLogin(server.base, ADMIN);
    browser = await startBrowser();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', err => pageErrors.push(String(err)));
    await page.setViewportSize({width: WIDTH, height: HEIGHT});
    cdp = await browser.context.newCDPSession(page);
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/** Heap after two forced collections, DOM counters, and what the page has seen. */
async function measure(label, t0) {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters');
    const applied = await page.evaluate(() => window.__live?.applied ?? 0);
    const tickerRows = await page.locator('.om-wall-ticker li').count();
    return {label, at_s: Math.round((Date.now() - t0) / 1000), used_bytes: heap.usedSize, total_bytes: heap.totalSize,
        dom_nodes: dom.nodes, js_event_listeners: dom.jsEventListeners, documents: dom.documents, events_applied: applied, ticker_rows: tickerRows};
}

test(`the wall keeps its memory flat over ${MINUTES} min of live events`, {timeout: (MINUTES + 10) * 60_000}, async () => {
    const t0 = Date.now();
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=${ROTATE}&heartbeat=5`);
    await page.waitForFunction(() => window.__mapReady === true && (document.querySelector('.om-spot-name')?.textContent ?? '') !== '', null, {timeout: 60_000});
    const region = await page.evaluate(() => window.__wall.region);
    const children = await authed(server.base, admin, `/api/regions/${region}/children`);
    assert.equal(children.status, 200, `children of ${region}: ${JSON.stringify(children.body)}`);
    const h = await findToggleHousehold(server.base, admin, [...children.body.projects].sort((a, b) => a.households - b.households));
    assert.ok(h, `no surveyed or signed household in ${region}`);
    const initial = h.status;

    // The writer: one change every 2 s until told to stop.
    let writing = true, written = 0;
    const failures = [];
    const writer = (async () => {
        while (writing) {
            const t = Date.now();
            try {
                await toggle(server.base, admin, h, '大屏浸泡测试往返 wall soak round trip');
                written++;
            } catch (err) {
                failures.push(String(err).slice(0, 300));
                await refresh(server.base, admin, h).catch(() => {});
            }
            await sleep(Math.max(0, EVENT_EVERY_MS - (Date.now() - t)));
        }
    })();

    await sleep(Math.max(0, WARMUP_MS - (Date.now() - t0)));
    const start = await measure('start', t0);
    console.log(JSON.stringify(start));
    const samples = [start];
    const end_at = Date.now() + MINUTES * 60_000;
    while (Date.now() < end_at) {
        await sleep(Math.min(60_000, end_at - Date.now()));
        const s = await measure(Date.now() >= end_at ? 'end' : 'sample', t0);
        console.log(JSON.stringify(s));
        samples.push(s);
    }
    writing = false;
    await writer;
    if (h.status !== initial) await toggle(server.base, admin, h, '大屏浸泡测试复原 wall soak restore');

    const end = samples[samples.length - 1];
    const limit = start.used_bytes * 0.10 + 2 * MB;
    const growth = end.used_bytes - start.used_bytes;
    const report = {
        minutes: MINUTES, warmup_s: WARMUP_MS / 1000, viewport: `${WIDTH}x${HEIGHT}`, rotate_s: ROTATE, event_every_ms: EVENT_EVERY_MS,
        household: h.id, project: h.project.id, events_written: written, write_failures: failures.length,
        start, end, growth_bytes: growth, growth_pct: Number(((growth / start.used_bytes) * 100).toFixed(2)), limit_bytes: Math.round(limit),
        samples,
    };
    writeFileSync(path.join(OUT, 'wall-soak.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`heap ${(start.used_bytes / MB).toFixed(2)} MB → ${(end.used_bytes / MB).toFixed(2)} MB (${report.growth_pct} %), limit +${(limit / MB).toFixed(2)} MB; `
        + `DOM nodes ${start.dom_nodes} → ${end.dom_nodes}, listeners ${start.js_event_listeners} → ${end.js_event_listeners}; ${written} events written`);

    assert.ok(growth < limit, `heap grew ${(growth / MB).toFixed(2)} MB, more than ${(limit / MB).toFixed(2)} MB`);
    assert.ok(end.dom_nodes <= start.dom_nodes * 1.1 + 200, `DOM nodes ${start.dom_nodes} → ${end.dom_nodes}`);
    assert.ok(end.js_event_listeners <= start.js_event_listeners * 1.1 + 50, `listeners ${start.js_event_listeners} → ${end.js_event_listeners}`);
    assert.ok(end.ticker_rows <= 4, `the ticker holds ${end.ticker_rows} rows`);
    assert.ok(written > 0 && failures.length <= written / 10, `${written} events written, ${failures.length} failed: ${failures.slice(0, 3).join(' | ')}`);
    assert.ok(end.events_applied - start.events_applied >= (MINUTES * 60_000 / EVENT_EVERY_MS) * 0.8, 'the page did not apply the events');
    assert.deepEqual(pageErrors, []);
});
