// Browser test of the selection day (选房, issue 16): the hall's big screen at 3840×2160 updates live while the desk's 选房 console (1920×1080) calls a household, records its unit and confirms it; the hall shows codes only, never names.
//
// README. Needs ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE to, frontend/dist and
// psql. Run: /work/wt/tools/btest tests/browser/selection.test.mjs. Screenshots:
// out/selection-*.png. Until the inventory's demo estates are merged the test makes its own
// estate (code SEL-T) for a published demo project with signed property-swap households; a run
// on a kept database makes a new day on the next free date.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {OUT} from './harness.mjs';
import {authed, startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'browser-test-selection', password: 'browser-test-selection-Pw-2026'};
let server, browser, desk, hall, admin, project, day;
const problems = [];

function psql(sql) {
    execFileSync(process.env.PSQL ?? 'psql', [process.env.PSQL_URL ?? process.env.DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], {input: sql});
}

before(async () => {
    ({server, token: admin, browser, page: desk} = await startAsAdmin(ADMIN, 'server-selection', problems));
    desk.on('pageerror', err => problems.push(`desk error: ${err}`));
    // its first household in signing order has nothing paid or committed yet: a swap lowers the
    // agreed sum, and the database refuses one below what is committed (never pay more than agreed)
    [project] = await query(`WITH swap AS (
            SELECT b.project_id, a.committed_yuan, row_number() OVER (PARTITION BY b.project_id ORDER BY a.signed_at, h.code) AS n,
                   count(*) OVER (PARTITION BY b.project_id) AS households
              FROM households h JOIN buildings b ON b.id = h.building_id JOIN agreements a ON a.household_id = h.id AND a.voided_at IS NULL
             WHERE h.resettlement = 'property_swap' AND NOT EXISTS (SELECT 1 FROM swap_settlements s WHERE s.household_id = h.id))
        SELECT p.id, p.code, p.name, p.region_id FROM projects p JOIN swap s ON s.project_id = p.id
         WHERE p.published AND s.n = 1 AND s.committed_yuan = 0 AND s.households >= 5
           AND NOT EXISTS (SELECT 1 FROM selection_days d WHERE d.project_id = p.id AND d.status <> 'closed')
         ORDER BY p.id LIMIT 1`);
    assert.ok(project, 'a published project with signed property-swap households');
    // an estate of 2 entrances × 12 floors: 90 m² below the 7th floor, 120 m² from it
    psql(`INSERT INTO estates (code, name, region_id, geom)
            SELECT 'SEL-T', '测试安置小区', ${project.region_id}, ST_Multi(ST_Buffer(ST_Centroid(geom), 0.002))::geometry(MultiPolygon, 4326)
              FROM projects WHERE id = ${project.id} ON CONFLICT (code) DO NOTHING;
          INSERT INTO estate_unit_types (estate_id, code, name, area) SELECT e.id, t.code, t.name, t.area FROM estates e,
            (VALUES ('A', 'A户型 两室', 90), ('B', 'B户型 三室', 120)) t(code, name, area) WHERE e.code = 'SEL-T' ON CONFLICT DO NOTHING;
          INSERT INTO estate_buildings (estate_id, code, floors) SELECT id, '1', 12 FROM estates WHERE code = 'SEL-T' ON CONFLICT DO NOTHING;
          INSERT INTO estate_units (estate_id, building_id, entrance, floor, room, type_id, area, price_per_m2, market_price_per_m2, orientation)
            SELECT e.id, b.id, ent, fl, lpad(fl::text, 2, '0') || '0' || ent, t.id, t.area, 1800, 6500, '南'
              FROM estates e JOIN estate_buildings b ON b.estate_id = e.id, generate_series(1, 2) ent, generate_series(1, 12) fl, estate_unit_types t
             WHERE e.code = 'SEL-T' AND t.estate_id = e.id AND t.code = CASE WHEN fl < 7 THEN 'A' ELSE 'B' END
            ON CONFLICT DO NOTHING;
          INSERT INTO project_estates (project_id, estate_id) SELECT ${project.id}, id FROM estates WHERE code = 'SEL-T' ON CONFLICT DO NOTHING;
          INSERT INTO selection_rules (project_id, incentive_area, beyond_max_area) VALUES (${project.id}, 10, 60) ON CONFLICT DO NOTHING;`);
    const [next] = await query(`SELECT (coalesce(max(day), date '2026-12-01') + 1)::text AS day FROM selection_days WHERE project_id = ${project.id}`);
    const made = await authed(server.base, admin, `/api/projects/${project.code}/selection-days`, {method: 'POST', json: {day: next.day}});
    assert.equal(made.status, 201, JSON.stringify(made.body));
    day = made.body;
    const opened = await authed(server.base, admin, `/api/selection-days/${day.id}/open`, {method: 'POST', json: {}});
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    hall = await browser.context.newPage();
    hall.on('pageerror', err => problems.push(`hall error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('the hall updates live while the console records a choice', async () => {
    await hall.setViewportSize({width: 3840, height: 2160});
    await hall.goto(`${server.base}/hall/?day=${day.id}`);
    await hall.waitForFunction(() => (window.__hall?.events ?? 0) >= 1, null, {timeout: 10_000});
    const first = day.queue.find(q => q.position === 1);
    await hall.getByText(first.code).first().waitFor();
    await hall.screenshot({path: path.join(OUT, 'selection-hall-before.png')});

    await desk.setViewportSize({width: 1920, height: 1080});
    await useSession(desk.context(), server.base, admin);
    await desk.goto(`${server.base}/desk/#selection/${encodeURIComponent(project.code)}`);
    await desk.getByRole('button', {name: '叫号'}).click();
    await desk.getByText(`正在办理：${first.code}`).waitFor();
    await hall.waitForFunction(code => window.__hall.hall.turn[0]?.code === code, first.code, {timeout: 5_000});
    await desk.locator('.dk-sel-unit').first().click();
    await desk.screenshot({path: path.join(OUT, 'selection-desk-serving.png')});
    const t0 = Date.now();
    await desk.getByRole('button', {name: '记录所选房源'}).click();
    await desk.getByText(`${first.code} 所选房源已锁定`).waitFor();
    await hall.waitForFunction(code => window.__hall.hall.last[0]?.code === code, first.code, {timeout: 5_000});
    const seen = Date.now() - t0;
    await desk.getByRole('button', {name: '家庭确认'}).click();
    await desk.getByText(`${first.code} 已确认`).waitFor();
    await hall.waitForFunction(code => window.__hall.hall.last[0]?.state === 'confirmed' && window.__hall.hall.counts.done >= 1, first.code, {timeout: 5_000});
    await hall.screenshot({path: path.join(OUT, 'selection-hall-after.png')});
    await desk.screenshot({path: path.join(OUT, 'selection-desk-done.png')});
    console.log(`hall showed the recorded choice ${seen} ms after the click`);

    // public-safe: no holder's name on the big screen
    const names = await query(`SELECT h.holder_name FROM selection_queue q JOIN households h ON h.id = q.household_id WHERE q.day_id = ${day.id}`);
    const text = await hall.locator('body').innerText();
    for (const {holder_name: name} of names) assert.ok(!text.includes(name), `the hall shows no name (${name})`);
    assert.deepEqual(problems, []);
});

test('the desk prepares a day: the rules saved by an admin, a lottery day made with its seed published', async () => {
    await desk.setViewportSize({width: 1920, height: 1080});
    await desk.goto(`${server.base}/desk/#selection/${encodeURIComponent(project.code)}`);
    // the open day ended from the console: its households may be queued again
    await desk.getByRole('button', {name: '结束选房'}).click();
    await desk.getByText('本选房日已结束').waitFor();
    const [closed] = await query(`SELECT status FROM selection_days WHERE id = ${day.id}`);
    assert.equal(closed.status, 'closed');
    const rules = desk.locator('.dk-sel-rules');
    await rules.locator('input[name="incentive_area"]').waitFor();
    await desk.waitForFunction(() => document.querySelector('.dk-sel-rules input[name="incentive_area"]')?.value !== '');
    await rules.locator('input[name="incentive_area"]').fill('12');
    await rules.locator('select[name="order_by"]').selectOption('lottery');
    await rules.getByRole('button', {name: '保存规则'}).click();
    await rules.locator('.om-notice').filter({hasText: '选房规则已保存'}).waitFor();
    const saved = await authed(server.base, admin, `/api/projects/${project.code}/selection-rules`);
    assert.deepEqual([saved.body.incentive_area, saved.body.order_by, saved.body.updated_by], [12, 'lottery', ADMIN.username]);

    const [next] = await query(`SELECT (coalesce(max(day), date '2026-12-01') + 1)::text AS day FROM selection_days WHERE project_id = ${project.id}`);
    const form = desk.locator('.dk-sel-new-day');
    await form.locator('input[name="new_day"]').fill(next.day);
    const seed = await form.locator('input[name="seed"]').inputValue();
    assert.match(seed, /^[0-9a-f]{64}$/, 'a seed of 64 hex digits is ready');
    await form.getByRole('button', {name: '新建选房日'}).click();
    await form.locator('.om-notice').filter({hasText: next.day}).waitFor();
    assert.match(await form.locator('.om-notice').innerText(), /[1-9]\d* 户排队/, 'the households still to choose are queued');
    const [made] = await query(`SELECT id, seed, seed_published_at IS NOT NULL AS published, order_by, status FROM selection_days
        WHERE project_id = ${project.id} AND day = :'p1'`, [next.day]);
    assert.deepEqual([made.seed, made.published, made.order_by, made.status], [seed, true, 'lottery', 'planned']);
    // the console opens the new day, ready to draw
    await desk.waitForFunction(id => document.querySelector('select[name="selection_day"]')?.value === String(id), made.id);
    await desk.getByRole('button', {name: '摇号'}).waitFor();
    await desk.screenshot({path: path.join(OUT, 'selection-desk-setup.png')});
    assert.deepEqual(problems, []);
});
