// Browser test of the admin page's procedure tabs (/admin/#templates, #calendar) at 1920×1080: an admin reads every kind's template versions and a version's steps, makes a new version of 国有土地上房屋征收 with the comment period changed (a refused period shown at its step and field first), which becomes the current one; reads 2026's holidays, has a Saturday listed as a holiday refused beside the day, and computes a period over 国庆; the same pages in English.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (a template version),
// frontend/dist, and psql. Run: /work/wt/tools/btest tests/browser/procedure-admin.test.mjs.
// Screenshots: out/procedure-admin-*.png. Each run adds one version; runs repeat on one database.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
const RUN = Date.now().toString(36);
let server, browser, page, admin;
const problems = [];
const timings = [];

const shot = name => page.screenshot({path: path.join(OUT, `procedure-admin-${name}.png`), fullPage: false});

async function openAdmin(hash, lang = 'zh') {
    await page.goto('about:blank');
    await page.goto(`${server.base}/admin/?lang=${lang}${hash}`);
    await page.waitForFunction(() => window.__admin?.ready === true, null, {timeout: 20_000});
}

async function assertNoPageScroll(where) {
    const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
    assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in a ${width}px viewport`);
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-procedure-admin', problems));
    page.on('console', msg => { if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
});

after(async () => {
    console.log(`procedure admin tasks: ${timings.join('; ')}`);
    await browser?.close();
    await server?.stop();
});

test('程序模板 lists every kind\'s versions and shows a version\'s steps with their rules', async () => {
    await openAdmin('#templates');
    const groups = page.locator('.ad-template-kind');
    await groups.first().locator('tbody tr').first().waitFor({timeout: 20_000});
    assert.equal(await groups.count(), 4, 'four kinds');
    assert.equal(await page.locator('.dk-tab[aria-pressed="true"]').innerText(), '程序模板');
    const steps = page.locator('.ad-template-steps tbody tr');
    await steps.first().waitFor();
    const [{count}] = await query(`SELECT count(*)::int AS count FROM procedure_template_steps s JOIN procedure_templates t ON t.id = s.template_id
        WHERE t.kind = 'house_expropriation' AND t.version = (SELECT max(version) FROM procedure_templates WHERE kind = 'house_expropriation')`);
    assert.equal(await steps.count(), count, 'every step of the current version');
    const comment = page.locator('.ad-template-steps tr[data-key="plan_comment"]');
    assert.match(await comment.innerText(), /方案拟定公示[\s\S]*≥ \d+ 日/);
    assert.match(await page.locator('.ad-template-steps tr[data-key="litigation_window"]').innerText(),
        /≤ 6 个月[\s\S]*是（自动开启）/);
    await assertNoPageScroll('templates at 1920');
    await shot('templates-1920');
});

test('an admin makes a new version with the comment period changed; a refused period is shown at its step and field', async () => {
    await openAdmin('#templates');
    const house = page.locator('.ad-template-kind[data-kind="house_expropriation"]');
    await house.locator('tbody tr').first().waitFor({timeout: 20_000});
    const [{version: before}] = await query(`SELECT max(version) AS version FROM procedure_templates WHERE kind = 'house_expropriation'`);
    const started = Date.now();
    await house.locator('button[data-action="new-version"]').click();
    const editor = page.locator('.ad-template-editor');
    await editor.locator('.ad-step').first().waitFor({timeout: 20_000});
    const index = await editor.locator('.ad-step').evaluateAll(rows => rows.findIndex(r => r.dataset.key === 'plan_comment'));
    assert.ok(index >= 0, 'the comment period is a step of the copy');
    const period = editor.locator(`input[name="steps[${index}].min_period"]`);
    await shot('editor-1920');
    // a period of 0 days: the server refuses it, shown beside that step's field
    await period.fill('0');
    await editor.locator('button[data-action="save-version"]').click();
    await editor.locator('.ad-confirm button[data-confirm="yes"]').click();
    const error = editor.locator(`.ad-field-error[data-field="steps[${index}].min_period"]`);
    await error.waitFor({state: 'visible', timeout: 10_000});
    assert.match(await error.innerText(), new RegExp(`第 ${index + 1} 步时限下限：须在 1–\\d+ 之间`));
    assert.match(await editor.locator('.om-notice').innerText(), /未保存：第 \d+ 步（plan_comment）/);
    await error.scrollIntoViewIfNeeded();
    await shot('editor-refused-1920');
    const [{version: still}] = await query(`SELECT max(version) AS version FROM procedure_templates WHERE kind = 'house_expropriation'`);
    assert.equal(still, before, 'nothing written');

    // 45 days and a note: saved as the next version, now the current one
    await period.fill('45');
    await editor.locator('input[name="note"]').fill(`征求意见期延长至45日 ${RUN}`);
    await editor.locator('button[data-action="save-version"]').click();
    await editor.locator('.ad-confirm button[data-confirm="yes"]').click();
    await page.locator('.ad-templates .om-notice[data-tone="ok"]').waitFor({timeout: 15_000});
    await page.locator('.ad-template-steps tr[data-key="plan_comment"]').waitFor({timeout: 15_000});
    timings.push(`a new version with one duration changed (new version, 1 field, note, save, confirm; one refusal on the way): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.match(await page.locator('.ad-template-steps tr[data-key="plan_comment"]').innerText(), /≥ 45 日/);
    const current = house.locator('tbody tr[aria-current="true"]');
    assert.equal(await current.getAttribute('data-version'), String(before + 1));
    assert.match(await current.innerText(), /现行/);
    const [row] = await query(`SELECT t.version, t.note, s.min_period FROM procedure_templates t
        JOIN procedure_template_steps s ON s.template_id = t.id AND s.key = 'plan_comment'
        WHERE t.kind = 'house_expropriation' ORDER BY t.version DESC LIMIT 1`);
    assert.deepEqual([row.version, row.min_period, row.note], [before + 1, 45, `征求意见期延长至45日 ${RUN}`]);
    await shot('saved-1920');
});

test('the editor adds, moves and removes a step, and discarding writes nothing', async () => {
    await openAdmin('#templates/new/shantytown');
    const editor = page.locator('.ad-template-editor');
    const rows = editor.locator('.ad-step');
    await rows.first().waitFor({timeout: 20_000});
    const keys = () => rows.evaluateAll(list => list.map(r => r.querySelector('input[name$=".key"]').value));
    const before = await keys();
    await editor.locator('button[data-action="add-step"]').click();
    assert.equal(await rows.count(), before.length + 1);
    const last = rows.nth(before.length);
    await last.locator(`input[name="steps[${before.length}].name"]`).fill('回访');
    await last.getByRole('button', {name: '上移'}).click();
    const moved = await keys();
    assert.deepEqual([moved[before.length - 1], moved[before.length]], [`step_${before.length + 1}`, before.at(-1)], 'moved up one place');
    assert.equal(await editor.locator(`input[name="steps[${before.length - 1}].name"]`).inputValue(), '回访', 'the typed name moves with it');
    await rows.nth(before.length - 1).getByRole('button', {name: '删除'}).click();
    assert.deepEqual(await keys(), before);
    const [{count}] = await query(`SELECT count(*)::int AS count FROM procedure_templates WHERE kind = 'shantytown'`);
    await editor.getByRole('button', {name: '放弃编辑'}).click();
    await page.locator('.ad-template-steps tbody tr').first().waitFor({timeout: 10_000});
    const [{count: after}] = await query(`SELECT count(*)::int AS count FROM procedure_templates WHERE kind = 'shantytown'`);
    assert.equal(after, count, 'nothing written');
});

test('节假日 lists 2026, refuses a Saturday holiday beside the day, and the calculator counts over 国庆', async () => {
    await openAdmin('#calendar/2026');
    const rows = page.locator('.ad-day');
    await rows.first().waitFor({timeout: 20_000});
    assert.equal(await rows.count(), 25, 'the 2026 notice lists 25 days');
    assert.match(await page.locator('.ad-calendar-card .om-card-note').innerText(), /2026 年 · 列出 25 天/);
    // the calculator: 10 working days from Mon 09-28 end Fri 10-16 (10-10, a Saturday, worked)
    const calc = page.locator('.ad-period-form');
    await calc.locator('input[name="start"]').fill('2026-09-28');
    await calc.locator('input[name="n"]').fill('10');
    await calc.locator('select[name="unit"]').selectOption('working_days');
    await calc.locator('button[type="submit"]').click();
    const end = page.locator('.ad-period-result strong[data-end]');
    await end.waitFor({timeout: 10_000});
    assert.equal(await end.getAttribute('data-end'), '2026-10-16');
    assert.match(await page.locator('.ad-period-listed').innerText(), /10-10 国庆节调休上班/);
    await shot('calendar-1920');
    // a holiday on Saturday 10-03: refused beside that day, nothing written
    await page.locator('button[data-action="add-day"]').click();
    await rows.nth(25).locator('input[type="date"]').fill('2026-10-03');
    await rows.nth(25).locator('input[name="days[25].name"]').fill('国庆节');
    await page.locator('button[data-action="save-calendar"]').click();
    await page.locator('.ad-calendar .ad-confirm button[data-confirm="yes"]').click();
    const error = page.locator('.ad-field-error[data-field="days[25].working"]');
    await error.waitFor({state: 'visible', timeout: 10_000});
    assert.match(await error.innerText(), /2026-10-03 是周末，本就休息/);
    const [{count}] = await query(`SELECT count(*)::int AS count FROM calendar_days WHERE day BETWEEN '2026-01-01' AND '2026-12-31'`);
    assert.equal(count, 25, 'nothing written');
    await error.scrollIntoViewIfNeeded();
    await shot('calendar-refused-1920');
});

test('at 390 px both tabs and the editor fit the phone', async () => {
    await page.setViewportSize({width: 390, height: 844});
    for (const [hash, ready, name] of [
        ['#templates', '.ad-template-steps tbody tr', 'templates-390'],
        ['#templates/new/land_acquisition', '.ad-step', 'editor-390'],
        ['#calendar/2026', '.ad-day', 'calendar-390'],
    ]) {
        await openAdmin(hash);
        await page.locator(ready).first().waitFor({timeout: 20_000});
        await assertNoPageScroll(name);
        await shot(name);
    }
    await page.setViewportSize({width: 1920, height: 1080});
});

test('both tabs read in English', async () => {
    await openAdmin('#templates', 'en');
    await page.locator('.ad-template-steps tbody tr').first().waitFor({timeout: 20_000});
    assert.match(await page.locator('.ad-template-steps thead').innerText(), /Legal basis[\s\S]*Time limit/);
    await shot('templates-en-1920');
    await openAdmin('#calendar/2026', 'en');
    await page.locator('.ad-day').first().waitFor({timeout: 20_000});
    await shot('calendar-en-1920');
    assert.deepEqual(problems, []);
});
