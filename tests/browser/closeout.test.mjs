// Browser test of the admin page's 结案归档 tab at 1920×1080 and 390×844: a project with open work is refused settling (the open items listed), a finished project is settled and archived with two clicks each, and its archive ZIP downloads.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to (it finishes and archives one
// small project), frontend/dist, and psql. Run: /work/wt/tools/btest tests/browser/closeout.test.mjs.
// Screenshots: out/closeout-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {execFile} from 'node:child_process';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
let server, browser, page, admin, busy, small;
const problems = [];
const timings = [];
const shot = name => page.screenshot({path: path.join(OUT, `closeout-${name}.png`), fullPage: true});

/** Runs a SQL script as the database's owner (psql variables :'p1' …), for what no API does. */
function script(sql, params) {
    const vars = params.flatMap((p, i) => ['-v', `p${i + 1}=${p}`]);
    return new Promise((resolve, reject) => {
        const child = execFile('psql', [process.env.PSQL_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...vars],
            (err, _out, stderr) => (err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve()));
        child.stdin.end(sql);
    });
}

async function openTab(code) {
    await page.goto('about:blank');
    await page.goto(`${server.base}/admin/#closeout/${encodeURIComponent(code)}`);
    await page.waitForFunction(() => window.__admin?.ready === true, null, {timeout: 20_000});
    await page.locator('.ad-closeout-state').waitFor({timeout: 20_000});
}

/** Confirms the inline question after clicking `act`, and waits for the state to read `state`. */
async function act(name, state) {
    const started = Date.now();
    await page.locator(`button[data-act="${name}"]`).click();
    await page.locator('.ad-confirm button[data-confirm="yes"]').click();
    if (state) await page.locator(`.ad-closeout-state[data-state="${state}"]`).waitFor({timeout: 20_000});
    timings.push(`${name}: 2 clicks, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-closeout', problems));
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    [busy] = await query(`SELECT p.code FROM projects p JOIN project_figures f ON f.project_id = p.id ORDER BY f.households DESC LIMIT 1`);
    [small] = await query(`SELECT p.code FROM projects p JOIN project_figures f ON f.project_id = p.id ORDER BY f.households, p.code LIMIT 1`);
    // the small project finished, as history written with its triggers paused (the demo's way)
    await script(`BEGIN; SET LOCAL session_replication_role = replica;
        UPDATE project_steps SET state = 'done', actual_start = coalesce(actual_start, '2026-09-01'), actual_end = coalesce(actual_end, '2026-10-01')
         WHERE project_id = (SELECT id FROM projects WHERE code = :'p1') AND state NOT IN ('done', 'waived');
        UPDATE households SET status = 'demolished' WHERE building_id IN (SELECT id FROM buildings WHERE project_id = (SELECT id FROM projects WHERE code = :'p1'));
        UPDATE parcels SET land_status = 'delivered' WHERE project_id = (SELECT id FROM projects WHERE code = :'p1');
        UPDATE payment_batches SET status = 'paid' WHERE project_id = (SELECT id FROM projects WHERE code = :'p1') AND status <> 'returned';
        UPDATE agreements SET paid_yuan = yuan, committed_yuan = yuan WHERE project_id = (SELECT id FROM projects WHERE code = :'p1');
        UPDATE objections SET status = 'answered', answer = '已答复', answered_at = now() WHERE status = 'open' AND household_id IN
          (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = (SELECT id FROM projects WHERE code = :'p1'));
        COMMIT;`, [small.code]);
});

after(async () => {
    console.log(`close-out tasks: ${timings.join('; ')}`);
    await browser?.close();
    await server?.stop();
});

test('a project with open work is refused settling, the open items named', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, admin);
    await openTab(busy.code);
    assert.equal(await page.locator('.ad-closeout-state').getAttribute('data-state'), 'open');
    const open = await page.locator('.ad-closeout-open li').allInnerTexts();
    assert.ok(open.some(x => x.includes('户未拆除')), open.join(' / '));
    assert.ok(await page.locator('button[data-act="archive"]').isDisabled(), 'archive waits for settling');
    await act('settle', null);
    await page.locator('.om-notice').filter({hasText: '尚不能结案'}).waitFor({timeout: 10_000});
    await shot('refused-1920');
});

test('a finished project is settled, archived (read-only) and its archive downloads', async () => {
    await openTab(small.code);
    assert.deepEqual(await page.locator('.ad-closeout-open li').allInnerTexts(), []);
    await act('settle', 'settled');
    await act('archive', 'archived');
    assert.match(await page.locator('.ad-closeout-state').innerText(), /已于 .* 归档（browser-test-admin），数据只读/);
    await shot('archived-1920');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-act="export"]').click()]);
    const file = path.join(OUT, 'closeout-archive.zip');
    await download.saveAs(file);
    const {statSync} = await import('node:fs');
    assert.ok(statSync(file).size > 1000, 'the archive downloaded');
    // the archived project refuses writes
    const [{n}] = await query(`SELECT count(*)::int AS n FROM projects WHERE code = :'p1' AND archived_at IS NOT NULL`, [small.code]);
    assert.equal(n, 1);
});

test('the tab in English and on a 390 px phone', async () => {
    await page.setViewportSize({width: 390, height: 844});
    await openTab(busy.code);
    await shot('open-390');
    await page.setViewportSize({width: 1920, height: 1080});
    await page.locator('.om-lang button[data-lang="en"]').click();
    await page.locator('.dk-tab[aria-pressed="true"]', {hasText: 'Close-out'}).waitFor({timeout: 10_000});
    await page.locator('.ad-closeout-state').waitFor({timeout: 10_000});
    await shot('open-1920-en');
    assert.deepEqual(problems, []);
});
