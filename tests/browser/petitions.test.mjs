// Browser test of 信访 at 1920×1080 and 390×844: on the desk's 信访 tab a petition received by phone is registered, accepted and replied to; the public ticket look-up then shows the reply with no staff name.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (petitions) and
// frontend/dist (run it with /work/wt/tools/btest or scripts/test). As the admin
// `browser-test-petitions` it opens the 信访 tab of the first project, registers a 热线 petition,
// accepts it (受理) and publishes a final reply; the petition's page shows both deadlines and
// 已答复. The public page's ticket box then shows the reply text and never the admin's name.
// An overdue petition's page marks its missed deadline. Screenshots: out/petitions-{board,overdue,page,public}-{1080,390}.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {OUT} from './harness.mjs';
import {authed, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-petitions', password: 'browser-test-petitions-Pw-2026'};
const VIEWPORTS = [
    {name: '1080', width: 1920, height: 1080},
    {name: '390', width: 390, height: 844},
];

let server, browser, page, admin, project;
const problems = [];

const shot = name => page.screenshot({path: path.join(OUT, `petitions-${name}.png`), fullPage: name === 'page-1080'});

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-petitions', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    await useSession(browser.context, server.base, admin);
    const list = await authed(server.base, admin, '/api/figures/projects');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    project = [...list.body.projects].sort((a, b) => a.code.localeCompare(b.code))[0];
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

for (const vp of VIEWPORTS) {
    test(`desk ${vp.name}: register → accept → reply, and the public ticket shows the reply`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        const started = Date.now();
        await page.goto('about:blank');
        await page.goto(`${server.base}/desk/#petitions/${encodeURIComponent(project.code)}`);
        const tab = page.locator('.dk-view[data-view="petitions"]');
        await tab.locator('.dk-petition').first().waitFor({timeout: 20_000});
        assert.ok(await tab.locator('.dk-petition[data-overdue="true"]').count() > 0, 'the demo has overdue petitions, flagged');
        const overdue = Number(await tab.locator('.dk-petition-stat[data-key="overdue"] strong').innerText());
        assert.equal(overdue, await tab.locator('.dk-petition[data-overdue="true"]').count(), 'the figure counts the flagged rows');
        await shot(`board-${vp.name}`);
        // an overdue one: its page marks the missed deadline
        await tab.locator('.dk-petition[data-overdue="true"] .dk-petition-ticket').first().click();
        const late = tab.locator('.dk-petition-page .dk-deadline[data-late="true"]');
        await late.first().waitFor({timeout: 20_000});
        assert.match(await late.first().innerText(), /期限 \d{4}-\d{2}-\d{2}/);
        await shot(`overdue-${vp.name}`);
        await tab.locator('.dk-petition-page > button').first().click();
        await tab.locator('.dk-petition').first().waitFor({timeout: 20_000});

        const body = `热线来电：询问过渡期临时安置费发放时间（${vp.name}）`;
        const reply = `临时安置费将于每月10日前发放至您的账户（${vp.name}）。`;
        await tab.locator('.dk-petition-register > summary').click();
        const form = tab.locator('.dk-petition-register form');
        await form.locator('select[name="channel"]').selectOption('hotline');
        await form.locator('textarea[name="body"]').fill(body);
        await form.locator('input[name="petitioner_name"]').fill('李四');
        await form.locator('button[type="submit"]').click();
        const pageView = tab.locator('.dk-petition-page[data-status="registered"]');
        await pageView.waitFor({timeout: 20_000});
        assert.match(await pageView.innerText(), /受理决定[\s\S]*5 个工作日/, 'the hotline\'s local period shows');

        await pageView.locator('form[aria-label="作出受理决定"] button[type="submit"]').click();
        const accepted = tab.locator('.dk-petition-page[data-status="accepted"]');
        await accepted.waitFor({timeout: 20_000});
        await accepted.locator('textarea[name="reply"]').fill(reply);
        await accepted.locator('form[aria-label="答复信访人"] button[type="submit"]').click();
        const replied = tab.locator('.dk-petition-page[data-status="replied"]');
        await replied.waitFor({timeout: 20_000});
        assert.ok((await replied.innerText()).includes(reply));
        const ticket = (await replied.locator('h2').innerText()).replace(/^信访件\s*/, '').trim();
        assert.match(ticket, /^[0-9A-Z]{16}$/);
        console.log(`petition ${vp.name}: registered, accepted and replied in ${Date.now() - started} ms`);
        await shot(`page-${vp.name}`);

        await page.goto(`${server.base}/public/`);
        const box = page.locator('.pub-ticket');
        await box.locator('input[name="ticket"]').fill(ticket.toLowerCase());
        await box.locator('button[type="submit"]').click();
        const record = box.locator(`.pub-record[data-ticket="${ticket}"]`);
        await record.waitFor({timeout: 20_000});
        const shown = await record.innerText();
        assert.ok(shown.includes(reply), `the reply is on the ticket: ${shown}`);
        assert.ok(!shown.includes(ADMIN.username) && !shown.includes('李四'), `no staff or petitioner name: ${shown}`);
        await record.scrollIntoViewIfNeeded();
        await shot(`public-${vp.name}`);
        assert.deepEqual(problems, []);
    });
}
