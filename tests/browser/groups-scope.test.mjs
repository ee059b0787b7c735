// Browser test of an operator's write scope on the admin page (/admin/#users) at 1920×1080 and 390×844: the admin opens a demo work group member (write scope 工作组), sees the scope, sets it to the whole region and back, and the account's scope follows in the database.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (one account's scope),
// frontend/dist, and psql. Run: /work/wt/tools/btest tests/browser/groups-scope.test.mjs.
// Screenshots: out/groups-scope-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};

let server, browser, page, admin, member;
const problems = [];
const timings = [];

const shot = name => page.screenshot({path: path.join(OUT, `groups-scope-${name}.png`)});

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-groups-scope', problems));
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    [member] = await query(`SELECT u.id, u.username FROM users u JOIN work_group_members m ON m.user_id = u.id
        WHERE u.write_scope = 'group' ORDER BY u.username LIMIT 1`);
    assert.ok(member, 'a demo work group member');
});

after(async () => {
    console.log(`groups scope tasks: ${timings.join('; ')}`);
    await browser?.close();
    await server?.stop();
});

async function scopeOf(id) {
    const [row] = await query(`SELECT write_scope FROM users WHERE id = :'p1'`, [id]);
    return row.write_scope;
}

for (const [width, height] of [[1920, 1080], [390, 844]]) {
    test(`an admin sets a group member's write scope at ${width} px`, async () => {
        await page.setViewportSize({width, height});
        await useSession(browser.context, server.base, admin);
        await page.goto(`${server.base}/admin/#users`);
        await page.waitForFunction(() => window.__admin?.ready === true, null, {timeout: 20_000});
        const row = page.locator(`.ad-list tr[data-username="${member.username}"]`);
        await row.waitFor({timeout: 20_000});
        await row.click();
        const form = page.locator('.ad-detail form.ad-scope-form');
        await form.waitFor();
        const select = form.locator('select[name="write_scope"]');
        assert.equal(await select.inputValue(), 'group', 'the demo member writes for their group');
        assert.match(await form.innerText(), /写入范围/);
        await form.scrollIntoViewIfNeeded();
        await shot(`group-${width}`);
        const started = Date.now();
        await select.selectOption('region');
        await form.locator('button[type="submit"]').click();
        await page.locator('.ad-detail').getByText(`已修改 ${member.username} 的写入范围`).waitFor({timeout: 10_000});
        timings.push(`set a write scope at ${width} px (1 choice, 1 click): ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.equal(await scopeOf(member.id), 'region');
        await page.locator('.ad-detail form.ad-scope-form').scrollIntoViewIfNeeded();
        await shot(`region-${width}`);
        // back as the demo had it
        await page.locator('.ad-detail form.ad-scope-form select[name="write_scope"]').selectOption('group');
        await page.locator('.ad-detail form.ad-scope-form button[type="submit"]').click();
        await page.locator('.ad-detail').getByText(`已修改 ${member.username} 的写入范围`).waitFor({timeout: 10_000});
        assert.equal(await scopeOf(member.id), 'group');
        assert.deepEqual(problems, []);
    });
}
