// Browser test of the staff work desk (/desk/) at 1920×1080 and 390×844: household search and file, uploads, a payment batch through its approval chain (four people), a send-back, an answer.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (uploads, batches,
// allocations), frontend/dist, and psql (to read real holder names from the database). It logs in
// as the admin `browser-test-desk` and, for a project with payable households, as an operator of
// that project's region, a second operator there and two more admins (all created with the CLI);
// first through the login form, as the cockpit asks for it. At each viewport it:
//   1. searches the project's households by part of a holder's name, opens one, uploads a real PNG
//      as 身份证 (it appears in the list and downloads with the same bytes) and a .txt file (the
//      page shows the server's own refusal); out/desk-household-{1080,390}.png;
//   2. as the operator, submits two payment batches (the second with a double click, which must
//      make one batch only) on the project's approval chain, the default 审核 → 审批 → 复核 → 支付
//      (the 审批流程 card shows it); four other people take one step each of the first — the
//      second operator reviews, the admin approves (and then sees no button for the next step:
//      one person, one step), two more admins check and pay (status 已支付, the "paid" gauge
//      grows by its amount); the admin sends the second back with a reason typed inline;
//      out/desk-funds-{1080,390}.png;
//   3. answers an open objection (of any project) after confirming: it stays in the list marked
//      answered, shows answered under 全部, and the public ticket look-up shows the answer;
//      out/desk-objections-{1080,390}.png.
// Then, as the admin, it saves another project's chain from the 合水县七步 template (a new version
// with seven steps and their offices); out/desk-chain-1080.png.
// Run: cd frontend && npm run build && DATABASE_URL=… node --test ../tests/browser/desk.test.mjs
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {encodePng} from './png.mjs';
import {authed, loginAs, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-desk', password: 'browser-test-desk-Pw-2026'};
const VIEWPORTS = [
    {name: '1080', width: 1920, height: 1080},
    {name: '390', width: 390, height: 844},
];
/** Paid per test batch: small, so repeated runs never reach a household's agreed sum or the allocations. */
const BATCH_YUAN = 321.5;

let server, browser, page, admin, operator, reviewer, checker, payer, project;
const problems = [];
/** Set while the page is expected to receive a 4xx (no session yet, a refused upload): Chromium logs those as console errors. */
let refusing = false;

const shot = name => page.screenshot({path: path.join(OUT, `desk-${name}.png`)});

/** The project the scenarios use: one whose funds list at least two payable households. */
async function pickProject() {
    const list = await authed(server.base, admin, '/api/figures/projects');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    for (const p of list.body.projects) {
        const funds = await authed(server.base, admin, `/api/projects/${encodeURIComponent(p.code)}/funds`);
        assert.equal(funds.status, 200, `funds of ${p.code}: ${JSON.stringify(funds.body)}`);
        if (funds.body.payable.filter(x => x.remaining_yuan >= BATCH_YUAN).length >= 2 && p.region_code) return {...p, funds: funds.body};
    }
    throw new Error('no project of the demo has two payable households');
}

/** Tops up the project's allocations when the test batches might not fit (the database refuses payments beyond them). */
async function ensureHeadroom() {
    const f = project.funds;
    const need = 8 * BATCH_YUAN;
    if (f.allocated_yuan - f.committed_yuan >= need) return;
    const r = await authed(server.base, admin, `/api/projects/${encodeURIComponent(project.code)}/allocations`,
        {method: 'POST', json: {yuan: 10_000, received_on: new Date().toISOString().slice(0, 10), note: '浏览器测试拨款'}});
    assert.equal(r.status, 201, `allocation: ${JSON.stringify(r.body)}`);
}

/** Opens the desk at `hash` as whoever the cookies say, and waits until it has routed. */
async function openDesk(hash) {
    // A URL that differs only in its #hash would not reload the page (nor read the new session).
    await page.goto('about:blank');
    await page.goto(`${server.base}/desk/${hash}`);
    await page.waitForFunction(() => window.__desk?.ready === true, null, {timeout: 20_000});
}

/** The page never scrolls sideways: wide tables scroll inside their cards. */
async function assertNoPageScroll(where) {
    const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
    assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in a ${width}px viewport`);
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-desk', problems));
    page.on('console', msg => {
        if (msg.type() !== 'error') return;
        if (refusing && /status of 4\d\d/.test(msg.text())) return;
        problems.push(`console: ${msg.text()} ${msg.location()?.url ?? ''}`);
    });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    project = await pickProject();
    await ensureHeadroom();
    operator = await loginAs(server.base, {
        username: `browser-test-operator-${project.region_code}`, password: 'browser-test-operator-Pw-2026', role: 'operator', region: project.region_code,
    });
    assert.equal(operator.user.role, 'operator');
    // one person, one step of a batch: the chain's other steps need people of their own
    reviewer = await loginAs(server.base, {
        username: `browser-test-reviewer-${project.region_code}`, password: 'browser-test-reviewer-Pw-2026', role: 'operator', region: project.region_code,
    });
    checker = await loginAs(server.base, {username: 'browser-test-desk-checker', password: 'browser-test-checker-Pw-2026', role: 'admin'});
    payer = await loginAs(server.base, {username: 'browser-test-desk-payer', password: 'browser-test-payer-Pw-2026', role: 'admin'});
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('without a session the desk asks for a login (the cockpit\'s form) and then opens', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await browser.context.clearCookies();
    await page.goto('about:blank');
    refusing = true; // GET /api/me answers 401 until the login
    await page.goto(`${server.base}/desk/`);
    const form = page.locator('.om-login form, form.om-login-card');
    await form.waitFor({timeout: 20_000});
    await form.locator('input[name="username"]').fill(ADMIN.username);
    await form.locator('input[name="password"]').fill(ADMIN.password);
    await form.locator('button[type="submit"]').click();
    await page.waitForFunction(() => window.__desk?.ready === true, null, {timeout: 20_000});
    refusing = false;
    assert.equal(await page.locator('.dk-top .om-user-name').innerText(), ADMIN.username);
    assert.equal(await page.locator('.dk-tab[aria-pressed="true"]').innerText(), '户档');
});

for (const [i, vp] of VIEWPORTS.entries()) {
    test(`households at ${vp.width}×${vp.height}: search by part of a name, open the file, upload a PNG and a refused .txt`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await useSession(browser.context, server.base, admin);
        // A three-character holder (surname + two given characters), a different one per viewport.
        const [h] = await query(`SELECT h.id, h.code, h.holder_name FROM households h JOIN buildings b ON b.id = h.building_id
            JOIN projects p ON p.id = b.project_id WHERE p.code = :'p1' AND char_length(h.holder_name) = 3 ORDER BY h.id LIMIT 1 OFFSET ${i}`, [project.code]);
        assert.ok(h, `no household with a three-character name in ${project.code}`);
        const part = h.holder_name.slice(1);

        await openDesk(`#households/${encodeURIComponent(project.code)}`);
        await page.locator('.dk-results tbody tr').first().waitFor({timeout: 20_000});
        await page.locator('.dk-search input[name="name"]').fill(part);
        await page.locator('.dk-search button[type="submit"]').click();
        await page.waitForFunction(() => !document.querySelector('.dk-households').dataset.loading, null, {timeout: 20_000});
        const row = page.locator(`.dk-results tbody tr[data-id="${h.id}"]`);
        await row.waitFor({timeout: 20_000});
        const names = await page.locator('.dk-results tbody td.dk-name').allInnerTexts();
        assert.ok(names.length > 0 && names.every(n => n.includes(part)), `search “${part}” shows ${JSON.stringify(names)}`);

        await row.click();
        const file = page.locator(`.dk-file[data-state="open"][data-household="${h.id}"]`);
        await file.waitFor({timeout: 20_000});
        assert.match(await file.locator('.dk-file-head h2').innerText(), new RegExp(h.holder_name));
        assert.ok(await file.locator('.dk-compensation tbody tr').count() > 0, 'no compensation lines');
        assert.match(await file.locator('.dk-compensation tr.dk-total').innerText(), /\d/);
        const docx = await file.locator('a[href$="/agreement.docx"]').getAttribute('href');
        assert.ok(docx, 'no agreement.docx link');

        // A real PNG, different per viewport (the store keeps one copy per content; the list keeps both uploads).
        const png = encodePng(24, 16, i === 0 ? [200, 40, 40] : [40, 90, 200]);
        // A name of this run: the database keeps earlier runs' uploads.
        const pngName = `id-card-${vp.name}-${Date.now()}.png`;
        const before = await file.locator('.dk-attachments tbody tr').count();
        await file.locator('.dk-upload select[name="kind"]').selectOption('id_card');
        await file.locator('.dk-upload input[name="file"]').setInputFiles({name: pngName, mimeType: 'image/png', buffer: png});
        await file.locator('.dk-upload button[type="submit"]').click();
        await file.locator('.dk-attachments .om-notice[data-tone="ok"]').waitFor({timeout: 20_000});
        const added = file.locator('.dk-attachments tbody tr[data-kind="id_card"]', {hasText: pngName});
        await added.waitFor();
        assert.equal(await file.locator('.dk-attachments tbody tr').count(), before + 1);
        assert.match(await added.innerText(), /身份证/);
        const [download] = await Promise.all([page.waitForEvent('download'), added.locator('a').click()]);
        assert.ok(Buffer.from(readFileSync(await download.path())).equals(png), 'the download differs from the uploaded PNG');

        // The refusal the server gives over the API, shown on the page as its code's Chinese sentence.
        const txt = Buffer.from('not an image\n');
        const form = new FormData();
        form.append('kind', 'other');
        form.append('file', new Blob([txt], {type: 'text/plain'}), 'notes.txt');
        const direct = await fetch(`${server.base}/api/households/${h.id}/attachments`, {method: 'POST', headers: {authorization: `Bearer ${admin.token}`}, body: form});
        assert.ok(direct.status >= 400 && direct.status < 500, `a .txt upload answered ${direct.status}`);
        const answer = await direct.json();
        assert.equal(answer.code, 'upload_wrong_type', JSON.stringify(answer));
        refusing = true;
        await file.locator('.dk-upload select[name="kind"]').selectOption('other');
        await file.locator('.dk-upload input[name="file"]').setInputFiles({name: 'notes.txt', mimeType: 'text/plain', buffer: txt});
        await file.locator('.dk-upload button[type="submit"]').click();
        const refusal = file.locator('.dk-attachments .om-notice[data-tone="error"]');
        await refusal.waitFor({timeout: 20_000});
        refusing = false;
        const shown = await refusal.innerText();
        assert.ok(shown.includes('文件“notes.txt”的类型不支持'), `the page says “${shown}”`);
        assert.ok(!shown.includes(answer.message), `the server's English is shown: “${shown}”`);
        assert.equal(await file.locator('.dk-attachments tbody tr').count(), before + 1, 'the refused file was listed');

        await assertNoPageScroll('household file');
        if (vp.width < 1200) await file.locator('.dk-attachments').scrollIntoViewIfNeeded();
        await shot(`household-${vp.name}`);
    });

    test(`funds at ${vp.width}×${vp.height}: an operator's batch taken through its chain by four others, one step each; another sent back`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        const fundsHash = `#funds/${encodeURIComponent(project.code)}`;
        const paidGauge = () => page.locator('.dk-gauge[data-gauge="paid"]').getAttribute('data-value').then(Number);

        // The operator submits two batches: one household each.
        await useSession(browser.context, server.base, operator);
        await openDesk(fundsHash);
        const form = page.locator('.dk-batch-form');
        await form.locator('tbody tr[data-household]').first().waitFor({timeout: 20_000});
        // the chain new batches follow: the default, four steps
        const chainCard = page.locator('.dk-chain[data-steps="4"]');
        await chainCard.waitFor();
        assert.deepEqual(await chainCard.locator('.dk-chain-steps li[data-key]').evaluateAll(ls => ls.map(l => l.dataset.key)), ['review', 'approve', 'check', 'pay']);
        const payable = (await authed(server.base, operator, `/api/projects/${encodeURIComponent(project.code)}/funds`)).body.payable
            .filter(p => p.remaining_yuan >= BATCH_YUAN);
        assert.ok(payable.length >= 2, 'fewer than two payable households left');
        const submit = async (household, note, {double = false} = {}) => {
            const line = form.locator(`tbody tr[data-household="${household.household_id}"]`);
            assert.equal(Number(await line.locator('input[name="amount"]').inputValue()), household.remaining_yuan, 'the amount does not default to what remains');
            await line.locator('input[name="pick"]').check();
            await line.locator('input[name="amount"]').fill(String(BATCH_YUAN));
            await form.locator('input[name="batch_note"]').fill(note);
            const count = await page.locator('.dk-batch').count();
            const send = form.locator('button[type="submit"]');
            let posts = 0;
            const countPosts = req => { if (req.method() === 'POST' && /\/batches$/.test(req.url())) posts++; };
            page.on('request', countPosts);
            if (double) await send.dblclick(); else await send.click();
            const done = page.locator('.dk-batches > .om-notice[data-tone="ok"]');
            await page.waitForFunction(n => document.querySelectorAll('.dk-batch').length > n
                && /#\d+/.test(document.querySelector('.dk-batches > .om-notice')?.textContent ?? ''), count, {timeout: 20_000});
            const id = Number(/#(\d+)/.exec(await done.innerText())[1]);
            await page.locator(`.dk-batch[data-batch="${id}"][data-status="submitted"][data-next="review"]`).waitFor();
            // A double click makes one request (the button is disabled, then the form is spent); had a
            // second one gone out, its reused idempotency keys would have been refused (409).
            await page.waitForTimeout(double ? 1000 : 0);
            page.off('request', countPosts);
            assert.equal(posts, 1, `${note}: ${posts} POSTs for one batch`);
            assert.equal(await page.locator('.dk-batch').count(), count + 1, `${note}: not exactly one new batch`);
            await form.locator('tbody tr[data-household]').first().waitFor();
            return id;
        };
        const paid = await submit(payable[0], `浏览器测试 ${vp.name} 支付`);
        const returned = await submit(payable[1], `浏览器测试 ${vp.name} 退回`, {double: true});
        // The submitter takes no step of their batch (they may still withdraw it: 退回).
        const own = page.locator(`.dk-batch[data-batch="${paid}"]`);
        assert.equal(await own.locator('button[data-step]:not([data-step="return"])').count(), 0, 'the submitter sees a step button');
        assert.match(await own.locator('.dk-own').innerText(), /本人提交/);
        assert.equal(await own.locator('.dk-trail-step[data-state="next"]').getAttribute('data-key'), 'review');

        // Four others take one step each; the card says who took each and when.
        const chain = [['review', reviewer], ['approve', admin], ['check', checker], ['pay', payer]];
        let paidBefore = null;
        for (const [i, [key, who]] of chain.entries()) {
            await useSession(browser.context, server.base, who);
            await openDesk(fundsHash);
            const batch = page.locator(`.dk-batch[data-batch="${paid}"]`);
            await batch.waitFor({timeout: 20_000});
            if (key === 'pay') paidBefore = await paidGauge();
            await batch.locator(`button[data-step="${key}"]`).click();
            const next = chain[i + 1]?.[0];
            await page.locator(next ? `.dk-batch[data-batch="${paid}"][data-next="${next}"]` : `.dk-batch[data-batch="${paid}"][data-status="paid"]`)
                .waitFor({timeout: 20_000});
            const taken = page.locator(`.dk-batch[data-batch="${paid}"] .dk-trail-step[data-key="${key}"][data-state="done"]`);
            assert.match(await taken.innerText(), new RegExp(who.user.username), `${key}: the trail does not name who took it`);
            if (next) {
                // whoever took a step does not get the next one, though an admin holds it
                assert.equal(await page.locator(`.dk-batch[data-batch="${paid}"] button[data-step="${next}"]`).count(), 0, `${key}: a second step offered`);
                assert.match(await page.locator(`.dk-batch[data-batch="${paid}"] .dk-own`).innerText(), /本人已办理|待/);
            }
        }
        const batch = page.locator(`.dk-batch[data-batch="${paid}"]`);
        assert.equal(await batch.locator('.om-chip').innerText(), '已支付');
        const paidAfter = await paidGauge();
        assert.ok(Math.abs(paidAfter - paidBefore - BATCH_YUAN) < 0.005, `paid gauge ${paidBefore} → ${paidAfter}, expected +${BATCH_YUAN}`);
        assert.equal(await batch.locator('button[data-step]').count(), 0, 'a paid batch still offers steps');
        assert.equal(await batch.locator('.dk-trail-step[data-state="done"]').count(), 5, 'submission and four steps done');

        // The second goes back, with its reason typed in the row (no window.prompt).
        await useSession(browser.context, server.base, admin);
        await openDesk(fundsHash);
        const reason = `金额需与协议核对（${vp.name}）`;
        const back = page.locator(`.dk-batch[data-batch="${returned}"]`);
        await back.waitFor({timeout: 20_000});
        await back.locator('button[data-step="return"]').click();
        await back.locator('input[name="return_reason"]').fill(reason);
        await back.locator('.dk-return-form button[type="submit"]').click();
        const sentBack = page.locator(`.dk-batch[data-batch="${returned}"][data-status="returned"]`);
        await sentBack.waitFor({timeout: 20_000});
        assert.equal(await sentBack.locator('.om-chip').innerText(), '已退回');
        assert.ok((await sentBack.locator('.dk-return-reason').innerText()).includes(reason), 'the reason is not shown');
        assert.equal(await sentBack.locator('.dk-trail-step[data-key="review"]').getAttribute('data-state'), 'returned');

        await assertNoPageScroll('funds');
        if (vp.width < 1200) await page.locator(`.dk-batch[data-batch="${paid}"]`).scrollIntoViewIfNeeded();
        else await page.evaluate(() => window.scrollTo(0, 0));
        await shot(`funds-${vp.name}`);
    });

    test(`objections at ${vp.width}×${vp.height}: answer an open one, which the public ticket then shows`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await useSession(browser.context, server.base, admin);
        await openDesk(`#objections/${encodeURIComponent(project.code)}`);
        const tab = page.locator('.dk-objections');
        const settled = () => page.waitForFunction(() => !document.querySelector('.dk-objections').dataset.loading, null, {timeout: 20_000});
        await tab.locator('select[name="scope"]').selectOption('all');
        await settled();
        const open = tab.locator('.dk-objection[data-status="open"]').first();
        await open.waitFor({timeout: 20_000});
        const ticket = await open.getAttribute('data-ticket');
        const answer = `经复核，登记面积无误（浏览器测试 ${vp.name}）。`;
        await open.locator('textarea[name="answer"]').fill(answer);
        assert.equal(await open.locator('.dk-confirm').isVisible(), false, 'the confirmation shows before 提交');
        await open.locator('button[type="submit"]').click();
        // 提交 asks to confirm first: nothing is sent until 确认提交
        const confirm = open.locator('.dk-confirm');
        await confirm.waitFor({timeout: 5_000});
        assert.match(await confirm.innerText(), /确认提交/);
        await confirm.locator('button', {hasText: '确认提交'}).click();
        // Answered, it stays in the list of open ones, marked answered, with a confirmation…
        const done = tab.locator(`.dk-objection[data-ticket="${ticket}"][data-status="answered"]`);
        await done.waitFor({timeout: 20_000});
        assert.equal(await done.getAttribute('data-just-answered'), 'true');
        assert.match(await done.locator('.om-notice[data-tone="ok"]').innerText(), /已答复/);
        assert.ok((await done.locator('.dk-answer').innerText()).includes(answer));
        // …and shows under 全部 with its answer after a reload too.
        await tab.locator('select[name="objection_status"]').selectOption('');
        await settled();
        await done.waitFor({timeout: 20_000});
        assert.ok((await done.locator('.dk-answer').innerText()).includes(answer));
        const pub = await fetch(`${server.base}/api/public/objections/${encodeURIComponent(ticket)}`).then(r => r.json());
        assert.equal(pub.answer, answer, 'the public ticket does not show the answer');

        await assertNoPageScroll('objections');
        await done.scrollIntoViewIfNeeded();
        await shot(`objections-${vp.name}`);
    });
}

test('an admin saves a project\'s own approval chain from a template: a new version, seven steps', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
    // another project than the scenarios', so their batches keep the default chain
    const list = await authed(server.base, admin, '/api/figures/projects');
    const other = list.body.projects.map(p => p.code).sort().find(code => code !== project.code);
    await openDesk(`#funds/${encodeURIComponent(other)}`);
    const card = page.locator('.dk-chain');
    await card.waitFor({timeout: 20_000});
    await card.locator('.dk-chain-edit summary').click();
    await card.locator('select[name="chain_template"]').selectOption({label: '合水县七步'});
    assert.equal(await card.locator('.dk-chain-row').count(), 7);
    await card.locator('.dk-chain-form button[type="submit"]').click();
    await page.locator('.dk-chain[data-steps="7"] .om-notice[data-tone="ok"]').waitFor({timeout: 20_000});
    assert.match(await page.locator('.dk-chain .om-notice').innerText(), /已保存为第 \d+ 版/);
    assert.match(await page.locator('.dk-chain h2').innerText(), /本项目第 \d+ 版/);
    const saved = await authed(server.base, admin, `/api/projects/${encodeURIComponent(other)}/approval-chain`);
    assert.deepEqual(saved.body.steps.map(s => s.office), ['征收所', '分管领导', '办公室', '财务', '立鑫公司', '代理银行', '拨付专岗']);
    await page.locator('.dk-chain').screenshot({path: path.join(OUT, 'desk-chain-1080.png')});
});

test('no console errors, no requests off this machine', () => {
    assert.deepEqual(problems, []);
});
