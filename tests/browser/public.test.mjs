// Browser test of the public disclosure platform (/public/) at 1920×1080 and 390×844: projects, documents, the five lists, self-query, objections.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of the demo database (an objection is written), frontend/dist
// and psql (real names and ID numbers of a published project's households, to query with and to
// look for leaks). No login anywhere. At each viewport it opens /public/ (out/public-home-*.png),
// a published project: overview numbers, documents grouped by kind (out/public-project-*.png),
// each of the five lists (page text never shows an 18-digit ID number or a full holder name;
// name cells read X**) and paging (out/public-lists-*.png); then 查询本户 with a real holder's
// name and ID number shows that holder's households and no other, a malformed ID number is
// refused before sending, a wrong one gets the not-found message (out/public-lookup-*.png).
// Finally an objection gets a ticket whose progress the ticket box shows, and too many look-ups
// get the kind 429 message (out/public-too-many.png). The page never scrolls sideways.
// Run: cd frontend && npm run build && DATABASE_URL=… node --test ../tests/browser/public.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT, isLocal, startBrowser, startServer} from './harness.mjs';

const VIEWPORTS = [
    {name: '1080', width: 1920, height: 1080},
    {name: '390', width: 390, height: 844},
];
const LISTS = ['survey', 'signed', 'paid', 'incentives', 'progress'];
const FULL_ID = /\d{17}[\dX]/;

let server, browser, page, project, resident, fullNames;
const problems = [];
/** Set while the page is expected to receive a 4xx (not found, too many requests): Chromium logs those as console errors. */
let refusing = false;

const shot = name => page.screenshot({path: path.join(OUT, `public-${name}.png`)});

/** GB 11643 check character of 17 digits. */
function checkChar(body) {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    return '10X98765432'[[...body].reduce((s, c, i) => s + Number(c) * w[i], 0) % 11];
}

async function assertNoPageScroll(where) {
    const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
    assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in a ${width}px viewport`);
}

/** Nothing personal in the page's text: no full ID number, no full holder name of the project. */
async function assertMasked(where) {
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, FULL_ID, `${where}: a full ID number is shown`);
    const leaked = fullNames.filter(n => text.includes(n));
    assert.deepEqual(leaked, [], `${where}: full names shown`);
    // Columns of names show the surname and stars only.
    const heads = await page.locator('.pub-lists thead th').allInnerTexts();
    for (const [i, h] of heads.entries()) {
        if (!/姓名|户主/.test(h)) continue;
        const cells = await page.locator(`.pub-lists tbody tr td:nth-child(${i + 1})`).allInnerTexts();
        for (const c of cells) assert.match(c.trim(), /^(\p{Script=Han}\*+|—)$/u, `${where}: name cell “${c}”`);
    }
}

before(async () => {
    server = await startServer({log: 'server-public'});
    browser = await startBrowser();
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('console', msg => {
        if (msg.type() !== 'error') return;
        if (refusing && /status of 4\d\d/.test(msg.text())) return;
        problems.push(`console: ${msg.text()} ${msg.location()?.url ?? ''}`);
    });
    page.on('pageerror', err => problems.push(`page error: ${err}`));

    // The published project with the most signed households (all five lists have rows), one of its
    // signed holders (the record has an agreement), and its holders' full names.
    [project] = await query(`SELECT p.code, p.name FROM projects p JOIN buildings b ON b.project_id = p.id
        JOIN households h ON h.building_id = b.id WHERE p.published GROUP BY p.id
        ORDER BY count(*) FILTER (WHERE h.status IN ('signed', 'vacated', 'demolished')) DESC, p.code LIMIT 1`);
    assert.ok(project, 'the demo has no published project with households');
    [resident] = await query(`SELECT h.code, h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON b.id = h.building_id
        JOIN projects p ON p.id = b.project_id WHERE p.code = :'p1' AND h.status <> 'pending'
        ORDER BY h.status IN ('signed', 'vacated', 'demolished') DESC, h.id LIMIT 1`, [project.code]);
    fullNames = (await query(`SELECT DISTINCT h.holder_name FROM households h JOIN buildings b ON b.id = h.building_id
        JOIN projects p ON p.id = b.project_id WHERE p.code = :'p1' AND char_length(h.holder_name) = 3`, [project.code])).map(r => r.holder_name);
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

for (const vp of VIEWPORTS) {
    test(`projects and a project page at ${vp.width}×${vp.height}: documents, five masked lists, paging`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await page.goto(`${server.base}/public/`);
        await page.waitForFunction(() => window.__public?.shown === 'home', null, {timeout: 20_000});
        assert.equal(await page.title(), '阳光征收 公开平台');
        const card = page.locator(`.pub-project[data-code="${project.code}"]`);
        await card.waitFor();
        assert.ok(await page.locator('.pub-project').count() >= 1);
        assert.match(await card.innerText(), /已签约/);
        await assertNoPageScroll('home');
        await shot(`home-${vp.name}`);

        await card.click();
        await page.waitForFunction(c => window.__public?.shown === c, project.code, {timeout: 20_000});
        assert.match(page.url(), /\/public\/#p\//, 'the project link is not relative to /public/');
        assert.equal(await page.locator('.pub-overview h1').innerText(), project.name);
        await page.locator('.pub-lists[data-state="ready"]').waitFor({timeout: 20_000});
        await assertNoPageScroll('project');
        await shot(`project-${vp.name}`);
        assert.match(await page.locator('.pub-numbers [data-figure="households"] dd').innerText(), /\d/);
        assert.deepEqual(await page.locator('.pub-doc-group h3').allInnerTexts(), ['项目概况', '征收政策', '补偿方案', '公告']);
        assert.ok(await page.locator('.pub-doc').count() >= 1, 'no document published');
        assert.ok((await page.locator('.pub-doc[open] .pub-doc-body').first().innerText()).trim().length > 0, 'an empty document');

        const lists = page.locator('.pub-lists');
        for (const list of LISTS) {
            await lists.locator(`button[data-list="${list}"]`).click();
            await page.locator(`.pub-lists[data-list="${list}"][data-state="ready"]`).waitFor({timeout: 20_000});
            assert.ok(await lists.locator('tbody tr').count() > 0, `${list}: no rows`);
            await assertMasked(`list ${list}`);
            await assertNoPageScroll(`list ${list}`);
        }
        // The survey list has every surveyed household: more than one page; the second page is another.
        await lists.locator('button[data-list="survey"]').click();
        await page.locator('.pub-lists[data-list="survey"][data-state="ready"]').waitFor();
        assert.ok(await lists.locator('tbody tr').count() > 0, 'the survey list is empty');
        const firstPage = await lists.locator('tbody').innerText();
        if (!(await lists.locator('.om-pager').isHidden())) {
            await lists.locator('.om-pager button', {hasText: '下一页'}).click();
            await page.waitForFunction(() => /第 21–/.test(document.querySelector('.pub-lists .om-pager-info')?.textContent ?? ''), null, {timeout: 20_000});
            await page.locator('.pub-lists[data-state="ready"]').waitFor();
            assert.notEqual(await lists.locator('tbody').innerText(), firstPage, 'the second page shows the first again');
            await assertMasked('survey page 2');
        }
        await lists.scrollIntoViewIfNeeded();
        await shot(`lists-${vp.name}`);
    });

    test(`查询本户 at ${vp.width}×${vp.height}: the holder's own record only; malformed and wrong ID numbers`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await page.goto(`${server.base}/public/#p/${encodeURIComponent(project.code)}`);
        await page.waitForFunction(c => window.__public?.shown === c, project.code, {timeout: 20_000});
        const box = page.locator('.pub-lookup');
        const name = box.locator('input[name="name"]');
        const id = box.locator('input[name="id_number"]');
        const send = box.locator('button[type="submit"]');

        // Malformed: refused on the page, nothing sent.
        await name.fill(resident.holder_name);
        await id.fill(resident.holder_id_number.slice(0, 15));
        await send.click();
        assert.match(await box.locator('.om-notice[data-tone="error"]').innerText(), /18 位/);

        // Right: exactly this person's households of published projects.
        const own = (await query(`SELECT h.code FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
            WHERE p.published AND h.holder_name = :'p1' AND h.holder_id_number = :'p2' ORDER BY h.code`, [resident.holder_name, resident.holder_id_number]))
            .map(r => r.code);
        await id.fill(resident.holder_id_number);
        await send.click();
        await box.locator('.pub-record').first().waitFor({timeout: 20_000});
        const shown = (await box.locator('.pub-record').evaluateAll(rs => rs.map(r => r.dataset.household))).sort();
        assert.deepEqual(shown, own);
        const record = await box.locator(`.pub-record[data-household="${resident.code}"]`).innerText();
        assert.match(record, /应补偿/);
        assert.match(record, /协议金额\s*[\d,]+\.\d\d 元/, 'a signed holder\'s agreement is not shown');
        assert.match(record, new RegExp(resident.code));
        await assertNoPageScroll('lookup');
        await box.scrollIntoViewIfNeeded();
        await shot(`lookup-${vp.name}`);

        // Wrong: a well-formed number (valid check character) that is not theirs.
        const body = resident.holder_id_number.slice(0, 14) + String((Number(resident.holder_id_number.slice(14, 17)) + 500) % 1000).padStart(3, '0');
        refusing = true;
        await id.fill(body + checkChar(body));
        await send.click();
        const notFound = box.locator('.om-notice[data-tone="error"]');
        await page.waitForFunction(() => /未查到/.test(document.querySelector('.pub-lookup .om-notice')?.textContent ?? ''), null, {timeout: 20_000});
        refusing = false;
        assert.match(await notFound.innerText(), /未查到与该姓名和身份证号相符/);
        assert.equal(await box.locator('.pub-record').count(), 0, 'the wrong number still shows a record');
    });
}

test('an objection gets a ticket whose progress can be followed; too many look-ups get a kind 429', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/public/#p/${encodeURIComponent(project.code)}`);
    await page.waitForFunction(c => window.__public?.shown === c, project.code, {timeout: 20_000});
    const box = page.locator('.pub-objection');
    await box.locator('input[name="objection_name"]').fill(resident.holder_name);
    await box.locator('input[name="objection_id_number"]').fill(resident.holder_id_number);
    await box.locator('input[name="household_code"]').fill(resident.code);
    await box.locator('textarea[name="objection_body"]').fill('浏览器测试：认定面积与实际不符，请复核。');
    await box.locator('button[type="submit"]').click();
    await box.locator('.om-notice[data-tone="ok"]').waitFor({timeout: 20_000});
    const ticket = await box.getAttribute('data-ticket');
    assert.ok(ticket, 'no ticket number');
    assert.ok((await box.locator('.om-notice').innerText()).includes(ticket));

    const tickets = page.locator('.pub-ticket');
    assert.equal(await tickets.locator('input[name="ticket"]').inputValue(), ticket, 'the ticket box is not filled in');
    await tickets.locator('button[type="submit"]').click();
    await tickets.locator(`.pub-record[data-ticket="${ticket}"]`).waitFor({timeout: 20_000});
    assert.match(await tickets.locator('.pub-record').innerText(), /待答复/);

    // Look-ups and objections share a limit of 5 a minute per address: keep asking until refused.
    const lookup = page.locator('.pub-lookup');
    await lookup.locator('input[name="name"]').fill(resident.holder_name);
    await lookup.locator('input[name="id_number"]').fill(resident.holder_id_number);
    refusing = true;
    let message = '';
    for (let i = 0; i < 8 && !/频繁/.test(message); i++) {
        await lookup.locator('button[type="submit"]').click();
        await page.waitForFunction(() => {
            const n = document.querySelector('.pub-lookup .om-notice');
            return n && !n.hidden && n.dataset.tone !== 'busy';
        }, null, {timeout: 20_000});
        message = await lookup.locator('.om-notice').innerText();
    }
    refusing = false;
    assert.match(message, /查询过于频繁，请 \d+ 秒后再试/);
    await lookup.scrollIntoViewIfNeeded();
    await shot('too-many');
});

test('no console errors, no requests off this machine', () => {
    assert.deepEqual(problems, []);
});
