// Browser test of the 疑难个案 screens: the desk's case board (open → 研判 → 办结, timed) at 1920×1080, the cockpit's cases panel at 1920×1080 (flagged live when a case opens) and the wall's at 3840×2160 (text ≥ 32 px, no names).
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to, frontend/dist and
// psql (btest gives all). As an admin, through the page only: on /desk/#cases/CODE the board lists
// the project's open cases (overdue ones in red); 立案 for a household without an open case opens
// its page; a conference (研判) is recorded and listed; 办结 as 撤销 closes it (timeline: 立案, 研判,
// 办结). The cockpit's panel counts open and overdue cases; a case opened over the API raises its
// count without a reload (SSE `case`). The wall's panel shows counts only, every text ≥ 32 px.
// Screenshots: out/cases-desk-board-1920.png, cases-desk-case-1920.png, cases-cockpit-1920.png,
// cases-wall-4k.png. Run: /work/wt/tools/btest tests/browser/cases.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT} from './harness.mjs';
import {authed, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-cases', password: 'browser-test-cases-Pw-2026'};
let server, browser, page, admin, project;
const problems = [];
const enc = encodeURIComponent;

/** A household of the project with no open case. */
async function freeHousehold(skip = 0) {
    const rows = await query(`SELECT h.code FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
                               WHERE p.code = :'p1' AND NOT h.difficult ORDER BY h.id OFFSET ${Number(skip)} LIMIT 1`, [project.code]);
    return rows[0].code;
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-cases', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    // the project with the most open cases, and its district (the wall's and cockpit's scope)
    [project] = await query(`SELECT p.code, p.id, count(*) AS open FROM cases c JOIN projects p ON p.id = c.project_id
                              WHERE c.state = 'open' GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`);
    assert.ok(project, 'the demo has open cases');
    await useSession(browser.context, server.base, admin);
});

after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('desk at 1920×1080: the board, then open → conference → close a case', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/desk/#cases/${enc(project.code)}`);
    await page.waitForFunction(() => window.__desk?.ready === true, null, {timeout: 20_000});
    await page.locator('.dk-case').first().waitFor({timeout: 20_000});
    const shown = await page.locator('.dk-case').count();
    assert.equal(shown, Math.min(100, Number(project.open)), 'every open case of the project on the board');
    const overdue = await page.locator('.dk-case[data-overdue="true"]').count();
    const firstOverdue = await page.locator('.dk-case').first().getAttribute('data-overdue');
    if (overdue > 0) assert.equal(firstOverdue, 'true', 'overdue cases head the board');
    await page.screenshot({path: path.join(OUT, 'cases-desk-board-1920.png')});

    const code = await freeHousehold();
    let clicks = 0;
    const started = Date.now();
    const form = page.locator('form.dk-case-new');
    await form.locator('input[name="household"]').fill(code);
    await form.locator('select[name="new_category"]').selectOption('area');
    await form.locator('input[name="note"]').fill('对测绘面积有异议');
    clicks += 1; await form.locator('button[type="submit"]').click();
    await page.locator('.dk-case-page:not([hidden])[data-state="open"]').waitFor({timeout: 20_000});
    const conference = page.locator('form.dk-case-form').first();
    await conference.locator('input[name="outside_attendees"]').fill('村委会李主任');
    await conference.locator('textarea[name="decision"]').fill('组织复测，三日内答复');
    clicks += 1; await conference.locator('button[type="submit"]').click();
    await page.locator('.dk-case-timeline li[data-kind="conference"]').waitFor({timeout: 20_000});
    const closing = page.locator('form.dk-case-form').nth(1);
    await closing.locator('select[name="outcome"]').selectOption('withdrawn');
    await closing.locator('input[name="close_note"]').fill('复测后户主撤回');
    clicks += 2; await closing.locator('button[type="submit"]').click();
    await page.locator('.dk-case-page[data-state="closed"]').waitFor({timeout: 20_000});
    console.log(`cases desk: open + conference + close of ${code}: ${clicks} clicks (3 typed forms), ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const kinds = await page.locator('.dk-case-timeline li').evaluateAll(lis => lis.map(li => li.dataset.kind));
    assert.deepEqual(kinds, ['opened', 'conference', 'closed']);
    assert.match(await page.locator('.dk-case-conferences').innerText(), /村委会李主任/, 'staff see outside attendees');
    await page.screenshot({path: path.join(OUT, 'cases-desk-case-1920.png'), fullPage: true});
    const id = Number(await page.locator('.dk-case-page').getAttribute('data-case'));
    const r = await authed(server.base, admin, `/api/cases/${id}`);
    assert.equal(r.body.outcome, 'withdrawn');
});

test('cockpit at 1920×1080: the cases panel counts, and a new case is flagged live', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/?project=${project.id}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    const panel = page.locator('.om-cases[data-open]');
    await panel.waitFor({timeout: 20_000});
    await page.waitForFunction(() => window.__live?.connected === true, null, {timeout: 10_000});
    const before = Number(await panel.getAttribute('data-open'));
    assert.ok(before > 0);
    const opened = await authed(server.base, admin, '/api/cases', {method: 'POST', json: {household: await freeHousehold(1), category: 'family', note: ''}});
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    await page.waitForFunction(n => Number(document.querySelector('.om-cases')?.dataset.open) === n + 1, before, {timeout: 10_000});
    await page.screenshot({path: path.join(OUT, 'cases-cockpit-1920.png')});
});

test('wall at 3840×2160: open, overdue and by category; text ≥ 32 px; no names', async () => {
    await page.setViewportSize({width: 3840, height: 2160});
    await browser.context.clearCookies();
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    const panel = page.locator('.om-wall-overview .om-cases[data-open]');
    await panel.waitFor({state: 'attached', timeout: 60_000});
    await page.screenshot({path: path.join(OUT, 'cases-wall-4k.png'), timeout: 90_000});
    const box = await panel.boundingBox();
    assert.ok(box && box.height > 100 && box.y + box.height <= 2160, `the panel on screen: ${JSON.stringify(box)}`);
    const small = await panel.evaluate(root => {
        const out = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const e = n.parentElement;
            if (!n.textContent.trim() || !e || e.getClientRects().length === 0) continue;
            const px = parseFloat(getComputedStyle(e).fontSize);
            if (px < 32) out.push(`${n.textContent.trim()} ${px}px`);
        }
        return out;
    });
    assert.deepEqual(small, [], 'every text of the cases panel ≥ 32 px at 4K');
    const text = await panel.innerText();
    const names = await query(`SELECT h.holder_name FROM cases c JOIN households h ON h.id = c.household_id WHERE c.state = 'open' LIMIT 200`);
    for (const {holder_name: name} of names) assert.ok(!text.includes(name), `${name} on the wall`);
});
