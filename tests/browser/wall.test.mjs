// Browser test of the wall display (/wall/) at 3840×2160: screenshot, text big enough for five metres, the spotlight rotating.
//
// README. Needs ONEMAP_BIN, DATABASE_URL (demo database, read only here) and frontend/dist. It opens
// /wall/?kiosk=… at 3840×2160 (device pixels = CSS pixels, as on a 4K wall), waits for the region
// overview, the spotlight's figures and trend, the ticker and the map flown to the first project,
// takes out/wall-4k.png and checks that every visible text on the panels is at least 32 px. Then it
// opens /wall/?kiosk=…&rotate=3 and expects the spotlight's project to change within 7 s (ROTATE_MS).
// Also: ticker rows carry a date when not today and the project name, the Live dots are green when
// connected, no date breaks across lines (4K and 1080p, out/wall-1080.png), and a refused kiosk token
// shows a full-screen notice (out/wall-kiosk-refused.png); without a token the login form is legible
// (out/wall-login.png).
// Run: cd frontend && npm run build && DATABASE_URL=… node --test ../tests/browser/wall.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {KIOSK_TOKEN, OUT, isLocal, startBrowser, startServer} from './harness.mjs';
import {drawn} from './settle.mjs';

const ROTATE_MS = Number(process.env.ROTATE_MS ?? 7000);
let server, browser, page;
const problems = [];

/** Waits until the map stopped flying and has drawn everything, its label points included. */
async function settle() {
    await page.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 60_000});
    await drawn(page);
}

/** Dates on the panels that break across lines ("2027-07-/18"): each date's text must sit on one line box. */
const brokenDates = () => page.evaluate(() => {
    const out = [];
    for (const root of document.querySelectorAll('.om-wall-top, .om-wall-panel')) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            for (const m of n.textContent.matchAll(/\d{4}-\d{2}-\d{2}|\d{2}-\d{2} \d{2}:\d{2}/g)) {
                const r = document.createRange();
                r.setStart(n, m.index);
                r.setEnd(n, m.index + m[0].length);
                const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
                if (tops.size > 1) out.push(`${m[0]} in “${n.textContent.slice(0, 40)}”`);
            }
        }
    }
    return out;
});

before(async () => {
    server = await startServer({log: 'server-wall'});
    browser = await startBrowser();
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('wall at 3840×2160: overview, spotlight, clock, ticker; all text ≥ 32 px', async () => {
    await page.setViewportSize({width: 3840, height: 2160});
    // A slow rotation, so the screenshot catches one project at rest.
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.waitForFunction(() => /\d/.test(document.querySelector('.om-wall-overview .om-hero-value')?.textContent ?? '')
        && /\d/.test(document.querySelector('.om-wall-spot .om-hero-value')?.textContent ?? '')
        && document.querySelector('.om-wall-spot canvas')
        && /\d\d:\d\d:\d\d$/.test(document.querySelector('.om-wall-updated')?.textContent ?? ''), null, {timeout: 60_000});
    await page.locator('.om-wall-streets .om-ranking tbody tr').first().waitFor({timeout: 20_000});
    await settle();
    await page.screenshot({path: path.join(OUT, 'wall-4k.png')});

    const small = await page.evaluate(() => {
        const out = [];
        for (const root of document.querySelectorAll('.om-wall-top, .om-wall-panel')) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const e = n.parentElement;
                if (!n.textContent.trim() || !e || e.getClientRects().length === 0) continue;
                const px = parseFloat(getComputedStyle(e).fontSize);
                if (px < 32) out.push(`${px}px “${n.textContent.trim().slice(0, 30)}” (${e.className})`);
            }
        }
        return out;
    });
    assert.deepEqual(small, [], 'text smaller than 32 px on the 4K wall');
    const name = await page.locator('.om-spot-name').innerText();
    assert.ok(name.length > 0, 'the spotlight has no project');

    // The ticker: every row has a time (with its date when not today, Beijing time) and a project name beside the building code.
    const rows = await page.locator('.om-wall-ticker li:not(.om-tick-empty)').evaluateAll(lis => lis.map(li => ({
        time: li.querySelector('time').textContent, project: li.querySelector('.om-tick-project').textContent,
        code: li.querySelector('.om-tick-code').textContent,
        cut: li.querySelector('.om-tick-project').scrollWidth > li.querySelector('.om-tick-project').clientWidth})));
    assert.ok(rows.length > 0, 'the ticker shows no change');
    const today = new Intl.DateTimeFormat('sv-SE', {timeZone: 'Asia/Shanghai'}).format(new Date());
    for (const {time, project, code, cut} of rows) {
        assert.match(time, /^(\d{2}:\d{2}:\d{2}|(\d{4}-)?\d{2}-\d{2} \d{2}:\d{2})$/, `ticker time “${time}”`);
        assert.ok(project.length > 2 && !cut, `ticker project “${project}” missing or cut`);
        assert.match(code, /^(房屋|地块) [^#]+$/, `ticker code “${code}”`);
    }
    const dated = rows.filter(r => r.time.includes(' '));
    console.log(`ticker (today ${today}): ${rows.map(r => `${r.time} ${r.project} ${r.code}`).join(' | ')}`);
    assert.ok(dated.length > 0 || rows.every(r => !r.time.includes('-')), 'no row carries a date');

    // The Live dots (ticker heading and clock) are green once the feed is connected.
    await page.waitForFunction(() => window.__live?.connected === true, null, {timeout: 10_000});
    const dots = await page.locator('.om-feed-dot').evaluateAll(ds => ds.map(d => [d.dataset.state, getComputedStyle(d).backgroundColor]));
    assert.equal(dots.length, 2);
    for (const [state, colour] of dots) {
        assert.equal(state, 'on');
        assert.equal(colour, 'rgb(0, 158, 115)', 'the connected dot is green');
    }

    assert.deepEqual(await brokenDates(), [], 'dates broken across lines');
});

test('wall at 1920×1080: the same panels, dates on one line; screenshot', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120`);
    await page.waitForFunction(() => window.__mapReady === true && window.__live?.connected === true, null, {timeout: 60_000});
    await page.locator('.om-wall-streets .om-ranking tbody tr').first().waitFor({timeout: 20_000});
    await page.locator('.om-wall-ticker li:not(.om-tick-empty)').first().waitFor({timeout: 20_000});
    await settle();
    await page.screenshot({path: path.join(OUT, 'wall-1080.png')});
    assert.equal(await page.locator('.om-wall-ticker .om-feed-dot').getAttribute('data-state'), 'on');
    assert.deepEqual(await brokenDates(), [], 'dates broken across lines');
});


test('the spotlight rotates to the next project (?rotate=3)', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=3`);
    await page.waitForFunction(() => (document.querySelector('.om-spot-name')?.textContent ?? '') !== '', null, {timeout: 60_000});
    const first = await page.locator('.om-spot-name').innerText();
    const t0 = Date.now();
    await page.waitForFunction(n => {
        const now = document.querySelector('.om-spot-name')?.textContent ?? '';
        return now !== '' && now !== n;
    }, first, {timeout: ROTATE_MS});
    const second = await page.locator('.om-spot-name').innerText();
    console.log(`spotlight: “${first}” → “${second}” after ${Date.now() - t0} ms`);
    assert.match(await page.locator('.om-spot-count').innerText(), /^2 \/ \d+$/);
});

test('nothing was fetched from outside the machine and the console has no errors', () => {
    assert.deepEqual(problems, []);
});

test('a refused kiosk token shows a full-screen notice, not a login form', async () => {
    // Last: its refused login is a console error the test above would count.
    const p = page;
    await p.setViewportSize({width: 1920, height: 1080});
    await p.goto(`${server.base}/wall/?kiosk=not-a-token`);
    const notice = p.locator('.om-kiosk-refused');
    await notice.waitFor({timeout: 20_000});
    assert.equal(await notice.innerText(), '令牌无效或已撤销，请联系管理员');
    assert.equal(await p.locator('.om-login').count(), 0, 'a login form was shown');
    const box = await notice.boundingBox();
    assert.ok(box.width === 1920 && box.height === 1080, `the notice covers ${JSON.stringify(box)}`);
    await p.screenshot({path: path.join(OUT, 'wall-kiosk-refused.png')});
});

test('without a token the wall asks for a login whose labels are dark on the white card', async () => {
    await browser.context.clearCookies();
    await page.goto(`${server.base}/wall/`);
    const form = page.locator('.om-login-card');
    await form.waitFor({timeout: 20_000});
    // WCAG contrast of the label text against the card: at least 4.5:1
    const ratio = await form.locator('.om-login-field span').first().evaluate(e => {
        const rgb = s => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(rgb(getComputedStyle(e.closest('.om-login-card')).backgroundColor))];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
    assert.ok(ratio >= 4.5, `label contrast ${ratio.toFixed(2)}:1`);
    await page.screenshot({path: path.join(OUT, 'wall-login.png')});
});
