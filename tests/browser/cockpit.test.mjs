// Browser test of the cockpit (/) at 1920×1080 and the phone view (/m/) at 390×844: screenshots, drill-down by clicking, a live gauge.
//
// README. Needs what live.test.mjs needs (ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE
// to, frontend/dist). It opens the cockpit with the kiosk token, waits for every panel (gauges with
// their definitions, ranking, alerts, trend, ticker) and takes out/cockpit-1080.png; climbs to the
// city with the breadcrumb, then clicks a district and one of its streets ON THE MAP (at their label
// points) and checks the breadcrumb and the gauges' scope follow; selects a project of that street
// from its row, moves one household surveyed ⇄ signed through POST /api/status and checks the shown
// signed count and sign rate change without a reload (then moves it back). Finally it opens /m/ at
// 390×844 (out/phone.png) and taps a street row. Run: cd frontend && npm run build && DATABASE_URL=… \
//   node --test --test-concurrency=1 ../tests/browser/cockpit.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {KIOSK_TOKEN, OUT} from './harness.mjs';
import {findToggleHousehold, toggle} from './households.mjs';
import {authed, startAsAdmin} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
/** From the API write to the new number on screen. */
const LIVE_GAUGE_MS = Number(process.env.LIVE_GAUGE_MS ?? 3000);

let server, browser, page, admin;
const problems = [];

const shot = name => page.screenshot({path: path.join(OUT, name)});
const digits = s => s.replace(/\D/g, '');

/** Waits until the map stopped moving and has drawn everything, its label points included. */
async function settle(p = page) {
    await p.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 30_000});
    await drawn(p);
}

/** The current crumb and the gauges' scope name, once both say `name`. */
async function waitForScope(name) {
    await page.waitForFunction(n => document.querySelector('.om-crumb-current')?.textContent === n
        && document.querySelector('.om-gauges')?.dataset.scopeName === n, name, {timeout: 20_000});
}

/**
 * A point of the map inside region `code` that nothing covers: its label point (one per region,
 * computed inside the polygon), in page coordinates; null if it is off screen or under a dock.
 */
function clickablePoint(code) {
    return page.evaluate(c => {
        const map = window.__map;
        const rect = map.getCanvas().getBoundingClientRect();
        const f = map.querySourceFeatures('labels').find(x => x.properties.source === 'regions'
            && map.querySourceFeatures('regions', {sourceLayer: 'regions', filter: ['==', ['to-string', ['get', 'code']], c]})
                .some(r => String(r.id) === x.properties.key));
        if (!f) return null;
        const p = map.project(f.geometry.coordinates);
        const x = rect.left + p.x, y = rect.top + p.y;
        return document.elementFromPoint(x, y) === map.getCanvas() ? {x, y} : null;
    }, code);
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-cockpit', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    await page.setViewportSize({width: 1920, height: 1080});
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('cockpit at 1920×1080: gauges with definitions, ranking, alerts, trend, ticker', async () => {
    await page.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.locator('.om-gauges[data-scope-name]').waitFor({timeout: 20_000});
    await page.locator('.om-ranking tbody tr').first().waitFor({timeout: 20_000});
    await page.locator('.om-alerts li').first().waitFor({timeout: 20_000});
    await page.locator('.om-trend canvas').first().waitFor({timeout: 20_000});
    await page.locator('.om-children .om-row').first().waitFor({timeout: 20_000});
    await page.waitForFunction(() => window.__live?.connected === true, null, {timeout: 10_000});
    await settle();
    await page.mouse.move(960, 5);
    await shot('cockpit-1080.png');

    const cells = await page.$$eval('.om-gauges .om-gauge:not([hidden])', els => els.map(e => ({
        name: e.querySelector('dt').textContent, value: e.querySelector('.om-v').textContent, def: e.querySelector('.om-def').textContent,
    })));
    assert.ok(cells.length >= 10, `only ${cells.length} gauges shown`);
    for (const c of cells) assert.ok(c.def.trim().length > 0, `gauge ${c.name} shows no definition`);
    assert.match(await page.locator('.om-gauges .om-hero-value').innerText(), /^\d+\.\d$/);
    assert.match(await page.locator('.om-gauges .om-hero-def').innerText(), /÷/, 'sign rate definition not shown');
    // The docks leave the middle of the map free.
    const free = await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight * 0.4) === window.__map.getCanvas());
    assert.ok(free, 'the middle of the map is covered');
});

test('drill-down by clicking: city crumb, then a district and a street on the map', async () => {
    const city = page.locator('.om-crumbs button[data-code]').first();
    const cityName = await city.innerText();
    await city.click();
    await waitForScope(cityName);
    await settle();

    const pickChild = async level => {
        await page.waitForFunction(() => window.__drill.view.children?.children.length > 0, null, {timeout: 20_000});
        const children = await page.evaluate(() => window.__drill.view.children.children);
        // Regions with households first: their gauges have something to show.
        children.sort((a, b) => b.households - a.households);
        for (const c of children) {
            const at = await clickablePoint(c.code);
            if (at) return {...c, at};
        }
        throw new Error(`no ${level} of ${JSON.stringify(children.map(c => c.name))} can be clicked on the map`);
    };

    const district = await pickChild('district');
    await page.mouse.click(district.at.x, district.at.y);
    await waitForScope(district.name);
    await settle();
    const street = await pickChild('street');
    await page.mouse.click(street.at.x, street.at.y);
    await waitForScope(street.name);
    await settle();

    const crumbs = await page.$$eval('.om-crumbs li', lis => lis.map(li => li.textContent));
    assert.deepEqual(crumbs.slice(-3), [cityName, district.name, street.name], `breadcrumb: ${crumbs.join(' › ')}`);
    assert.equal(await page.locator('.om-gauges').getAttribute('data-scope-code'), street.code);
    await page.mouse.move(960, 5);
    await shot('cockpit-drill-street.png');
});

test('a live status change updates the signed count and sign rate on screen without a reload', async () => {
    const projects = await page.evaluate(() => window.__drill.view.children?.projects ?? []);
    assert.ok(projects.length > 0, 'the street has no projects');
    // Small projects first: one household moves their sign rate visibly.
    const h = await findToggleHousehold(server.base, admin, [...projects].filter(p => p.households >= 5).sort((a, b) => a.households - b.households));
    assert.ok(h, 'no surveyed or signed household in the street\'s projects');
    await page.click(`.om-row-project[data-project-id="${h.project.id}"]`);
    await page.waitForFunction(id => {
        const g = document.querySelector('.om-gauges');
        return g?.dataset.scopeKind === 'project' && g.dataset.scopeCode === String(id) && g.dataset.scopeName;
    }, h.project.id, {timeout: 20_000});
    await page.waitForFunction(() => /\d/.test(document.querySelector('.om-gauges .om-gauge-signed .om-v')?.textContent ?? ''));
    const before = Number(digits(await page.locator('.om-gauges .om-gauge-signed .om-v').innerText()));
    const rateBefore = await page.locator('.om-gauges .om-hero-value').innerText();
    await page.evaluate(() => { window.__noReload = true; });

    const t0 = Date.now();
    const to = await toggle(server.base, admin, h);
    const want = before + (to === 'signed' ? 1 : -1);
    await page.waitForFunction(w => document.querySelector('.om-gauges .om-gauge-signed .om-v')?.textContent.replace(/\D/g, '') === String(w),
        want, {timeout: LIVE_GAUGE_MS});
    console.log(`household ${h.id} → ${to}: signed ${before} → ${want} on screen ${Date.now() - t0} ms after the write was sent`);
    const fig = await authed(server.base, admin, `/api/figures/projects/${h.project.id}`);
    const rate = fig.body.figures.find(f => f.key === 'sign_rate').value;
    await page.waitForFunction(r => document.querySelector('.om-gauges .om-hero-value')?.textContent === r, (rate * 100).toFixed(1), {timeout: LIVE_GAUGE_MS});
    console.log(`sign rate ${rateBefore}% → ${(rate * 100).toFixed(1)}%`);
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page reloaded');
    await shot('cockpit-live-project.png');
    await toggle(server.base, admin, h); // and back, so the demo data stays as it was
});

test('phone view at 390×844: figures by region, tap a row to go down', async () => {
    const phone = await browser.context.newPage();
    phone.on('pageerror', err => problems.push(`phone page error: ${err}`));
    await phone.setViewportSize({width: 390, height: 844});
    await phone.goto(`${server.base}/m/?kiosk=${KIOSK_TOKEN}`);
    await phone.waitForFunction(() => /\d/.test(document.querySelector('.om-hero-value')?.textContent ?? ''), null, {timeout: 30_000});
    await phone.locator('.om-children .om-row').first().waitFor({timeout: 20_000});
    await phone.screenshot({path: path.join(OUT, 'phone.png')});
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page scrolls sideways (${width} px wide)`);

    const row = phone.locator('.om-children .om-row-region:not(.om-row-empty)').first();
    const name = await row.locator('.om-row-name').innerText();
    await row.click();
    await phone.waitForFunction(n => document.querySelector('.om-m-title')?.textContent === n
        && document.querySelector('.om-m-here')?.textContent === n, name, {timeout: 20_000});
    await phone.screenshot({path: path.join(OUT, 'phone-street.png'), fullPage: true});
    await phone.close();
});

test('nothing was fetched from outside the machine and the console has no errors', () => {
    assert.deepEqual(problems, []);
});
