// Browser test of the procedure's gates (issue 14) at 1920×1080 and 390×844: the desk's status section refuses a signing in a project whose 征收决定 is not done and says which step in which state; the admin page's 程序闸门 tab shows the gates and overrides one with a reason, then revokes it; the household file's 补偿决定 section says why none may be made, and once the gate is open an operator's form makes one, which an admin revokes.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (overrides, a
// decision, both undone at the end), frontend/dist and psql. Run: /work/wt/tools/btest
// tests/browser/gates.test.mjs. Screenshots: out/gates-*.png. Runs repeat on one database: every
// override is revoked and the decision revoked again before the test ends.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {authed, loginAs, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-gates', password: 'browser-test-gates-Pw-2026'};
let server, browser, page, admin, shut, unsigned, operator;
const problems = [];

/** Sets step `key` of project `id` as the test needs it (psql: db.mjs only reads). */
function setStep(id, key, state, actualEnd) {
    const sql = `UPDATE project_steps SET state = :'state', actual_end = NULLIF(:'end', '')::date WHERE project_id = :'id' AND key = :'key';`;
    const vars = Object.entries({id, key, state, end: actualEnd ?? ''}).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
    execFileSync(process.env.PSQL ?? 'psql', [process.env.PSQL_URL ?? process.env.DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...vars], {input: sql});
}

const shot = name => page.screenshot({path: path.join(OUT, `gates-${name}.png`), fullPage: false});

/** A gate open or shut, as the API says. */
const gateOf = async (project, gate) =>
    (await authed(server.base, admin, `/api/projects/${project}/gates`)).body.gates.find(g => g.gate === gate);

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-gates', problems));
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    // a surveyed household in a project whose signing gate we shut for the test: its decision
    // step back in progress (every demo project has signed, so every signing gate is open); put
    // back as it was in after()
    [shut] = await query(`SELECT h.id, p.id AS project_id, p.code AS project, g.step_key, g.step_name, s.actual_end::text AS actual_end
        FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id,
             gate_state(p.id, 'signing') g JOIN project_steps s ON s.key = g.step_key
        WHERE s.project_id = p.id AND h.status = 'surveyed' AND g.open AND g.override_id IS NULL AND s.state = 'done' ORDER BY h.id LIMIT 1`);
    assert.ok(shut, 'a surveyed household behind a signing gate');
    setStep(shut.project_id, shut.step_key, 'in_progress', null);
    shut.state = 'in_progress';
    // an unsigned household where signing is open but the signing period runs (no 补偿决定 yet)
    [unsigned] = await query(`SELECT h.id, p.code AS project, r.code AS region, g.step_name, g.step_state::text AS state
        FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id,
             gate_state(p.id, 'compensation_decision') g, gate_state(p.id, 'signing') s
        WHERE h.status < 'signed' AND s.open AND NOT g.open
          AND NOT EXISTS (SELECT 1 FROM compensation_decisions d WHERE d.household_id = h.id AND d.revoked_at IS NULL)
        ORDER BY h.id LIMIT 1`);
    assert.ok(unsigned, 'an unsigned household while its signing period runs');
    operator = {username: 'browser-test-gates-op', password: 'browser-test-gates-op-Pw-2026', role: 'operator', region: unsigned.region};
});

after(async () => {
    if (shut) {
        setStep(shut.project_id, shut.step_key, 'done', shut.actual_end);
    }
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('the desk refuses a signing behind a shut gate and names the step and its state', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
    const before = await query(`SELECT status::text, version FROM households WHERE id = :'p1'`, [shut.id]);
    await page.goto(`${server.base}/desk/#households/${shut.project}/${shut.id}`);
    const section = page.locator('.dk-status');
    await section.locator(`.om-sw-row[data-household="${shut.id}"]`).waitFor({timeout: 20_000});
    const started = Date.now();
    await section.locator('.om-sw-forward').click();
    await page.locator('dialog.om-sw-dialog button[data-confirm]').click();
    const failed = section.locator('.om-sw-result[data-result="failed"]');
    await failed.waitFor({timeout: 15_000});
    const text = await failed.innerText();
    console.log(`TASK desk: a refused signing explained: 2 clicks, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.ok(text.includes(`项目 ${shut.project} 的签约闸门未开`) && text.includes(shut.step_name) && text.includes('进行中'),
        `the refusal names the project, the step and its state: ${text}`);
    await section.screenshot({path: path.join(OUT, 'gates-desk-refused-section.png')});
    await shot('desk-refused-1080');
    assert.deepEqual(await query(`SELECT status::text, version FROM households WHERE id = :'p1'`, [shut.id]), before, 'nothing written');
});

test('the admin page lists the gates, overrides one with a reason and revokes it (audited)', async () => {
    for (const [width, height] of [[1920, 1080], [390, 844]]) {
        await page.setViewportSize({width, height});
        await page.goto('about:blank');
        await page.goto(`${server.base}/admin/#gates/${encodeURIComponent(shut.project)}`);
        const rows = page.locator('.ad-gates tbody tr');
        await rows.first().waitFor({timeout: 20_000});
        assert.equal(await rows.count(), 3);
        const signing = page.locator('.ad-gates tr[data-gate="signing"]');
        assert.equal(await signing.getAttribute('data-open'), 'false');
        assert.match(await signing.innerText(), new RegExp(shut.step_name));
        await shot(`admin-${height}`);
        if (width !== 1920) continue;
        await signing.locator('button[data-action="grant"]').click();
        await page.locator('.ad-gates .om-notice', {hasText: '至少 4 个字'}).waitFor();
        const started = Date.now();
        await signing.locator('input[name="reason"]').fill('浏览器测试：专题会议同意先行签约');
        await signing.locator('button[data-action="grant"]').click();
        await page.locator('.ad-gates tr[data-gate="signing"][data-open="true"]').waitFor({timeout: 15_000});
        console.log(`TASK admin: override a gate: 1 field, 1 click, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.match(await page.locator('.ad-gates tr[data-gate="signing"]').innerText(), /专题会议同意先行签约/);
        assert.equal((await gateOf(shut.project, 'signing')).open, true);
        await shot('admin-overridden-1080');
        const open = page.locator('.ad-gates tr[data-gate="signing"]');
        await open.locator('input[name="reason"]').fill('浏览器测试完毕，恢复程序');
        await open.locator('button[data-action="revoke"]').click();
        await page.locator('.ad-gates tr[data-gate="signing"][data-open="false"]').waitFor({timeout: 15_000});
        assert.equal((await gateOf(shut.project, 'signing')).open, false);
        const audit = await query(`SELECT action FROM audit_log WHERE subject = 'project ' || :'p1' AND action LIKE 'gate_override%' ORDER BY id DESC LIMIT 2`, [shut.project]);
        assert.deepEqual(audit.map(a => a.action), ['gate_override_revoke', 'gate_override']);
        // English
        await page.goto(`${server.base}/admin/?lang=en#gates/${encodeURIComponent(shut.project)}`);
        await page.locator('.ad-gates tr[data-gate="signing"]', {hasText: 'signing'}).waitFor({timeout: 20_000});
        await shot('admin-en-1080');
    }
});

test('the 补偿决定 section says which step blocks it; once open, an operator makes one and an admin revokes it', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    const hash = `#households/${unsigned.project}/${unsigned.id}`;
    await page.goto('about:blank');
    await page.goto(`${server.base}/desk/${hash}`);
    const decision = page.locator('.dk-decision');
    const blocked = decision.locator('.dk-decision-blocked[data-code="gate_step_not_done"]');
    await blocked.waitFor({timeout: 20_000});
    assert.ok((await blocked.innerText()).includes(unsigned.step_name), await blocked.innerText());
    await decision.scrollIntoViewIfNeeded();
    await shot('desk-decision-blocked-1080');

    const granted = await authed(server.base, admin, `/api/projects/${unsigned.project}/gates/compensation_decision/override`,
        {method: 'POST', json: {reason: '浏览器测试：签约期届满'}});
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    try {
        const session = await loginAs(server.base, operator);
        await useSession(browser.context, server.base, session);
        // the operator works on a phone (the 1920 file is shot blocked and revoked)
        await page.setViewportSize({width: 390, height: 844});
        await page.goto('about:blank');
        await page.goto(`${server.base}/desk/${hash}`);
        await decision.locator('form input[name="document_no"]').waitFor({timeout: 20_000});
        await decision.scrollIntoViewIfNeeded();
        await shot('desk-decision-form-844');
        const started = Date.now();
        await decision.locator('input[name="document_no"]').fill('测征补决字〔2026〕第9号');
        await decision.locator('form button[type="submit"]').click();
        await decision.locator('.dk-decision-now', {hasText: '测征补决字〔2026〕第9号'}).waitFor({timeout: 15_000});
        console.log(`TASK desk: make a 补偿决定: 1 field, 1 click, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await decision.scrollIntoViewIfNeeded();
        await shot('desk-decision-made-390');
        const [made] = await query(`SELECT count(*)::int AS n FROM compensation_decisions WHERE household_id = :'p1' AND revoked_at IS NULL`, [unsigned.id]);
        assert.equal(made.n, 1);
    } finally {
        await authed(server.base, admin, `/api/projects/${unsigned.project}/gates/compensation_decision/revoke`, {method: 'POST', json: {reason: '浏览器测试完毕'}});
    }
    // the admin revokes it on the desk
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
    await page.goto('about:blank');
    await page.goto(`${server.base}/desk/${hash}`);
    await decision.locator('.dk-decision-now').waitFor({timeout: 20_000});
    await decision.locator('details.dk-override summary').click();
    await decision.locator('input[name="revoke_reason"]').fill('浏览器测试：文号有误');
    await decision.locator('details.dk-override button[type="submit"]').click();
    await decision.locator('.om-notice[data-tone="ok"]').waitFor({timeout: 15_000});
    assert.equal(await decision.locator('tr[data-state="revoked"]').count() >= 1, true);
    await decision.scrollIntoViewIfNeeded();
    await shot('desk-decision-revoked-1080');
});
