// Browser test of the admin page (/admin/) at 1920×1080 and 390×844: an admin creates an operator for a district, who writes a status in scope and is refused outside it; the admin finds that write in the audit log filtered by user, creates and revokes a kiosk token, edits the compensation standard, and disables the operator.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (users, a status, a
// token, a standard), frontend/dist, and psql (to find a household to write and its district).
// Run: /work/wt/tools/btest tests/browser/admin.test.mjs (or, built: cd frontend && DATABASE_URL=…
// node --test ../tests/browser/admin.test.mjs). Screenshots: out/admin-*.png. Each run makes its
// own operator and token (a suffix from the clock), so runs can repeat on one database.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {apiLogin, authed, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
const RUN = Date.now().toString(36);
const OPERATOR = {username: `op-${RUN}`, password: `op-Pw-${RUN}-2026`};
const LABEL = `hall-${RUN}`;

let server, browser, page, admin, target, elsewhere;
const problems = [];
const timings = [];

const shot = name => page.screenshot({path: path.join(OUT, `admin-${name}.png`)});

/** Opens /admin/ at `hash` as whoever the cookies say, and waits until it has drawn. */
async function openAdmin(hash) {
    await page.goto('about:blank');
    await page.goto(`${server.base}/admin/${hash}`);
    await page.waitForFunction(() => window.__admin?.ready === true, null, {timeout: 20_000});
}

async function assertNoPageScroll(where) {
    const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
    assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in a ${width}px viewport`);
}

/** Runs `work` and notes how long the user's task took. */
async function timed(task, work) {
    const started = Date.now();
    const result = await work();
    timings.push(`${task}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-admin', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    // a surveyed household alone in its building, and the district its project lies in
    [target] = await query(`SELECT h.id, h.version, p.code AS project, d.code AS district, d.name AS district_name
        FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
        JOIN regions d ON d.level = 'district' AND r.code LIKE d.code || '%'
        WHERE h.status = 'surveyed' AND b.households = 1 ORDER BY h.id LIMIT 1`);
    assert.ok(target, 'a surveyed household alone in its building');
    [elsewhere] = await query(`SELECT h.id, h.version FROM households h JOIN buildings b ON b.id = h.building_id
        JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
        WHERE h.status = 'surveyed' AND NOT r.code LIKE :'p1' || '%' ORDER BY h.id LIMIT 1`, [target.district]);
    assert.ok(elsewhere, 'a household outside the district');
});

after(async () => {
    console.log(`admin tasks: ${timings.join('; ')}`);
    await browser?.close();
    await server?.stop();
});

test('an admin creates an operator for a district on /admin/ (a short password is refused beside its field)', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
    await openAdmin('#users');
    await page.locator('.ad-list tbody tr').first().waitFor({timeout: 20_000});
    assert.equal(await page.locator('.dk-tab[aria-pressed="true"]').innerText(), '用户');
    const form = page.locator('form.ad-create-form');
    await timed('create an operator (4 fields, 1 click)', async () => {
        await form.locator('input[name="username"]').fill(OPERATOR.username);
        await form.locator('select[name="role"]').selectOption('operator');
        await form.locator('select[name="region_code"]').selectOption(target.district);
        await form.locator('input[name="password"]').fill('short');
        await form.locator('button[type="submit"]').click();
        const error = form.locator('.ad-field-error[data-field="password"]');
        await error.waitFor();
        assert.match(await error.innerText(), /^初始密码：至少 10 个字符/);
        await form.locator('input[name="password"]').fill(OPERATOR.password);
        await form.locator('button[type="submit"]').click();
        await page.locator(`.ad-list tr[data-username="${OPERATOR.username}"]`).waitFor({timeout: 10_000});
    });
    const row = page.locator(`.ad-list tr[data-username="${OPERATOR.username}"]`);
    assert.match(await row.innerText(), new RegExp(`正常[\\s\\S]*操作员[\\s\\S]*${target.district_name}`));
    assert.equal(await page.locator('.ad-detail').getAttribute('data-username'), OPERATOR.username, 'the new account is chosen');
    await shot('users-1080');
});

test('the operator writes a status in the district and is refused outside it', async () => {
    const operator = await apiLogin(server.base, OPERATOR);
    assert.equal(operator.user.region_code, target.district);
    const write = (h) => authed(server.base, operator, '/api/status', {method: 'POST', json: {changes: [{subject: 'household', id: h.id, to: 'signed', version: h.version}]}});
    const inside = await write(target);
    assert.equal(inside.status, 200, JSON.stringify(inside.body));
    const outside = await write(elsewhere);
    assert.equal(outside.status, 403, JSON.stringify(outside.body));
    OPERATOR.session = operator;
});

test('the admin finds the write in the audit log filtered by the operator, and exports it', async () => {
    await timed('find a user\'s write in the audit log (from the user, 1 click)', async () => {
        await page.locator('.ad-detail a[href^="#audit/"]').click();
        await page.locator('.ad-trail tbody tr[data-action="status_changed"]').waitFor({timeout: 10_000});
    });
    assert.equal(await page.locator('.ad-filter input[name="user"]').inputValue(), OPERATOR.username);
    const rows = page.locator('.ad-trail tbody tr');
    assert.equal(await rows.count(), await page.locator(`.ad-trail tbody tr[data-username="${OPERATOR.username}"]`).count(), 'only the operator\'s lines');
    const line = await page.locator('.ad-trail tbody tr[data-action="status_changed"]').first().innerText();
    assert.match(line, new RegExp(`状态变更[\\s\\S]*户 ${target.id}[\\s\\S]*${target.project}[\\s\\S]*已丈量登记 → 已签约`));
    const href = await page.locator('.ad-filter a[download]').getAttribute('href');
    assert.match(href, new RegExp(`/api/audit\\.xlsx\\?user=${OPERATOR.username}`));
    const xlsx = await page.evaluate(async url => { const r = await fetch(url); return {status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength}; }, href);
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.type, /spreadsheetml/);
    await shot('audit-1080');
});

test('a kiosk token is created (shown once with its wall link) and revoked on the page', async () => {
    await openAdmin('#kiosk');
    const form = page.locator('form.ad-kiosk-form');
    const token = await timed('create a kiosk token (1 field, 1 click)', async () => {
        await form.locator('input[name="label"]').fill(LABEL);
        await form.locator('button[type="submit"]').click();
        const link = page.locator('.ad-secret code[data-secret="admin.kiosk.wall_link"]');
        await link.waitFor({timeout: 10_000});
        const url = await link.innerText();
        assert.match(url, /\/wall\/\?kiosk=[0-9a-f]{64}$/);
        return new URL(url).searchParams.get('kiosk');
    });
    const row = page.locator(`.ad-tokens tr[data-label="${LABEL}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'live');
    assert.ok(!(await page.locator('.ad-tokens table').innerText()).includes(token), 'the list never shows a token');
    const wall = await apiLogin(server.base, {kiosk_token: token});
    assert.equal(wall.user.username, 'kiosk');
    await shot('kiosk-1080');
    await timed('revoke a kiosk token (2 clicks)', async () => {
        await row.locator('button[data-action="revoke"]').click();
        await page.locator('.ad-confirm button[data-confirm="yes"]').click();
        await page.locator(`.ad-tokens tr[data-label="${LABEL}"][data-state="revoked"]`).waitFor({timeout: 10_000});
    });
    assert.equal((await authed(server.base, wall, '/api/me')).status, 401, 'the wall was logged out');
    await assert.rejects(apiLogin(server.base, {kiosk_token: token}), /HTTP 401/, 'a revoked token opens no session');
});

test('the standard editor refuses a bad field beside it and saves a change after a confirmation', async () => {
    await openAdmin(`#standard/${encodeURIComponent(target.project)}`);
    const form = page.locator('form.ad-standard-form');
    await form.waitFor({timeout: 20_000});
    const months = form.locator('input[name="transition_months"]');
    const before = Number(await form.locator('input[name="relocation_yuan"]').inputValue());
    await months.fill('500');
    await form.locator('.ad-actions button[type="submit"]').click();
    const error = form.locator('.ad-field-error[data-field="transition_months"]');
    await error.waitFor();
    assert.match(await error.innerText(), /^过渡期（月）：应为 0 到 120 之间的整数/);
    await shot('standard-error-1080');
    const next = before + 1000;
    await timed('change the compensation standard (1 field, 2 clicks)', async () => {
        await months.fill('18');
        await form.locator('input[name="relocation_yuan"]').fill(String(next));
        await form.locator('.ad-actions button[type="submit"]').click();
        await page.locator('.ad-confirm button[data-confirm="yes"]').click();
        await page.locator('.ad-standard-form .om-notice[data-tone="ok"]').waitFor({timeout: 10_000});
    });
    const saved = await authed(server.base, admin, `/api/projects/${encodeURIComponent(target.project)}/compensation-standard`);
    assert.equal(saved.body.standard.relocation_yuan, next);
    assert.equal(saved.body.standard.transition_months, 18);
    await page.waitForFunction(name => document.querySelector('.ad-last-change')?.textContent?.includes(name), ADMIN.username, {timeout: 10_000});
    await shot('standard-1080');
});

test('a disclosure is published for the project and listed with who published it', async () => {
    await openAdmin(`#disclosures/${encodeURIComponent(target.project)}`);
    const form = page.locator('form.ad-publish-form');
    await form.waitFor({timeout: 20_000});
    const title = `征收公告 ${RUN}`;
    await timed('publish a disclosure (2 fields, 2 clicks)', async () => {
        await form.locator('select[name="kind"]').selectOption('announcement');
        await form.locator('input[name="title"]').fill(title);
        await form.locator('button[type="submit"]').click();
        const error = form.locator('.ad-field-error[data-field="body"]');
        await error.waitFor();
        assert.equal(await error.innerText(), '正文：必填');
        await form.locator('textarea[name="body"]').fill('根据征收决定，现将补偿安置方案公告如下。');
        await form.locator('button[type="submit"]').click();
        await page.locator('.ad-confirm button[data-confirm="yes"]').click();
        await page.locator('.ad-published .ad-document').filter({hasText: title}).waitFor({timeout: 10_000});
    });
    assert.match(await page.locator('.ad-published .ad-document').first().innerText(), new RegExp(`公告[\\s\\S]*${title}[\\s\\S]*${ADMIN.username} 发布`));
    await shot('disclosures-1080');
});

test('at 390 px every tab fits the phone', async () => {
    await page.setViewportSize({width: 390, height: 844});
    for (const [hash, ready, name] of [
        ['#users', '.ad-list tbody tr', 'users-390'],
        [`#audit/${OPERATOR.username}`, '.ad-trail tbody tr', 'audit-390'],
        ['#kiosk', '.ad-tokens tbody tr', 'kiosk-390'],
        [`#standard/${encodeURIComponent(target.project)}`, 'form.ad-standard-form', 'standard-390'],
        [`#disclosures/${encodeURIComponent(target.project)}`, 'form.ad-publish-form', 'disclosures-390'],
    ]) {
        await openAdmin(hash);
        await page.locator(ready).first().waitFor({timeout: 20_000});
        await assertNoPageScroll(name);
        await shot(name);
    }
});

test('in English the page reads English; disabling the operator ends their session; they may not open the page', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await openAdmin('#users');
    await page.locator('.om-lang button[data-lang="en"]').click();
    await page.waitForFunction(() => document.querySelector('.dk-tab[data-tab="users"]')?.textContent === 'Users');
    await page.locator(`.ad-list tr[data-username="${OPERATOR.username}"]`).click();
    await timed('disable an account (2 clicks)', async () => {
        await page.locator('.ad-detail button[data-action="disable"]').click();
        await page.locator('.ad-confirm button[data-confirm="yes"]').click();
        await page.locator(`.ad-list tr[data-username="${OPERATOR.username}"] [data-state="disabled"]`).waitFor({timeout: 10_000});
    });
    assert.equal(await page.locator(`.ad-list tr[data-username="${OPERATOR.username}"] [data-state="disabled"]`).innerText(), 'disabled');
    await shot('users-en-1080');
    await page.locator('.om-lang button[data-lang="zh"]').click();
    assert.equal((await authed(server.base, OPERATOR.session, '/api/me')).status, 401, 'the disabled operator\'s session ended');
    await assert.rejects(apiLogin(server.base, {username: OPERATOR.username, password: OPERATOR.password}), /HTTP 401/);

    // a non-admin (a planner made on the page's API) sees the refusal, not the tabs
    const planner = {username: `pl-${RUN}`, password: `pl-Pw-${RUN}-2026`};
    const made = await authed(server.base, admin, '/api/users', {method: 'POST', json: {...planner, role: 'planner', region_code: null}});
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await useSession(browser.context, server.base, await apiLogin(server.base, planner));
    await openAdmin('#users');
    assert.match(await page.locator('.dk-denied').innerText(), /没有系统管理权限/);
    assert.equal(await page.locator('.dk-view').count(), 0);
    await shot('denied-1080');
});

test('the cockpit\'s user line links an admin to /admin/', async () => {
    await useSession(browser.context, server.base, admin);
    await page.goto(`${server.base}/`);
    const link = page.locator('.om-user .om-admin-link');
    await link.waitFor({timeout: 30_000});
    assert.equal(await link.innerText(), '系统管理');
    assert.equal(new URL(await link.getAttribute('href')).pathname, '/admin/');
    await page.screenshot({path: path.join(OUT, 'admin-cockpit-link-1080.png'), clip: {x: 1200, y: 0, width: 720, height: 120}});
    assert.deepEqual(problems, []);
});
