// Browser test of the 楼盘表 (resettlement housing unit grid) at 1920×1080 and 390×844: the public page (/public/#e/CODE) and the desk's 安置房源 tab, live.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of the demo database (units change status), frontend/dist
// and psql. At each viewport: the public estate list and one estate's grid (out/housing-public-*.png):
// legend counts equal the units' statuses, no holder name or household code of the demo appears
// anywhere on the page, the page never scrolls sideways (the grid scrolls inside its box with a
// sticky floor column). Then a unit's status change made through the API as an admin recolours its
// cell on the open public page and on the desk without a reload (out/housing-live-*.png); the desk
// shows who holds a unit by household code and masked name (out/housing-desk-*.png); the cockpit
// opens the estate's grid beside the map from the housing panel (out/housing-cockpit-1080.png), whose
// 待选户/剩余/缺口 table per 套型 adds up (out/housing-panel-1080.png); on the desk an admin sets a
// 套型's floor plan (a PDF refused with the server's words), and the grid's 户型图 link serves the
// image (out/housing-floor-plan-1080.png); the wall's compact card counts the region's units as
// the API does and follows a unit event (out/housing-wall-1080.png).
// Run: /work/wt/tools/btest tests/browser/housing.test.mjs
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT, isLocal, startBrowser, startServer} from './harness.mjs';
import {authed, loginAs, useSession} from './session.mjs';

const VIEWPORTS = [
    {name: '1080', width: 1920, height: 1080},
    {name: '390', width: 390, height: 844},
];

let server, browser, page, admin, estate, names, codes;
const problems = [];
/** While a refusal is what the test asks for, the browser's own 4xx console line is expected. */
let refusing = false;
const shot = name => page.screenshot({path: path.join(OUT, `housing-${name}.png`)});

async function assertNoPageScroll(where) {
    const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
    assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in a ${width}px viewport`);
}

/** No household's full name nor code (any of the demo's) in the page's text. */
async function assertNoPersonalData(where) {
    const text = await page.locator('body').innerText();
    assert.deepEqual(names.filter(n => text.includes(n)), [], `${where}: holder names shown`);
    assert.deepEqual(codes.filter(c => text.includes(c)), [], `${where}: household codes shown`);
}

/** The status a cell shows, by unit id. */
const cellStatus = id => page.locator(`td.hs-unit[data-unit="${id}"]`).getAttribute('data-status');

/** A unit of the estate's first building (the one the grid opens on) that is available, and a swap household that may take it. */
async function availableUnit() {
    const [unit] = await query(`SELECT u.id FROM estate_units u JOIN estate_buildings b ON b.id = u.building_id
        WHERE u.estate_id = (SELECT id FROM estates WHERE code = :'p1') AND u.status = 'available'
          AND b.id = (SELECT id FROM estate_buildings WHERE estate_id = u.estate_id ORDER BY length(code), code LIMIT 1)
        ORDER BY u.floor DESC, u.id LIMIT 1`, [estate.code]);
    const [household] = await query(`SELECT h.code FROM households h JOIN buildings b ON b.id = h.building_id
        JOIN project_estates pe ON pe.project_id = b.project_id JOIN estates e ON e.id = pe.estate_id
        WHERE e.code = :'p1' AND h.resettlement = 'property_swap'
          AND NOT EXISTS (SELECT 1 FROM estate_units x WHERE x.household_id = h.id) ORDER BY h.id LIMIT 1`, [estate.code]);
    return {id: Number(unit.id), household: household?.code ?? null};
}

before(async () => {
    server = await startServer({log: 'server-housing'});
    browser = await startBrowser();
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('console', msg => {
        if (msg.type() !== 'error' || (refusing && /status of 4\d\d/.test(msg.text()))) return;
        problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    admin = await loginAs(server.base, {username: 'browser-test-housing', password: 'browser-test-housing-Pw-2026', role: 'admin'});
    // the estate with the most units held (selected, contracted, delivered): holders to hide and to show
    [estate] = await query(`SELECT e.code, e.name FROM estates e JOIN estate_units u ON u.estate_id = e.id
        GROUP BY e.id ORDER BY count(u.household_id) DESC, e.code LIMIT 1`);
    assert.ok(estate, 'the demo has no estates');
    names = (await query(`SELECT DISTINCT h.holder_name AS n FROM households h JOIN estate_units u ON u.household_id = h.id`)).map(r => r.n);
    codes = (await query(`SELECT h.code AS c FROM households h JOIN estate_units u ON u.household_id = h.id`)).map(r => r.c);
    assert.ok(names.length > 0, 'no unit of the demo is held by a household');
});

after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, []);
});

for (const vp of VIEWPORTS) {
    test(`the public 楼盘表 at ${vp.name}: counts, no personal data, live`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await page.goto(`${server.base}/public/#estates`);
        await page.waitForFunction(() => window.__public?.shown === 'estates');
        assert.ok(await page.locator('.pub-estate').count() >= 2, 'the estates are listed');
        await assertNoPageScroll('estate list');
        await shot(`public-list-${vp.name}`);

        await page.locator(`.pub-estate[data-code="${estate.code}"]`).click();
        await page.waitForFunction(code => window.__public?.shown === `estate:${code}`, estate.code);
        await page.locator('table.hs-table').waitFor();
        const [counts] = await query(`SELECT count(*) FILTER (WHERE status = 'available') AS available,
            count(*) FILTER (WHERE status = 'delivered') AS delivered FROM estate_units WHERE estate_id = (SELECT id FROM estates WHERE code = :'p1')`, [estate.code]);
        assert.equal(await page.locator('.hs-legend-item[data-status="available"] b').innerText(), String(counts.available));
        assert.equal(await page.locator('.hs-legend-item[data-status="delivered"] b').innerText(), String(counts.delivered));
        assert.equal(await page.locator('td.hs-unit .hs-holder').count(), 0, 'the public grid names no holder');
        await assertNoPersonalData('public grid');
        await assertNoPageScroll('public grid');
        // on the phone the grid scrolls inside its box, the floor column stays
        const box = page.locator('.hs-scroll');
        const inner = await box.evaluate(b => ({scroll: b.scrollWidth, width: b.clientWidth}));
        if (vp.width < 600) {
            assert.ok(inner.scroll > inner.width, 'the grid is wider than a phone: it scrolls inside its box');
            await box.evaluate(b => { b.scrollLeft = b.scrollWidth; });
            const floorLeft = await page.locator('tbody th.hs-floor').first().evaluate(th => th.getBoundingClientRect().left);
            const boxLeft = await box.evaluate(b => b.getBoundingClientRect().left);
            assert.ok(Math.abs(floorLeft - boxLeft) < 4, `the floor column stays at the left (${floorLeft} vs ${boxLeft})`);
        }
        await shot(`public-${vp.name}`);

        // a status change through the API recolours the cell without a reload
        const unit = await availableUnit();
        assert.equal(await cellStatus(unit.id), 'available');
        const started = Date.now();
        const r = await authed(server.base, admin, `/api/housing/units/${unit.id}/status`, {method: 'POST', json: {to: 'reserved', expected: 'available'}});
        assert.equal(r.status, 200, JSON.stringify(r.body));
        await page.waitForFunction(id => document.querySelector(`td.hs-unit[data-unit="${id}"]`)?.dataset.status === 'reserved', unit.id, {timeout: 10_000});
        console.log(`public 楼盘表 at ${vp.name}: API change to recoloured cell in ${Date.now() - started} ms`);
        await page.locator(`td.hs-unit[data-unit="${unit.id}"]`).scrollIntoViewIfNeeded();
        await shot(`live-${vp.name}`);
        // back, so the next viewport starts from the same demo
        const back = await authed(server.base, admin, `/api/housing/units/${unit.id}/status`, {method: 'POST', json: {to: 'available'}});
        assert.equal(back.status, 200, JSON.stringify(back.body));
        await page.waitForFunction(id => document.querySelector(`td.hs-unit[data-unit="${id}"]`)?.dataset.status === 'available', unit.id);
    });
}

test('the desk: holders by code and masked name, a clerk selects a unit for a household, live', async () => {
    await useSession(browser.context, server.base, admin);
    for (const vp of VIEWPORTS) {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await page.goto(`${server.base}/desk/#housing`);
        await page.waitForFunction(() => window.__desk?.ready);
        await page.locator('.dk-housing select[name="estate"]').selectOption(estate.code);
        await page.waitForFunction(code => document.querySelector('.dk-housing')?.dataset.estate === code, estate.code);
        await page.locator('td.hs-unit .hs-holder').first().waitFor();
        const holder = await page.locator('td.hs-unit .hs-holder').first().innerText();
        assert.match(holder, /^\p{Script=Han}\*\* \S+-H\d+$/u, `a holder reads masked name and household code: “${holder}”`);
        assert.deepEqual(names.filter(n => n.length > 1 && holder.includes(n)), [], 'no full name');
        await shot(`desk-${vp.name}`);
    }
    await page.setViewportSize({width: 1920, height: 1080});
    const unit = await availableUnit();
    assert.ok(unit.household, 'a swap household without a unit');
    // another clerk (the API) reserves it: the desk recolours it live
    const r = await authed(server.base, admin, `/api/housing/units/${unit.id}/status`, {method: 'POST', json: {to: 'reserved'}});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.waitForFunction(id => document.querySelector(`td.hs-unit[data-unit="${id}"]`)?.dataset.status === 'reserved', unit.id, {timeout: 10_000});
    // the clerk selects it for the household from the form
    const started = Date.now();
    await page.locator(`td.hs-unit[data-unit="${unit.id}"]`).click();
    await page.locator('.dk-unit-form select[name="to"]').selectOption('selected');
    await page.locator('.dk-unit-form input[name="household"]').fill(unit.household);
    await page.locator('.dk-unit-form button').click();
    await page.waitForFunction(id => document.querySelector(`td.hs-unit[data-unit="${id}"]`)?.dataset.status === 'selected', unit.id);
    console.log(`desk: a unit selected for a household in 4 actions, ${Date.now() - started} ms`);
    const cell = await page.locator(`td.hs-unit[data-unit="${unit.id}"]`).innerText();
    const title = await page.locator(`td.hs-unit[data-unit="${unit.id}"]`).getAttribute('title');
    assert.ok(cell.includes(unit.household.split('-').slice(-2).join('-')) && title.includes(unit.household), `the cell names the household now: ${cell} (${title})`);
    const [event] = await query(`SELECT e.to_status, u.username FROM unit_status_events e JOIN users u ON u.id = e.actor_id
        WHERE e.unit_id = :'p1' ORDER BY e.id DESC LIMIT 1`, [unit.id]);
    assert.deepEqual(event, {to_status: 'selected', username: 'browser-test-housing'});
    // a stale second clerk is told the unit's state now (409), not allowed to sell it twice
    const again = await authed(server.base, admin, `/api/housing/units/${unit.id}/status`, {method: 'POST', json: {to: 'selected', expected: 'available', household: unit.household}});
    assert.equal(again.status, 409);
    await shot('live-desk-1080');

    // a 套型's floor plan: a PDF is refused in the server's words, an image is kept and linked
    const planOf = async type => (await query(`SELECT t.floor_plan_sha256 AS sha FROM estate_unit_types t JOIN estates e ON e.id = t.estate_id
        WHERE e.code = :'p1' AND t.code = :'p2'`, [estate.code, type]))[0].sha;
    const [{type}] = await query(`SELECT t.code AS type FROM estate_unit_types t JOIN estates e ON e.id = t.estate_id
        WHERE e.code = :'p1' ORDER BY t.floor_plan_sha256 IS NULL DESC, t.code LIMIT 1`, [estate.code]);
    await page.locator('.dk-floor-plans select[name="type"]').selectOption(type);
    const before = await planOf(type);
    const plan = page.locator('.dk-floor-plans input[name="floor_plan"]');
    await plan.setInputFiles({name: '户型图.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 not a picture')});
    refusing = true;
    await page.locator('.dk-floor-plans button').click();
    await page.locator('.dk-floor-plans .om-notice').filter({hasText: '户型图.pdf'}).waitFor({timeout: 5_000});
    refusing = false;
    assert.equal(await planOf(type), before, 'the refusal changed nothing');
    const png = await page.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = 240; c.height = 160;
        const g = c.getContext('2d');
        g.fillStyle = '#fff'; g.fillRect(0, 0, 240, 160);
        g.strokeStyle = '#333'; g.lineWidth = 4; g.strokeRect(10, 10, 220, 140); g.beginPath(); g.moveTo(120, 10); g.lineTo(120, 150); g.stroke();
        g.fillStyle = '#333'; g.font = '20px sans-serif'; g.fillText('客厅', 40, 90); g.fillText('卧室', 150, 90);
        return c.toDataURL('image/png').split(',')[1];
    });
    await plan.setInputFiles({name: '户型图.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64')});
    await page.locator('.dk-floor-plans button').click();
    const link = page.locator(`.hs-types [data-type="${type}"] a.hs-plan`);
    await link.waitFor({timeout: 10_000});
    const served = await page.evaluate(async href => {
        const r = await fetch(href, {credentials: 'omit'});
        const img = new Image();
        img.src = URL.createObjectURL(await r.blob());
        await img.decode();
        return {status: r.status, type: r.headers.get('content-type'), width: img.naturalWidth};
    }, await link.getAttribute('href'));
    assert.deepEqual(served, {status: 200, type: 'image/png', width: 240}, 'the link serves the image to anyone');
    assert.equal(await planOf(type), createHash('sha256').update(Buffer.from(png, 'base64')).digest('hex'), 'the image is the type\'s plan now');
    await page.locator('.dk-floor-plans').scrollIntoViewIfNeeded();
    await shot('floor-plan-1080');
});

test('the cockpit: the housing panel opens an estate\'s 楼盘表 beside the map', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/`);
    await page.waitForFunction(() => window.__mapReady);
    // demand against supply per 套型: each row's shortfall is its demand beyond what is left, red when short
    const demand = page.locator('.om-housing table.hs-demand tbody tr');
    await demand.first().waitFor({state: 'attached'});
    const rows = await demand.evaluateAll(trs => trs.map(tr => ({
        cells: [...tr.cells].slice(1).map(td => td.textContent), short: tr.classList.contains('hs-short')})));
    assert.ok(rows.length > 0, 'the panel lists the types');
    for (const {cells: [want, left, gap], short} of rows) {
        const [d, s] = [Number(want.replaceAll(',', '')), Number(left.replaceAll(',', ''))];
        assert.equal(gap === '—' ? 0 : Number(gap.replaceAll(',', '')), Math.max(0, d - s), `${want} / ${left} / ${gap}`);
        assert.equal(short, d > s);
    }
    await page.locator('.om-housing').scrollIntoViewIfNeeded();
    await page.locator('.om-housing').screenshot({path: path.join(OUT, 'housing-panel-1080.png')});
    // the panel keeps to the region shown (the district the cockpit opens on): its first estate
    const row = page.locator('.om-housing table:not(.hs-demand) tbody tr').first();
    await row.waitFor({state: 'attached'});
    await row.scrollIntoViewIfNeeded();
    const code = await row.getAttribute('data-code');
    await row.click();
    await page.waitForFunction(c => document.querySelector('.om-estate-drawer')?.dataset.ready === 'true'
        && document.querySelector('.om-estate-drawer')?.dataset.estate === c, code);
    assert.ok(await page.locator('.om-estate-drawer td.hs-unit').count() > 20);
    await shot('cockpit-1080');
});

test('the wall: the compact 安置房源 card counts the region\'s units as the API does, live', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120`);
    await page.waitForFunction(() => window.__mapReady === true);
    const card = page.locator('.om-wall-overview .om-housing');
    await card.locator('.hs-legend-item').first().waitFor();
    const region = await page.evaluate(() => window.__wall.region);
    const chips = async () => Object.fromEntries(await card.locator('.hs-legend-item').evaluateAll(items =>
        items.map(i => [i.dataset.status, Number(i.querySelector('b').textContent.replaceAll(',', ''))])));
    const api = (await authed(server.base, admin, `/api/figures/housing?region=${region}`)).body.totals;
    assert.deepEqual(await chips(), {available: api.available, selected: api.selected + api.contracted, delivered: api.delivered},
        `the wall's card for ${region}`);
    // a unit of the region reserved elsewhere: the card counts one available less, without a reload
    const [unit] = await query(`SELECT u.id FROM estate_units u JOIN estates e ON e.id = u.estate_id JOIN regions r ON r.id = e.region_id
        WHERE u.status = 'available' AND (SELECT id FROM regions WHERE code = :'p1') = ANY (r.lineage) ORDER BY u.id LIMIT 1`, [region]);
    assert.ok(unit, `an available unit in ${region}`);
    const r = await authed(server.base, admin, `/api/housing/units/${unit.id}/status`, {method: 'POST', json: {to: 'reserved'}});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.waitForFunction(n => Number(document.querySelector('.om-wall-overview .om-housing .hs-legend-item[data-status="available"] b')
        ?.textContent.replaceAll(',', '')) === n, api.available - 1, {timeout: 10_000});
    await shot('wall-1080');
});

test('the desk: a new estate from a GeoJSON outline, its 房源表 imported (a wrong row named, nothing written), then the rows that pass; the projects drawing on it', async () => {
    await useSession(browser.context, server.base, admin);
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/desk/#housing`);
    await page.waitForFunction(() => window.__desk?.ready);
    await page.locator('.dk-estate-admin').waitFor();
    const [{region, lon, lat}] = await query(`SELECT r.code AS region, ST_X(p) AS lon, ST_Y(p) AS lat
        FROM regions r, ST_PointOnSurface(r.geom) p WHERE r.level = 'district' ORDER BY r.id LIMIT 1`);
    const code = `AZ-T-${Date.now().toString(36).toUpperCase()}`;
    const h = 0.0015;
    const square = [[lon - h, lat - h], [lon + h, lat - h], [lon + h, lat + h], [lon - h, lat + h], [lon - h, lat - h]];
    const geojson = {type: 'FeatureCollection', features: [{type: 'Feature', properties: {}, geometry: {type: 'Polygon', coordinates: [square]}}]};
    const form = page.locator('.dk-estate-new');
    await form.locator('input[name="estate_code"]').fill(code);
    await form.locator('input[name="estate_name"]').fill('测试安置苑');
    await form.locator('input[name="estate_region"]').fill(region);
    await form.locator('input[name="estate_delivery"]').fill('2027-06-30');
    await form.locator('input[name="estate_outline"]').setInputFiles({name: '轮廓.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(geojson))});
    await form.locator('button[type="submit"]').click();
    await form.locator('.om-notice').filter({hasText: code}).waitFor({timeout: 10_000});
    await page.waitForFunction(c => document.querySelector('.dk-housing')?.dataset.estate === c, code, {timeout: 10_000});

    // the 房源表: one wrong row stops the whole file, named by row and column
    const csv = ['栋,单元,层,室,套型,套型名称,建筑面积,安置价,市场价,朝向',
        '1栋,1,1,0101,A,两室一厅,60.5,3800,8400,南北', '1栋,1,1,0102,A,两室一厅,60.5,3800,8400,南北',
        '1栋,1,2,0201,B,三室两厅,89.6,3800,8400,南北', '1栋,1,2,0202,B,三室两厅,-5,3800,8400,南北'].join('\n');
    const inventory = page.locator('.dk-estate-inventory');
    await inventory.locator('input[name="inventory_file"]').setInputFiles({name: '房源表.csv', mimeType: 'text/csv', buffer: Buffer.from(csv)});
    await inventory.locator('button[type="submit"]').click();
    await inventory.locator('.dk-inventory-report tbody tr').first().waitFor({timeout: 10_000});
    const rejected = await inventory.locator('.dk-inventory-report tbody tr').evaluateAll(trs => trs.map(tr => [...tr.cells].slice(0, 2).map(td => td.textContent)));
    assert.deepEqual(rejected, [['5', '建筑面积']], 'row 5, its 建筑面积');
    const none = await query(`SELECT count(*)::int AS n FROM estate_units u JOIN estates e ON e.id = u.estate_id WHERE e.code = :'p1'`, [code]);
    assert.equal(none[0].n, 0, 'nothing written');
    await shot('estate-import-refused-1080');
    // the rows that pass
    await inventory.locator('input[name="accept_valid"]').check();
    await inventory.locator('button[type="submit"]').click();
    await inventory.locator('.om-notice').filter({hasText: '新增 3 套'}).waitFor({timeout: 10_000});
    await page.locator('td.hs-unit').nth(2).waitFor({timeout: 10_000});
    assert.equal(await page.locator('td.hs-unit').count(), 3, 'the grid shows the three units written');
    const [units] = await query(`SELECT count(*)::int AS n FROM estate_units u JOIN estates e ON e.id = u.estate_id WHERE e.code = :'p1'`, [code]);
    assert.equal(units.n, 3);
    // the projects whose swap households may choose here, saved by the admin
    const [draw] = await query(`SELECT code FROM projects ORDER BY id LIMIT 1`);
    const draws = page.locator('.dk-estate-draws');
    await draws.locator('textarea[name="draws"]').fill(`${draw.code}\n${draw.code}`);
    await draws.locator('button[type="submit"]').click();
    await draws.locator('.om-notice').filter({hasText: '1 个项目'}).waitFor({timeout: 10_000});
    const linked = await query(`SELECT p.code FROM project_estates pe JOIN projects p ON p.id = pe.project_id
        JOIN estates e ON e.id = pe.estate_id WHERE e.code = :'p1'`, [code]);
    assert.deepEqual(linked.map(r => r.code), [draw.code]);
    await page.locator('.dk-estate-admin').scrollIntoViewIfNeeded();
    await shot('estate-new-1080');
});
