// Browser test of the desk's 程序台账 (/desk/#procedure/CODE) at 1920×1080 and 1280×800: a clerk (an operator of the project's region) starts a step, finishes it and uploads a public PDF to it, timed; a refused start shows its code's Chinese sentence.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to, frontend/dist and
// psql (btest gives all). It works on the project with the most steps that are not started, are
// no window, have no legal minimum period and whose prerequisites are all done or waived (one per
// viewport, in template order), and a step to refuse: in the demo city with its procedure histories. Through the page only, as the clerk:
//   1. 开始 → 确认开始 (today): the step reads 进行中; 完成 → 确认完成 (today): 已完成;
//   2. 上传文件 → a PDF, 公开 ticked → 确认上传: it is listed as 已公开 and downloads with the
//      same bytes; the API lists it public with the SHA-256 of its bytes;
//   3. 开始 on a later step whose prerequisites are not done: the panel shows the refusal
//      (step_prerequisites_missing) in Chinese, naming the missing steps, and nothing changes.
// The task of 1–2 is timed (clicks and seconds, printed). Then an admin proposes planned dates
// (按法定时限排期: a preview writes nothing; 确认排期 writes them) and moves one step's plan into the
// past with the clerk responsible: it reads 逾期 in red, 已逾期 N 天.
// Screenshots: out/procedure-desk-{1920,1280}.png, procedure-desk-refused-1920.png,
// procedure-desk-plan-preview-1920.png, procedure-desk-plan-1920.png; and a project with open
// windows (窗口期进行中 / 已届满 by their clock, no state actions), procedure-desk-window-1280.png.
// Run: /work/wt/tools/btest tests/browser/procedure-desk.test.mjs
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {authed, loginAs, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-procedure', password: 'browser-test-procedure-Pw-2026'};
const VIEWPORTS = [
    {name: '1920', width: 1920, height: 1080},
    {name: '1280', width: 1280, height: 800},
];

let server, browser, page, admin, clerk, project;
const problems = [];
let refusing = false;

const enc = encodeURIComponent;
const ledger = async () => {
    const r = await authed(server.base, admin, `/api/projects/${enc(project.code)}/procedure`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
};
const done = s => s.state === 'done' || s.state === 'waived';

/** The steps a clerk may start and finish today: not started, no window, no minimum period, every prerequisite done. */
function startable(l) {
    const byKey = new Map(l.steps.map(s => [s.key, s]));
    return l.steps.filter(s => s.state === 'not_started' && !s.is_window && !s.min_period && s.prerequisites.every(k => done(byKey.get(k))));
}
const nextStep = l => startable(l)[0];

/** A later step whose prerequisites are not all done: starting it is refused. */
function blockedStep(l) {
    const byKey = new Map(l.steps.map(s => [s.key, s]));
    return l.steps.find(s => s.state === 'not_started' && !s.is_window && s.prerequisites.some(k => !done(byKey.get(k))));
}

async function openProcedure() {
    await page.goto('about:blank');
    await page.goto(`${server.base}/desk/#procedure/${enc(project.code)}`);
    await page.waitForFunction(() => window.__desk?.ready === true, null, {timeout: 20_000});
    await page.locator('.dk-procedure .dk-step').first().waitFor({timeout: 20_000});
    await page.waitForFunction(() => !document.querySelector('.dk-procedure').dataset.loading, null, {timeout: 20_000});
}

/** A small but real PDF: one empty page. */
function pdf(label) {
    const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n` +
        `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
    return Buffer.from(body);
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-procedure-desk', problems));
    page.on('console', msg => {
        if (msg.type() !== 'error') return;
        if (refusing && /status of 4\d\d/.test(msg.text())) return;
        problems.push(`console: ${msg.text()} ${msg.location()?.url ?? ''}`);
    });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    // the project with the most steps to start (one per viewport, at least) and one to refuse
    const rows = await query('SELECT p.code, r.code AS region FROM projects p JOIN regions r ON r.id = p.region_id ORDER BY p.id');
    let best = null, most = 0;
    for (const row of rows) {
        project = row;
        const l = await ledger();
        const count = blockedStep(l) ? startable(l).length : 0;
        if (count > most) [best, most] = [row, count];
    }
    project = best;
    assert.ok(project && most >= VIEWPORTS.length, `no project has ${VIEWPORTS.length} steps to start and one to refuse`);
    clerk = await loginAs(server.base, {username: `browser-test-clerk-${project.region}`, password: 'browser-test-clerk-Pw-2026', role: 'operator', region: project.region});
});

after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, [], problems.join('\n'));
});

for (const vp of VIEWPORTS) {
    test(`at ${vp.width}×${vp.height} a clerk starts and finishes a step and uploads a public PDF to it`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await useSession(browser.context, server.base, clerk);
        const step = nextStep(await ledger());
        assert.ok(step, 'a step to start');
        await openProcedure();
        assert.equal(await page.locator('.dk-tab[aria-pressed="true"]').innerText(), '程序台账');
        const card = page.locator(`.dk-step[data-key="${step.key}"]`);
        await card.scrollIntoViewIfNeeded();
        let clicks = 0;
        const click = async locator => { clicks += 1; await locator.click(); };
        const started = Date.now();

        await click(card.locator('[data-action="start"]'));
        await click(card.locator('.dk-step-form [data-confirm]'));
        await page.locator(`.dk-step[data-key="${step.key}"][data-state="in_progress"]`).waitFor({timeout: 20_000});
        await click(page.locator(`.dk-step[data-key="${step.key}"] [data-action="finish"]`));
        await click(page.locator(`.dk-step[data-key="${step.key}"] .dk-step-form [data-confirm]`));
        await page.locator(`.dk-step[data-key="${step.key}"][data-state="done"]`).waitFor({timeout: 20_000});

        const bytes = pdf(`${vp.name}-${Date.now()}`);
        const name = `公告-${vp.name}-${Date.now()}.pdf`;
        await click(page.locator(`.dk-step[data-key="${step.key}"] [data-action="upload"]`));
        const form = page.locator(`.dk-step[data-key="${step.key}"] .dk-step-form`);
        clicks += 1; // choosing the file
        await form.locator('input[name="file"]').setInputFiles({name, mimeType: 'application/pdf', buffer: bytes});
        await click(form.locator('input[name="public"]'));
        await click(form.locator('[data-confirm]'));
        const listed = page.locator(`.dk-step[data-key="${step.key}"] .dk-step-docs li`, {hasText: name});
        await listed.waitFor({timeout: 20_000});
        const seconds = (Date.now() - started) / 1000;
        console.log(`procedure desk ${vp.name}: start + finish + public upload of “${step.name}”: ${clicks} clicks, ${seconds.toFixed(1)} s`);
        assert.match(await listed.innerText(), /已公开/);
        assert.match(await page.locator('.dk-procedure > .om-notice[data-tone="ok"]').innerText(), /已上传/);

        const after = (await ledger()).steps.find(s => s.key === step.key);
        assert.equal(after.state, 'done');
        assert.equal(after.actual_end, after.actual_start, 'started and finished today');
        const doc = after.documents.find(d => d.file_name === name);
        assert.ok(doc?.public, `the document is listed public: ${JSON.stringify(after.documents)}`);
        assert.equal(doc.sha256, createHash('sha256').update(bytes).digest('hex'));
        const [download] = await Promise.all([page.waitForEvent('download'), listed.locator('a').click()]);
        assert.ok(Buffer.from(readFileSync(await download.path())).equals(bytes), 'the download differs from the uploaded PDF');

        // the state chip, the dates and the document are what the screenshot shows
        await page.locator(`.dk-step[data-key="${step.key}"]`).scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollBy(0, -160));
        await page.screenshot({path: path.join(OUT, `procedure-desk-${vp.name}.png`)});
        const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
        assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px viewport`);
    });
}

test('a start before the prerequisites are done is refused in Chinese and changes nothing', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, clerk);
    const l = await ledger();
    const step = blockedStep(l);
    await openProcedure();
    const card = page.locator(`.dk-step[data-key="${step.key}"]`);
    await card.scrollIntoViewIfNeeded();
    await card.locator('[data-action="start"]').click();
    refusing = true;
    await card.locator('.dk-step-form [data-confirm]').click();
    const notice = card.locator('.dk-step-form .om-notice[data-tone="error"]');
    await notice.waitFor({timeout: 20_000});
    refusing = false;
    const text = await notice.innerText();
    assert.match(text, /须等前置步骤完成或豁免/, text);
    const byKey = new Map(l.steps.map(s => [s.key, s]));
    const missing = step.prerequisites.map(k => byKey.get(k)).filter(s => !done(s));
    for (const m of missing) assert.ok(text.includes(m.name), `“${text}” names ${m.name}`);
    assert.equal((await ledger()).steps.find(s => s.key === step.key).version, step.version, 'nothing was written');
    await page.screenshot({path: path.join(OUT, 'procedure-desk-refused-1920.png')});
});

test('an admin plans the unplanned steps by the legal periods after a preview: the steps past their planned end turn red', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
    const before = await ledger();
    const unplanned = before.steps.filter(s => !s.is_window && !s.planned_start && !s.planned_end && !done(s));
    await openProcedure();
    await page.locator('.dk-proc-tools [data-action="plan"]').click();
    if (unplanned.length === 0) {
        await page.locator('.dk-procedure > .om-notice[data-tone="ok"]', {hasText: '都已有计划日期'}).waitFor({timeout: 20_000});
        return;
    }
    const preview = page.locator('.dk-proc-plan');
    await preview.locator('[data-confirm]').waitFor({timeout: 20_000});
    assert.equal(await preview.locator('li').count(), unplanned.length, 'one proposed line per unplanned step');
    assert.equal((await ledger()).steps.filter(s => s.planned_end).length, before.steps.filter(s => s.planned_end).length, 'the preview wrote nothing');
    await page.screenshot({path: path.join(OUT, 'procedure-desk-plan-preview-1920.png')});
    await preview.locator('[data-confirm]').click();
    await page.locator('.dk-procedure > .om-notice[data-tone="ok"]', {hasText: '排期'}).waitFor({timeout: 20_000});
    const after = await ledger();
    assert.ok(after.steps.filter(s => !s.is_window).every(s => s.planned_end || done(s)), 'every open step has a plan');
    assert.equal(await page.locator('.dk-step[data-state="overdue"]').count(), after.steps.filter(s => s.shown_state === 'overdue').length);

    // a plan moved into the past by hand, with the clerk made responsible: the step is overdue, in red
    const target = nextStep(after);
    const card = page.locator(`.dk-step[data-key="${target.key}"]`);
    await card.locator('[data-action="edit"]').click();
    const form = card.locator('.dk-step-form');
    await form.locator('input[name="planned_start"]').fill('2026-11-02');
    await form.locator('input[name="planned_end"]').fill('2026-11-20');
    await form.locator('select[name="responsible"]').selectOption({label: `${clerk.user.username}（经办人员）`});
    await form.locator('[data-confirm]').click();
    const late = page.locator(`.dk-step[data-key="${target.key}"][data-state="overdue"]`);
    await late.waitFor({timeout: 20_000});
    assert.equal(await late.locator('.om-chip-bad').first().innerText(), '逾期');
    const days = Math.round((Date.parse(after.today) - Date.parse('2026-11-20')) / 86_400_000);
    assert.equal(await late.locator('.dk-step-late').innerText(), `已逾期 ${days} 天`);
    assert.match(await late.locator('.dk-step-who').innerText(), new RegExp(clerk.user.username));
    await late.locator('.dk-step-basis summary').click();
    await late.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -240));
    await page.screenshot({path: path.join(OUT, 'procedure-desk-plan-1920.png')});
});

test('legal windows read open or closed by their clock and offer no state actions', async () => {
    await page.setViewportSize({width: 1280, height: 800});
    await useSession(browser.context, server.base, admin);
    const rows = await query("SELECT DISTINCT p.code FROM project_steps_due d JOIN projects p ON p.id = d.project_id WHERE d.shown_state = 'open' ORDER BY p.code");
    assert.ok(rows.length > 0, 'the demo has open windows');
    project = {...project, code: rows[0].code};
    const windows = (await ledger()).steps.filter(s => s.is_window && s.shown_state !== 'not_started');
    await openProcedure();
    for (const w of windows) {
        const card = page.locator(`.dk-step[data-key="${w.key}"]`);
        assert.equal(await card.locator('.om-chip').first().innerText(), w.shown_state === 'open' ? '窗口期进行中' : '窗口期已届满');
        assert.equal(await card.locator('[data-action="start"], [data-action="finish"], [data-action="waive"], [data-action="edit"]').count(), 0);
        assert.match(await card.locator('.dk-step-dates').innerText(), new RegExp(w.legal_due));
    }
    const open = page.locator('.dk-step[data-state="open"]').first();
    await open.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -200));
    await page.screenshot({path: path.join(OUT, 'procedure-desk-window-1280.png')});
});
