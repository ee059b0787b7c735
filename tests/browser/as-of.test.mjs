// Browser test of the screen's one time (as of a past day) and of scope: every cockpit panel and the map follow the date picker, back to live, a ranking kept to the selected district, the day-by-day replay moving the map's colours, and the wall in history.
//
// README. Needs what cockpit.test.mjs needs (ONEMAP_BIN, DATABASE_URL of a fresh demo database it
// may WRITE to, PSQL_URL, frontend/dist); run with /work/wt/tools/btest or as cockpit.test.mjs says.
// It signs a household that lives alone in its building TODAY (POST /api/status), opens the
// cockpit on that building (district 430702) and checks: live, the building is drawn signed; as of
// yesterday (the date picker) the banner shows, the URL keeps the day, gauges, children, rankings,
// alerts and trend say yesterday, the district's signed gauge is one less and the building is drawn
// surveyed again (as-of tiles); 回到实时 brings all of it back. The ranking keeps to the district
// (every street code in it, the city-wide rank beside). The slider moved across the project's
// busiest day changes the map's colours, and ▶ plays day by day with the day shown large. Last,
// /wall/ at 3840×2160 in history, then its replay. Screenshots: out/as-of-1080.png,
// out/as-of-replay-1080.png, out/wall-as-of-4k.png, out/wall-replay-1080.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT} from './harness.mjs';
import {toggle} from './households.mjs';
import {authed, startAsAdmin} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
const DISTRICT = '430702';

let server, browser, page, admin, subject, yesterday;
const problems = [];
const shot = name => page.screenshot({path: path.join(OUT, name)});
const digits = s => Number(String(s).replace(/\D/g, ''));
const beijingDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function settle() {
    await page.waitForFunction(() => !window.__map.isMoving() && window.__map.areTilesLoaded(), null, {timeout: 30_000});
    await drawn(page);
}

/** The status the map draws building `id` in: the live feature-state over the tile's property, as the layer's colour reads it. */
const drawnStatus = id => page.evaluate(b => {
    const map = window.__map;
    const f = map.querySourceFeatures('buildings', {sourceLayer: 'buildings'}).find(x => x.id === b);
    if (!f) return null;
    return map.getFeatureState({source: 'buildings', sourceLayer: 'buildings', id: b}).status ?? f.properties.status;
}, id);

/** How many drawn buildings are in each status: the map's colours, counted. */
const colours = () => page.evaluate(() => {
    const seen = new Map();
    for (const f of window.__map.querySourceFeatures('buildings', {sourceLayer: 'buildings'})) seen.set(f.id, f.properties.status);
    const count = {};
    for (const s of seen.values()) count[s] = (count[s] ?? 0) + 1;
    return count;
});

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-as-of', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    await page.setViewportSize({width: 1920, height: 1080});
    // a surveyed household alone in its building, in the district: signing it recolours the building
    [subject] = await query(`SELECT h.id, h.version, 'surveyed' AS status, b.id AS building, b.project_id AS project,
            ST_X(ST_PointOnSurface(b.geom)) AS lon, ST_Y(ST_PointOnSurface(b.geom)) AS lat
          FROM households h JOIN buildings b ON b.id = h.building_id AND b.households = 1
          JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
         WHERE h.status = 'surveyed' AND (SELECT id FROM regions WHERE code = :'p1') = ANY (r.lineage)
         ORDER BY h.id LIMIT 1`, [DISTRICT]);
    assert.ok(subject, 'a lone surveyed household in the district');
    await toggle(server.base, admin, subject, '浏览器测试：今日签约 browser test: signed today');
    yesterday = beijingDay(-1);
});

after(async () => {
    if (subject?.status === 'signed') await toggle(server.base, admin, subject).catch(() => {});
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, []);
});

test('as of yesterday: every panel and the map change, with the banner; back to live', async () => {
    const t0 = Date.now();
    await page.goto(`${server.base}/?kiosk=${KIOSK_TOKEN}&region=${DISTRICT}#16.5/${subject.lat}/${subject.lon}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.locator('.om-gauges[data-scope-name]').waitFor({timeout: 20_000});
    await page.locator('.om-ranking tbody tr').first().waitFor({timeout: 20_000});
    await page.waitForFunction(() => document.querySelector('.om-trend')?.dataset.lastDay, null, {timeout: 20_000});
    await settle();
    assert.equal(await drawnStatus(subject.building), 'signed', 'live: the building signed today is drawn signed');
    assert.equal(await page.locator('.om-history-banner').isVisible(), false);
    const liveSigned = digits(await page.locator('.om-gauges .om-gauge-signed .om-v').innerText());
    const liveTrendEnd = await page.locator('.om-trend').getAttribute('data-last-day');

    // the one date picker, at the top of the screen
    await page.locator('.om-timebar .om-asof').fill(yesterday);
    await page.locator('.om-timebar .om-asof').dispatchEvent('change');
    const t1 = Date.now();
    await page.waitForFunction(day => ['.om-gauges', '.om-children', '.om-ranking', '.om-alerts', '.om-trend']
        .every(s => document.querySelector(s)?.dataset.asOf === day), yesterday, {timeout: 20_000});
    await page.waitForFunction(id => {
        const map = window.__map;
        const f = map.querySourceFeatures('buildings', {sourceLayer: 'buildings'}).find(x => x.id === id);
        return f && f.properties.status === 'surveyed' && map.getFeatureState({source: 'buildings', sourceLayer: 'buildings', id}).status === undefined;
    }, subject.building, {timeout: 20_000});
    console.log(`as of yesterday: every panel and the map in ${Date.now() - t1} ms (page open to here ${Date.now() - t0} ms)`);
    await settle();
    assert.equal(await drawnStatus(subject.building), 'surveyed', 'as of yesterday the building is drawn as it was');
    assert.match(await page.locator('.om-history-banner').innerText(), new RegExp(`历史视图 · 截至 ${yesterday}`));
    assert.ok(page.url().includes(`as_of=${yesterday}`), 'the URL keeps the day');
    // other test files sign in this district today too: the gauge is the API's figure as of the day, below the live one
    const signedThen = (await authed(server.base, admin, `/api/figures/regions/${DISTRICT}?as_of=${yesterday}`)).body
        .figures.find(f => f.key === 'signed').value;
    const shownThen = digits(await page.locator('.om-gauges .om-gauge-signed .om-v').innerText());
    assert.equal(shownThen, signedThen, 'the signed gauge is the figure as of yesterday');
    assert.ok(shownThen < liveSigned, `fewer signed yesterday (${shownThen}) than now (${liveSigned}), the test's own signing among them`);
    assert.equal(await page.locator('.om-trend').getAttribute('data-last-day'), yesterday, 'the trend ends at the day');
    assert.notEqual(liveTrendEnd, yesterday);
    assert.match(await page.locator('[data-export="regions"]').getAttribute('href'), new RegExp(`as_of=${yesterday}`));
    await shot('as-of-1080.png');

    await page.locator('.om-history-back').click();
    await page.waitForFunction(() => ['.om-gauges', '.om-children', '.om-ranking', '.om-alerts', '.om-trend']
        .every(s => document.querySelector(s)?.dataset.asOf === ''), null, {timeout: 20_000});
    await settle();
    assert.equal(await drawnStatus(subject.building), 'signed', 'back to live');
    assert.equal(await page.locator('.om-history-banner').isVisible(), false);
    assert.ok(!page.url().includes('as_of='));
    assert.equal(digits(await page.locator('.om-gauges .om-gauge-signed .om-v').innerText()), liveSigned);
});

test('the ranking and the alerts keep to the selected district, the city-wide rank beside', async () => {
    await page.waitForFunction(d => document.querySelector('.om-ranking')?.dataset.region === d
        && document.querySelector('.om-alerts')?.dataset.region === d, DISTRICT, {timeout: 20_000});
    const codes = await page.locator('.om-ranking tbody tr').evaluateAll(rows => rows.map(r => r.dataset.code));
    assert.ok(codes.length > 0 && codes.every(c => c.startsWith(DISTRICT)), `streets of ${DISTRICT} only: ${codes}`);
    assert.equal(await page.locator('.om-ranking tbody tr .om-rank-no').first().innerText().then(s => s.split('\n')[0]), '1');
    assert.ok(await page.locator('.om-ranking .om-rank-city').count() > 0, 'the city-wide rank is shown');
    assert.match(await page.locator('.om-rank-legend').innerText(), /新/);
    // no "上期 —": a row without a previous rank says 新 or —, unchanged says =
    for (const text of await page.locator('.om-ranking tbody td:nth-child(4)').allInnerTexts()) assert.match(text, /^(↑\d+|↓\d+|=|新|—)$/);
});

test('the slider replays the map day by day', async () => {
    // the project's busiest day: the slider across it must change the colours in view
    const [busy] = await query(`SELECT (e.at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, count(*) AS n
          FROM status_events e JOIN households h ON h.id = e.household_id JOIN buildings b ON b.id = h.building_id
         WHERE b.project_id = :'p1' AND (e.at AT TIME ZONE 'Asia/Shanghai')::date < (now() AT TIME ZONE 'Asia/Shanghai')::date - 1
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`, [subject.project]);
    const slideTo = async day => {
        await page.evaluate(d => {
            const slider = document.querySelector('.om-timebar-slider');
            const first = slider.max - Math.round((Date.parse(`${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse(`${d}T00:00:00Z`)) / 86_400_000);
            slider.value = String(first);
            slider.dispatchEvent(new Event('input'));
        }, day);
        await page.waitForFunction(d => window.__asOf.day === d, day, {timeout: 5_000});
        await page.waitForFunction(d => document.querySelector('.om-gauges')?.dataset.asOf === d, day, {timeout: 20_000});
        await settle();
        return colours();
    };
    const dayBefore = new Date(Date.parse(`${busy.day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before_ = await slideTo(dayBefore);
    const after_ = await slideTo(busy.day);
    console.log(`replay: ${busy.n} events on ${busy.day}; colours ${JSON.stringify(before_)} → ${JSON.stringify(after_)}`);
    assert.notDeepEqual(before_, after_, 'the map\'s colours move with the day');

    // ▶ plays on from the day shown, one day per tick, the day shown large
    await page.locator('.om-timebar-speed').selectOption('4');
    await page.locator('.om-timebar-play').click();
    await page.waitForFunction(d => (window.__asOf.day ?? '9999') > d, busy.day, {timeout: 5_000});
    await page.waitForTimeout(800);
    await shot('as-of-replay-1080.png');
    await page.locator('.om-timebar-play').click();
    const shown = await page.evaluate(() => window.__asOf.day);
    assert.ok(shown > busy.day);
    assert.equal(await page.locator('.om-timebar-day').innerText(), shown);
    await page.locator('.om-history-back').click();
    await page.waitForFunction(() => window.__asOf.day === null);
});

test('the wall at 3840×2160 in history: banner, ranking and alerts of its district, the replay', async () => {
    await page.setViewportSize({width: 3840, height: 2160});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120&region=${DISTRICT}&as_of=${yesterday}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.waitForFunction(([d, day]) => document.querySelector('.om-wall-streets .om-ranking')?.dataset.region === d
        && document.querySelector('.om-wall-streets .om-ranking')?.dataset.asOf === day
        && document.querySelector('.om-wall-overview .om-alerts')?.dataset.asOf === day, [DISTRICT, yesterday], {timeout: 30_000});
    // read in one go: a 4K page drawn in software is slow to answer Playwright's locators
    const {banner, codes} = await page.evaluate(() => ({
        banner: document.querySelector('.om-history-banner')?.textContent ?? '',
        codes: [...document.querySelectorAll('.om-wall-streets .om-ranking tbody tr')].map(r => r.dataset.code),
    }));
    assert.match(banner, new RegExp(yesterday));
    assert.ok(codes.length > 0 && codes.every(c => c.startsWith(DISTRICT)), `wall ranking inside ${DISTRICT}: ${codes}`);
    await page.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 30_000});
    await page.screenshot({path: path.join(OUT, 'wall-as-of-4k.png')});
    const small = await page.evaluate(() => [...document.querySelectorAll('.om-wall-panel *, .om-wall-timebar *')]
        .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length)
        .map(e => parseFloat(getComputedStyle(e).fontSize)).filter(px => px < 32));
    assert.deepEqual(small, [], 'text on the 4K wall in history is at least 32 px');
    // the replay on the wall, at 1920×1080 (a 4K page drawn in software takes seconds a frame here)
    await page.setViewportSize({width: 1920, height: 1080});
    await page.evaluate(() => { window.__asOf.set('2026-09-01'); window.__timebar.start(); });
    await page.waitForFunction(() => window.__asOf.day > '2026-09-02', null, {timeout: 20_000});
    await page.evaluate(() => window.__timebar.stop());
    await page.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 30_000});
    await page.screenshot({path: path.join(OUT, 'wall-replay-1080.png')});
});
