// Browser test of status work on screens (issue 13): an operator moves households one step from the cockpit map (a click, then a lasso of several buildings) and a second page sees the colour change live; a stale write on the desk shows who changed the household and the retry at the new version goes through; an admin sends a change back (退回) with a reason from the desk; on a 390×844 phone the operator finds a household by code, marks it and files a photo. The database holds the events and the audit row.
//
// Needs what live.test.mjs needs (a demo database it may WRITE to). Each run moves a few demo
// households on. Prints clicks and seconds per task. Screenshots: tests/browser/out/status-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {drawnBuildings, pickTarget, waitForColour} from './buildings.mjs';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT, startBrowser, startServer} from './harness.mjs';
import {encodePng} from './png.mjs';
import {apiLogin, authed, ensureUser, useSession} from './session.mjs';
import {drawn} from './settle.mjs';

const ADMIN = {username: 'status-test-admin', password: 'status-test-admin-Pw-2026'};
const OPERATOR = {username: 'status-test-operator', password: 'status-test-operator-Pw-2026'};
const LIVE_MS = 5_000;

let server, browser, operatorPage, wallPage, admin, operator, center;
const pageErrors = [];
const taken = [];
const extraBrowsers = [];

/** Clicks counted per task, and the time since it started. */
function task(name) {
    const t0 = Date.now();
    let clicks = 0;
    return {
        click: async (locator, opts) => { clicks++; await locator.click(opts); },
        count: (n = 1) => { clicks += n; },
        done: () => console.log(`TASK ${name}: ${clicks} clicks, ${((Date.now() - t0) / 1000).toFixed(1)} s`),
    };
}

/** Where building `id` is drawn on `page` (the centre of its footprint, in page pixels), or null. */
function positionOf(page, id) {
    return page.evaluate(want => {
        const map = window.__map;
        const f = map.queryRenderedFeatures({layers: ['buildings-fill']}).find(x => x.id === want);
        if (!f) return null;
        const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
        const pts = ring.slice(0, -1).map(c => map.project(c));
        const r = map.getCanvas().getBoundingClientRect();
        return {x: Math.round(r.left + pts.reduce((a, p) => a + p.x, 0) / pts.length), y: Math.round(r.top + pts.reduce((a, p) => a + p.y, 0) / pts.length)};
    }, id);
}

async function settle(page) {
    await drawn(page);
}

async function openCockpit(page, hash) {
    await page.goto(`${server.base}/${hash}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await settle(page);
}

/** The district code a building's project lies in. */
async function districtOf(buildingId) {
    const [row] = await query(`SELECT r.code FROM buildings b JOIN projects p ON p.id = b.project_id
        JOIN regions r ON r.id = ANY ((SELECT lineage FROM regions WHERE id = p.region_id)::int[]) AND r.level = 'district'
        WHERE b.id = :'p1'`, [buildingId]);
    return row.code;
}

before(async () => {
    await ensureUser(ADMIN.username, ADMIN.password, 'admin');
    server = await startServer({log: 'server-status-work'});
    admin = await apiLogin(server.base, ADMIN);
    const tj = await authed(server.base, admin, '/tiles/buildings.json');
    center = tj.body.center;
    browser = await startBrowser();
    wallPage = browser.context.pages()[0] ?? await browser.context.newPage();
    wallPage.on('pageerror', e => pageErrors.push(String(e)));
    // The watching page is small: a software-rendered 1920×1080 cockpit takes half a minute to draw here.
    await wallPage.setViewportSize({width: 960, height: 640});
});

after(async () => {
    for (const b of extraBrowsers) await b.close();
    await browser?.close();
    await server?.stop();
});

test('an operator moves a clicked building one step on the map; a second page recolours live', async () => {
    // The second page: a wall display (kiosk) at the same view, watching the colours.
    const hash = `#17/${center[1]}/${center[0]}`;
    await openCockpit(wallPage, `?kiosk=${KIOSK_TOKEN}${hash}`);
    const candidates = await drawnBuildings(wallPage);
    const target = await pickTarget(wallPage, server.base, admin, candidates);
    assert.ok(target, 'no building to change');
    taken.push(target.id);
    // The operator works in the target's district.
    const district = await districtOf(target.id);
    await ensureUser(OPERATOR.username, OPERATOR.password, 'operator', district);
    operator = await apiLogin(server.base, OPERATOR);
    const ctx2 = (await startBrowser());
    extraBrowsers.push(ctx2);
    await useSession(ctx2.context, server.base, operator);
    operatorPage = ctx2.context.pages()[0] ?? await ctx2.context.newPage();
    operatorPage.on('pageerror', e => pageErrors.push(String(e)));
    await operatorPage.setViewportSize({width: 1920, height: 1080});
    await openCockpit(operatorPage, hash);
    await operatorPage.mouse.move(5, 500);
    const at = await positionOf(operatorPage, target.id);
    assert.ok(at, `building ${target.id} is not drawn on the operator's page`);

    const tk = task('map click → one step (operator, 1920×1080)');
    tk.count();
    await operatorPage.mouse.click(at.x, at.y);
    const panel = operatorPage.locator('.om-sw-panel');
    await panel.locator(`.om-sw-building[data-building="${target.id}"] .om-sw-row`).first().waitFor({timeout: 10_000});
    const rows = panel.locator('.om-sw-row');
    const n = await rows.count();
    if (n > 1) await tk.click(panel.locator('.om-sw-all'));
    else await tk.click(rows.first().locator('input[type=checkbox]'));
    const forward = panel.locator('.om-sw-forward');
    assert.match(await forward.innerText(), new RegExp(`${n} 户`));
    await operatorPage.screenshot({path: path.join(OUT, 'status-map-panel.png')});
    await tk.click(forward);
    const dialog = operatorPage.locator('dialog.om-sw-dialog');
    await dialog.waitFor();
    await operatorPage.screenshot({path: path.join(OUT, 'status-map-confirm.png')});
    const t0 = Date.now();
    await tk.click(dialog.locator('button[data-confirm]'));
    await panel.locator('.om-sw-result[data-result="done"]').nth(n - 1).waitFor({timeout: 15_000});
    const ms = await waitForColour(wallPage, target, target.next, t0, LIVE_MS);
    tk.done();
    console.log(`building ${target.id}: ${target.status} → ${target.next} (${n} households), second page recoloured ${ms} ms after the confirm`);
    await operatorPage.screenshot({path: path.join(OUT, 'status-map-done.png')});
    const events = await query(`SELECT e.actor, e.to_status FROM status_events e JOIN households h ON h.id = e.household_id
        WHERE h.building_id = :'p1' ORDER BY e.id DESC LIMIT :'p2'`, [target.id, n]);
    assert.equal(events.length, n);
    for (const e of events) assert.deepEqual(e, {actor: OPERATOR.username, to_status: target.next});
});

test('a lasso around two buildings lists both and moves them; the second page recolours', async () => {
    assert.ok(operatorPage, 'needs the first test');
    const candidates = (await drawnBuildings(wallPage)).filter(c => !taken.includes(c.id));
    const a = await pickTarget(wallPage, server.base, admin, candidates);
    assert.ok(a, 'no first building for the lasso');
    // The nearest other drawn building in the operator's district.
    const district = await districtOf(a.id);
    let b = null;
    for (const c of candidates.filter(x => x.id !== a.id && x.status !== 'demolished').sort((p, q) => Math.hypot(p.x - a.x, p.y - a.y) - Math.hypot(q.x - a.x, q.y - a.y)).slice(0, 10)) {
        if (await districtOf(c.id) === district) { b = c; break; }
    }
    assert.ok(b, 'no second building near the first');
    taken.push(a.id, b.id);
    // Done with the clicked building: its panel and popup closed, the map free again.
    await operatorPage.click('.om-sw-close');
    if (await operatorPage.locator('.om-popup').count()) await operatorPage.click('.om-popup .maplibregl-popup-close-button');
    const tk = task('lasso 2+ buildings → one step (operator, 1920×1080)');
    await tk.click(operatorPage.locator('.om-sw-lasso-button'));
    // A band around the segment a→b, drawn freehand.
    const [pa, pb] = [await positionOf(operatorPage, a.id), await positionOf(operatorPage, b.id)];
    assert.ok(pa && pb, 'the two buildings are not drawn on the operator\'s page');
    const [dx, dy] = [pb.x - pa.x, pb.y - pa.y];
    const len = Math.hypot(dx, dy) || 1;
    const [ux, uy, nx, ny] = [dx / len, dy / len, -dy / len, dx / len];
    const w = 10, ext = 12;
    const corners = [
        [pa.x - ux * ext + nx * w, pa.y - uy * ext + ny * w], [pb.x + ux * ext + nx * w, pb.y + uy * ext + ny * w],
        [pb.x + ux * ext - nx * w, pb.y + uy * ext - ny * w], [pa.x - ux * ext - nx * w, pa.y - uy * ext - ny * w],
    ];
    await operatorPage.mouse.move(...corners[0]);
    await operatorPage.mouse.down();
    for (const c of [...corners.slice(1), corners[0]]) await operatorPage.mouse.move(...c, {steps: 6});
    await operatorPage.mouse.up();
    const panel = operatorPage.locator('.om-sw-panel');
    const info = panel.locator('.om-sw-info');
    await info.waitFor();
    const count = Number(await info.getAttribute('data-count'));
    assert.ok(count >= 2, `the lasso caught ${count} buildings: ${await info.innerText()}`);
    assert.match(await info.innerText(), /圈中 \d+ 栋建筑/);
    for (const id of [a.id, b.id]) await panel.locator(`.om-sw-building[data-building="${id}"]`).waitFor({timeout: 10_000});
    // Every household of the two: the building's "all" box, or its only household's box.
    for (const id of [a.id, b.id]) {
        const group = panel.locator(`.om-sw-building[data-building="${id}"]`);
        if (await group.locator('.om-sw-all').count()) await tk.click(group.locator('.om-sw-all'));
        else await tk.click(group.locator('.om-sw-row input[type=checkbox]').first());
    }
    await operatorPage.screenshot({path: path.join(OUT, 'status-lasso.png')});
    await tk.click(panel.locator('.om-sw-forward'));
    const t0 = Date.now();
    await tk.click(operatorPage.locator('dialog.om-sw-dialog button[data-confirm]'));
    await panel.locator('.om-sw-summary', {hasText: /完成 \d+ 户/}).waitFor({timeout: 20_000});
    const ms = await waitForColour(wallPage, a, a.next, t0, LIVE_MS);
    tk.done();
    console.log(`lasso: ${count} buildings, building ${a.id} ${a.status} → ${a.next} drawn on the second page ${ms} ms after the confirm`);
    assert.match(await panel.locator('.om-sw-summary').innerText(), /版本已变 0 户，未通过 0 户/);
    await operatorPage.screenshot({path: path.join(OUT, 'status-lasso-done.png')});
    // English mode reads the same panel in English.
    await operatorPage.click('.om-lang button[data-lang=en]');
    await panel.locator('.om-sw-panel-head h2', {hasText: 'Status work'}).waitFor();
    await panel.locator('.om-sw-info', {hasText: 'buildings in the lasso'}).waitFor();
    await panel.locator('.om-sw-summary', {hasText: /\d+ done/}).waitFor();
    await operatorPage.screenshot({path: path.join(OUT, 'status-lasso-en.png')});
    await operatorPage.click('.om-lang button[data-lang=zh]');
});

/** A household in the operator's district not yet demolished, with its project code (for the desk's URL). */
async function householdInDistrict(district, status) {
    const [h] = await query(`SELECT h.id, h.code, h.status::text, p.code AS project FROM households h
        JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
        WHERE (SELECT id FROM regions WHERE code = :'p1') = ANY (r.lineage) AND h.status::text = :'p2'
        ORDER BY h.id DESC LIMIT 1`, [district, status]);
    return h;
}

test('a stale write on the desk shows who changed the household; the retry at the new version goes through', async () => {
    assert.ok(operator, 'needs the first test');
    const district = operator.user.region_code;
    const h = await householdInDistrict(district, 'pending');
    assert.ok(h, 'no pending household in the district');
    await operatorPage.goto(`${server.base}/desk/#households/${h.project}/${h.id}`);
    const section = operatorPage.locator('.dk-status');
    await section.locator(`.om-sw-row[data-household="${h.id}"]`).waitFor({timeout: 15_000});
    // Meanwhile the admin moves it on through the API.
    const doc = await authed(server.base, admin, `/api/status/households/${h.id}`);
    const seen = doc.body.households.find(x => x.id === h.id);
    const moved = await authed(server.base, admin, '/api/status', {method: 'POST', json: {changes: [{subject: 'household', id: h.id, to: 'surveyed', version: seen.version}]}});
    assert.equal(moved.status, 200, JSON.stringify(moved.body));

    const tk = task('desk: stale write → retry at the new version (operator)');
    await tk.click(section.locator('.om-sw-forward'));
    await tk.click(operatorPage.locator('dialog.om-sw-dialog button[data-confirm]'));
    const stale = section.locator('.om-sw-result[data-result="stale"]');
    await stale.waitFor({timeout: 10_000});
    const text = await stale.innerText();
    assert.ok(text.includes(ADMIN.username) && text.includes('已丈量登记'), `the conflict names who and what: ${text}`);
    await operatorPage.screenshot({path: path.join(OUT, 'status-desk-stale.png')});
    await section.screenshot({path: path.join(OUT, 'status-desk-stale-section.png')});
    await tk.click(stale.locator('.om-sw-retry'));
    await section.locator('.om-sw-result[data-result="done"]').waitFor({timeout: 10_000});
    tk.done();
    await section.screenshot({path: path.join(OUT, 'status-desk-retried-section.png')});
    const [now] = await query(`SELECT status::text FROM households WHERE id = :'p1'`, [h.id]);
    assert.equal(now.status, 'signed');
    const events = await query(`SELECT actor, from_status::text, to_status::text FROM status_events WHERE household_id = :'p1' ORDER BY id DESC LIMIT 2`, [h.id]);
    assert.deepEqual(events, [
        {actor: OPERATOR.username, from_status: 'surveyed', to_status: 'signed'},
        {actor: ADMIN.username, from_status: 'pending', to_status: 'surveyed'},
    ]);
    assert.equal(await operatorPage.locator('.dk-file-head .om-chip').first().getAttribute('data-status'), 'signed');
    globalThis.staleHousehold = h;
});

test('an admin sends a change back (退回) from the desk with a required reason', async () => {
    const h = globalThis.staleHousehold;
    assert.ok(h, 'needs the stale test');
    const adminCtx = browser.context;
    await useSession(adminCtx, server.base, admin);
    const page = await adminCtx.newPage();
    page.on('pageerror', e => pageErrors.push(String(e)));
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/desk/#households/${h.project}/${h.id}`);
    const section = page.locator('.dk-status');
    await section.locator(`.om-sw-row[data-household="${h.id}"]`).waitFor({timeout: 15_000});
    const tk = task('desk: 退回 with a reason (admin)');
    await tk.click(section.locator('.om-sw-back'));
    const dialog = page.locator('dialog.om-sw-dialog');
    const ok = dialog.locator('button[data-confirm]');
    assert.equal(await ok.isDisabled(), true, 'a send-back without a reason can be confirmed');
    await dialog.locator('textarea').fill('签约材料缺户口本，退回补齐');
    tk.count();
    await page.screenshot({path: path.join(OUT, 'status-desk-sendback.png')});
    await tk.click(ok);
    await section.locator('.om-sw-result[data-result="done"]').waitFor({timeout: 10_000});
    tk.done();
    await section.screenshot({path: path.join(OUT, 'status-desk-sentback-section.png')});
    const [e] = await query(`SELECT actor, from_status::text, to_status::text, reason FROM status_events WHERE household_id = :'p1' ORDER BY id DESC LIMIT 1`, [h.id]);
    assert.equal(e.actor, ADMIN.username);
    assert.deepEqual([e.from_status, e.to_status], ['signed', 'surveyed']);
    assert.match(e.reason, /^退回 event \d+: 签约材料缺户口本，退回补齐$/);
    await page.close();
});

test('the phone field screen at 390×844: find by code, mark one step, file a photo', async () => {
    assert.ok(operator, 'needs the first test');
    const h = await householdInDistrict(operator.user.region_code, 'surveyed');
    assert.ok(h, 'no surveyed household in the district');
    const phone = await startBrowser();
    try {
        await useSession(phone.context, server.base, operator);
        const page = phone.context.pages()[0] ?? await phone.context.newPage();
        page.on('pageerror', e => pageErrors.push(String(e)));
        await page.setViewportSize({width: 390, height: 844});
        await page.goto(`${server.base}/m/`);
        const field = page.locator('.om-field');
        await field.waitFor({timeout: 15_000});
        await page.screenshot({path: path.join(OUT, 'status-phone-390-start.png')});
        const tk = task('phone: find by code → mark → photo (operator, 390×844)');
        await tk.click(page.locator('.om-field-search input'));
        await page.fill('.om-field-search input', h.code);
        await tk.click(page.locator('.om-field-search button'));
        const row = page.locator(`.om-field-building .om-sw-row[data-household="${h.id}"]`);
        await row.waitFor({timeout: 10_000});
        assert.equal(await row.locator('input[type=checkbox]').isChecked(), true, 'the household found is not chosen');
        const forward = page.locator('.om-field-building .om-sw-forward');
        assert.match(await forward.innerText(), /签约 · 1 户/);
        const box = await forward.boundingBox();
        assert.ok(box.height >= 44 && box.width >= 150, `the thumb button is ${box.width}×${box.height}`);
        await page.screenshot({path: path.join(OUT, 'status-phone-390-found.png')});
        await tk.click(forward);
        await page.locator('dialog.om-sw-dialog').waitFor();
        await page.screenshot({path: path.join(OUT, 'status-phone-390-confirm.png')});
        await tk.click(page.locator('dialog.om-sw-dialog button[data-confirm]'));
        await row.locator('.om-sw-result[data-result="done"]').waitFor({timeout: 10_000});
        const png = encodePng(24, 16, [200, 120, 40]);
        const after = page.locator(`.om-field-building .om-sw-row[data-household="${h.id}"]`);
        await after.locator('.om-field-photo-input').setInputFiles({name: 'field-photo.png', mimeType: 'image/png', buffer: png});
        tk.count(); // the camera's shutter
        await tk.click(after.locator('.om-field-photo-form button'));
        await after.locator('.om-field-photo-note[data-tone="ok"]').waitFor({timeout: 10_000});
        tk.done();
        await page.screenshot({path: path.join(OUT, 'status-phone-390-done.png')});

        const file = await authed(server.base, operator, `/api/households/${h.id}`);
        assert.equal(file.body.status, 'signed');
        const photo = file.body.attachments.find(x => x.name === 'field-photo.png');
        assert.ok(photo, `the photo is not on the household file: ${JSON.stringify(file.body.attachments)}`);
        assert.equal(photo.kind, 'agreement', 'a signed household\'s photo defaults to the agreement');
        const audit = await query(`SELECT a.action, a.subject FROM audit_log a JOIN users u ON u.id = a.user_id
            WHERE u.username = :'p1' AND a.action = 'attachment_uploaded' AND a.subject = :'p2'`, [OPERATOR.username, `household ${h.id}`]);
        assert.equal(audit.length, 1, 'no audit row for the upload');
        const [e] = await query(`SELECT actor, to_status::text FROM status_events WHERE household_id = :'p1' ORDER BY id DESC LIMIT 1`, [h.id]);
        assert.deepEqual(e, {actor: OPERATOR.username, to_status: 'signed'});

        // 360 px and the map: the same screen narrower, a building tapped on the small map.
        await page.setViewportSize({width: 360, height: 780});
        await page.locator('.om-field-mapbox summary').click();
        await page.waitForFunction(() => window.__fieldMap?.loaded(), null, {timeout: 30_000});
        await page.evaluate(() => new Promise(r => { window.__fieldMap.once('idle', r); window.__fieldMap.triggerRepaint(); }));
        await page.screenshot({path: path.join(OUT, 'status-phone-360-map.png')});
        // Tap a building on the small map: it opens below.
        await page.evaluate(() => window.__fieldMap.jumpTo({zoom: 17}));
        await page.evaluate(() => new Promise(r => { window.__fieldMap.once('idle', r); window.__fieldMap.triggerRepaint(); }));
        const tap = await page.evaluate(() => {
            const map = window.__fieldMap;
            const f = map.queryRenderedFeatures({layers: ['buildings-fill']})[0];
            if (!f) return null;
            const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
            const pts = ring.slice(0, -1).map(c => map.project(c));
            const r = map.getCanvas().getBoundingClientRect();
            return {id: f.id, x: r.left + pts.reduce((a, p) => a + p.x, 0) / pts.length, y: r.top + pts.reduce((a, p) => a + p.y, 0) / pts.length};
        });
        assert.ok(tap, 'no building drawn on the field map at z17');
        await page.mouse.click(tap.x, tap.y);
        await page.locator(`.om-field-building[data-building="${tap.id}"]`).waitFor({timeout: 10_000});
        await page.screenshot({path: path.join(OUT, 'status-phone-360-tapped.png')});
        await page.click('.om-lang button[data-lang=en]');
        await page.locator('.om-field-tabs a', {hasText: 'Field work'}).waitFor();
        await page.screenshot({path: path.join(OUT, 'status-phone-360-en.png')});
        await page.click('.om-lang button[data-lang=zh]');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than 360`);
    } finally {
        await phone.close();
    }
    assert.deepEqual(pageErrors, [], 'uncaught errors in the pages');
});
