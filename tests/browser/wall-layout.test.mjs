// Browser test of the wall's layout at 1920×1080 and 3840×2160, in Chinese and English: every panel, and every part of a column, lies fully inside its column and the screen (no scrolling on a wall), and nothing covers the map's centre.
//
// Needs ONEMAP_BIN, DATABASE_URL (demo database, read only) and frontend/dist (btest gives them).
// Screenshots: tests/browser/out/wall-layout-1080.png, wall-layout-1080-en.png, wall-layout-4k.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {KIOSK_TOKEN, OUT, startBrowser, startServer} from './harness.mjs';

let server, browser, page;
const problems = [];

before(async () => {
    server = await startServer({log: 'server-wall-layout'});
    browser = await startBrowser();
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('pageerror', err => problems.push(`page error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/** Every panel's box, every column part's box, and what sticks out of its column or the screen or covers the map's centre. */
const overflows = () => page.evaluate(() => {
    const W = innerWidth, H = innerHeight, out = [];
    const box = e => e.getBoundingClientRect();
    const classes = e => String(e.className).split(' ');
    const name = e => classes(e).find(c => c.startsWith('om-wall-') && c !== 'om-wall-panel') ?? classes(e).find(c => c.startsWith('om-')) ?? e.tagName;
    const panels = [...document.querySelectorAll('.om-wall-panel')].filter(e => e.getClientRects().length);
    // the map's centre: the middle quarter of the screen between the columns
    const centre = {left: W * 0.375, right: W * 0.625, top: H * 0.375, bottom: H * 0.625};
    for (const p of panels) {
        const r = box(p);
        if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) out.push(`${name(p)} leaves the screen: ${JSON.stringify(r)}`);
        if (r.left < centre.right && r.right > centre.left && r.top < centre.bottom && r.bottom > centre.top) out.push(`${name(p)} covers the map's centre`);
        if (p.scrollHeight > p.clientHeight + 1) out.push(`${name(p)} overflows by ${p.scrollHeight - p.clientHeight} px`);
        // each part of a column (a card: figures, stages, cases, ranking, alerts) wholly inside it
        for (const part of p.children) {
            if (!part.getClientRects().length) continue;
            const q = box(part);
            if (q.height === 0) continue;
            if (q.bottom > r.bottom + 0.5 || q.top < r.top - 0.5 || q.right > r.right + 0.5 || q.left < r.left - 0.5) {
                out.push(`${name(part)} in ${name(p)} sticks out: ${Math.round(q.bottom - r.bottom)} px below`);
            }
        }
        // nothing inside wider than the panel (a table or a list pushed past its right edge)
        for (const inner of p.querySelectorAll('table, ul, ol')) {
            const q = box(inner);
            if (inner.getClientRects().length && q.right > r.right + 0.5) out.push(`${name(inner)} in ${name(p)} is ${Math.round(q.right - r.right)} px too wide`);
        }
        for (const row of p.querySelectorAll('.om-case-chips li')) {
            if (row.lastElementChild && box(row.lastElementChild).right > r.right + 0.5) out.push(`a case count in ${name(p)} is cut`);
        }
    }
    // panels do not overlap each other
    for (let i = 0; i < panels.length; i++) {
        for (let j = i + 1; j < panels.length; j++) {
            const [a, b] = [box(panels[i]), box(panels[j])];
            if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
                out.push(`${name(panels[i])} overlaps ${name(panels[j])}`);
            }
        }
    }
    return out;
});

async function open(width, height, lang = 'zh') {
    await page.setViewportSize({width, height});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120&lang=${lang}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    // every panel has its data: figures, cases, the week's ranking, the alerts, the groups' ranking
    await page.waitForFunction(() => /\d/.test(document.querySelector('.om-wall-overview .om-hero-value')?.textContent ?? '')
        && document.querySelector('.om-wall .om-ranking tbody tr')
        && document.querySelector('.om-wall .om-case-stat')
        && document.querySelector('.om-wall-groups tbody tr')
        && document.querySelector('.om-wall .om-alerts .om-alert, .om-wall .om-alerts .om-empty'), null, {timeout: 60_000});
    // the settled layout is checked, not a frame between a chart's first draw and its resize:
    // up to 5 s for the checks to come out clean, then the assertion reads them as they are
    await page.waitForTimeout(500);
    const settled = Date.now() + 5_000;
    while ((await overflows()).length && Date.now() < settled) await page.waitForTimeout(250);
}

for (const [width, height, file] of [[1920, 1080, 'wall-layout-1080'], [3840, 2160, 'wall-layout-4k']]) {
    test(`wall at ${width}×${height}: every panel inside its column and the screen, the map's centre free (zh and en)`, async () => {
        await open(width, height);
        const zh = await overflows();
        await page.screenshot({path: path.join(OUT, `${file}.png`), timeout: 90_000});
        assert.deepEqual(zh, [], `zh at ${width}×${height}`);
        for (const title of ['一周一通报', '预警']) {
            const seen = await page.locator('.om-wall .om-card-head h2', {hasText: title}).first().isVisible();
            assert.ok(seen, `${title} is on screen`);
        }
        await open(width, height, 'en');
        const en = await overflows();
        // English is looked at once, at 1080p (a 4K screenshot costs a minute on a loaded machine),
        // before the check, as zh, so a failure can be seen
        if (width === 1920) await page.screenshot({path: path.join(OUT, `${file}-en.png`), timeout: 90_000});
        assert.deepEqual(en, [], `en at ${width}×${height}`);
        assert.deepEqual(problems, []);
    });
}
