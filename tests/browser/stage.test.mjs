// Browser test of stage as a dimension: the cockpit colours projects by stage (layer switcher, legend) and the wall's stage distribution, both following a step done.
//
// README. Needs what map.test.mjs needs (ONEMAP_BIN, DATABASE_URL of a demo database it may WRITE
// to, PSQL_URL, frontend/dist). A step is "done through the API" the way the ledger writes it: the
// step row and its step_events row in one statement (here with psql; the ledger's PATCH does the
// same), which the server's listener turns into an SSE `procedure` event.
// 1. Cockpit at 1920×1080 over a project: 按项目阶段 in the layer switcher paints the projects by
//    their `stage` with a legend of the eight stage names; finishing the project's current stage
//    moves its colour (feature-state) and the ticker says "步骤名 已完成" — out/stage-cockpit*.png.
// 2. Wall at 3840×2160: the stage distribution panel equals the region's API counts, and moves when
//    a project of the region finishes its stage — out/stage-wall*.png.
// 3. Phone at 390×844 as of yesterday: a project whose stage was finished today is drawn with
//    yesterday's stage, as procedure_stage reckons it (the projects layer's as-of tiles), not
//    today's — out/stage-phone-asof.png.
// Each run moves three demo projects one stage on.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT} from './harness.mjs';
import {authed, startAsAdmin} from './session.mjs';

const ADMIN = {username: 'browser-test-admin', password: 'browser-test-admin-Pw-2026'};
const STAGES = ['preparation', 'survey', 'plan', 'decision', 'signing', 'relocation', 'handover', 'closed'];
const STAGE_ZH = ['前期准备', '调查摸底', '方案拟定公示', '征收决定', '协议签约', '搬迁拆除', '交付移交', '完成'];
let server, browser, page, admin;
const problems = [];

/** Runs one SQL statement as the superuser (psql), for the writes no API of this branch makes yet. */
function execute(sql) {
    return new Promise((resolve, reject) => {
        const child = execFile('psql', [process.env.PSQL_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], (err, stdout, stderr) => {
            if (err) reject(new Error(`psql: ${stderr || err.message}`));
            else resolve(stdout);
        });
        child.stdin.end(`${sql};\n`);
    });
}

/**
 * Finishes every open step of project `id`'s current stage today, as the ledger records a step
 * done: the step (state, dates, version) and a step_events row with the state it came from.
 */
async function finishStage(id) {
    const n = Number(id);
    assert.ok(Number.isInteger(n));
    await execute(`WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d),
        old AS (SELECT ps.project_id, ps.key, ps.state FROM project_steps ps
                  JOIN project_procedures pp ON pp.project_id = ps.project_id
                  JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = ps.key
                  JOIN projects p ON p.id = ps.project_id
                 WHERE ps.project_id = ${n} AND ts.stage = p.stage AND NOT ts.is_window AND ps.state NOT IN ('done', 'waived')),
        done AS (UPDATE project_steps ps SET state = 'done', actual_start = least(coalesce(ps.actual_start, today.d), today.d),
                        actual_end = today.d, version = ps.version + 1, updated_at = now()
                   FROM old, today WHERE ps.project_id = old.project_id AND ps.key = old.key
                 RETURNING ps.project_id, ps.key, ps.actual_start, ps.actual_end)
        INSERT INTO step_events (project_id, key, from_state, to_state, actual_start, actual_end)
        SELECT done.project_id, done.key, old.state, 'done', done.actual_start, done.actual_end
          FROM done JOIN old USING (project_id, key)`);
    const [row] = await query('SELECT stage::text FROM projects WHERE id = :\'p1\'', [n]);
    return row.stage;
}

/** A project of region `code` (any when null) that is not closed, with a point inside it. */
async function openProject(code) {
    const [p] = await query(`SELECT p.id, p.code, p.name, p.stage::text AS stage, ST_X(c) AS lon, ST_Y(c) AS lat
          FROM projects p JOIN regions r ON r.id = p.region_id, ST_PointOnSurface(p.geom) c
         WHERE p.stage NOT IN ('handover', 'closed') AND (:'p1' = '' OR (SELECT id FROM regions WHERE code = :'p1') = ANY (r.lineage))
         ORDER BY ST_Area(p.geom) DESC LIMIT 1`, [code ?? '']);
    assert.ok(p, `no open project in ${code ?? 'the city'}`);
    return p;
}

async function settle() {
    await page.waitForFunction(() => !window.__map.isMoving(), null, {timeout: 60_000});
    for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise(r => { window.__map.once('idle', r); window.__map.triggerRepaint(); }));
}

before(async () => {
    ({server, token: admin, browser, page} = await startAsAdmin(ADMIN, 'server-stage', problems));
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    const [name, value] = admin.cookie.split(/=(.*)/s);
    await browser.context.addCookies([{name, value, url: server.base}]);
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('cockpit 1920×1080: colour by stage with its legend; a step done recolours the project and shows in the ticker', async () => {
    const project = await openProject(null);
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/?heartbeat=1#14/${project.lat}/${project.lon}`);
    await page.waitForFunction(() => window.__mapReady === true && window.__live?.connected === true, null, {timeout: 60_000});
    const tab = page.locator('.om-toolbox [data-tab="layers"]');
    if (await tab.getAttribute('aria-pressed') !== 'true') await tab.click();
    await page.locator('.om-layers input[name="project-colouring"][value="stage"]').check();
    await settle();
    const key = await page.locator('.om-layers .om-stage-key li').allTextContents();
    assert.deepEqual(key, STAGE_ZH, 'the switcher names the eight stages');
    const legend = await page.locator('.om-legend-stages .om-legend-label').allTextContents();
    assert.deepEqual(legend, STAGE_ZH, 'the map legend names them too');
    const drawn = () => page.evaluate(id => {
        const f = window.__map.queryRenderedFeatures({layers: ['projects-fill']}).find(x => x.id === id);
        const state = window.__map.getFeatureState({source: 'projects', sourceLayer: 'projects', id});
        return f ? {tile: f.properties.stage, live: state.stage ?? f.properties.stage} : null;
    }, Number(project.id));
    const before = await drawn();
    assert.ok(before, 'the project is drawn');
    assert.equal(before.live, project.stage);
    // the project ranking shows each project's stage in its colour, as the API ranks them
    await page.locator('.om-ranking .om-tab', {hasText: '项目'}).click();
    await page.locator('.om-ranking tbody tr[data-stage]').first().waitFor({timeout: 20_000});
    const ranked = await page.locator('.om-ranking tbody tr').evaluateAll(trs => trs.map(tr => tr.dataset.stage ?? null));
    assert.ok(ranked.length > 0 && ranked.every(s => STAGES.includes(s)), `every ranked project has its stage: ${ranked}`);
    const fill = await page.evaluate(() => JSON.stringify(window.__map.getPaintProperty('projects-fill', 'fill-color')));
    assert.match(fill, /"stage"/, 'the fill reads the stage');
    await page.screenshot({path: path.join(OUT, 'stage-cockpit.png')});
    // in English the same switcher names the stages in English
    await page.click('.om-lang button[data-lang="en"]');
    assert.deepEqual(await page.locator('.om-layers .om-stage-key li').allTextContents(),
        ['Preparation', 'Survey', 'Plan and notice', 'Decision', 'Signing', 'Relocation', 'Handover', 'Closed']);
    await page.screenshot({path: path.join(OUT, 'stage-cockpit-en.png'), clip: {x: 380, y: 100, width: 460, height: 520}});
    await page.click('.om-lang button[data-lang="zh"]');

    const started = Date.now();
    const next = await finishStage(project.id);
    assert.notEqual(next, project.stage, `finishing ${project.stage} moved the project on`);
    await page.waitForFunction(({id, next}) =>
        window.__map.getFeatureState({source: 'projects', sourceLayer: 'projects', id}).stage === next, {id: Number(project.id), next}, {timeout: 10_000});
    const took = Date.now() - started;
    const tick = page.locator(`.om-ticker li.om-tick-procedure[data-project-id="${project.id}"]`).first();
    await tick.waitFor({timeout: 5_000});
    const said = await tick.innerText();
    assert.ok(said.includes(project.name) && said.includes('已完成'), `ticker: ${said}`);
    await settle();
    await page.screenshot({path: path.join(OUT, 'stage-cockpit-after.png')});
    console.log(`cockpit: ${project.name} ${project.stage} → ${next}, recoloured ${took} ms after the write`);
    // back to one colour: the legend shows the project outline again
    await page.locator('.om-layers input[name="project-colouring"][value="plain"]').check();
    assert.equal(await page.locator('.om-legend-stages').count(), 0);
    assert.equal(await page.locator('.om-layers .om-stage-key').count(), 0);
});

test('wall 3840×2160: the stage distribution equals the region counts and follows a step done', async () => {
    await page.setViewportSize({width: 3840, height: 2160});
    await page.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120&heartbeat=1`);
    await page.waitForFunction(() => window.__mapReady === true && window.__live?.connected === true
        && document.querySelectorAll('.om-stages .om-stage-row').length === 8, null, {timeout: 60_000});
    const region = await page.evaluate(() => window.__wall.region);
    const shown = () => page.locator('.om-stages .om-stage-row').evaluateAll(rows =>
        Object.fromEntries(rows.map(r => [r.dataset.stage, [Number(r.dataset.projects), Number(r.dataset.households)]])));
    const api = async () => {
        const doc = (await authed(server.base, admin, `/api/figures/regions/${region}`)).body;
        return Object.fromEntries(STAGES.map(s => [s, [doc.projects_by_stage[s], doc.households_by_stage[s]]]));
    };
    assert.deepEqual(await shown(), await api());
    const names = await page.locator('.om-stages .om-stage-name').allTextContents();
    assert.deepEqual(names, STAGE_ZH);
    await settle();
    await page.screenshot({path: path.join(OUT, 'stage-wall.png')});

    const project = await openProject(region);
    const next = await finishStage(project.id);
    const expected = await api();
    assert.notDeepEqual(expected, await shown().catch(() => null), 'the counts moved');
    const started = Date.now();
    await page.waitForFunction(want => {
        const rows = [...document.querySelectorAll('.om-stages .om-stage-row')];
        return rows.every(r => JSON.stringify([Number(r.dataset.projects), Number(r.dataset.households)]) === JSON.stringify(want[r.dataset.stage]));
    }, expected, {timeout: 10_000});
    console.log(`wall: ${project.name} ${project.stage} → ${next}; the distribution followed in ${Date.now() - started} ms`);
    await page.locator(`.om-wall-ticker li.om-tick-procedure[data-project-id="${project.id}"]`).first().waitFor({timeout: 5_000});
    await page.screenshot({path: path.join(OUT, 'stage-wall-after.png')});
    assert.deepEqual(problems, []);
});

test('phone 390×844 as of yesterday: the projects tiles carry the stage of that day, colour by stage', async () => {
    const project = await openProject(null);
    const next = await finishStage(project.id);
    assert.notEqual(next, project.stage);
    const [{day, then}] = await query(`SELECT d::text AS day, procedure_stage(:'p1', d)::text AS then
          FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 AS d) x`, [project.id]);
    // the day's stage as the server reckons it (procedure_stage: steps done by their actual end)
    assert.notEqual(then, next, 'the stage of yesterday differs from the live one');
    await page.setViewportSize({width: 390, height: 844});
    await page.goto(`${server.base}/?as_of=${day}#14/${project.lat}/${project.lon}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    // the phone folds the docks over the map: the switcher is chosen as a keyboard user would
    await page.evaluate(() => {
        const tab = document.querySelector('.om-toolbox [data-tab="layers"]');
        if (tab?.getAttribute('aria-pressed') !== 'true') tab?.click();
        document.querySelector('.om-layers input[name="project-colouring"][value="stage"]')?.click();
    });
    await settle();
    const drawn = await page.evaluate(id => window.__map.queryRenderedFeatures({layers: ['projects-fill']})
        .find(x => x.id === id)?.properties.stage ?? null, Number(project.id));
    assert.equal(drawn, then, `as of ${day} the tile says ${drawn}, the day's stage is ${then} (now ${next})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    // the switcher folded away again: the map itself in the picture
    await page.evaluate(() => document.querySelector('.om-toolbox [data-tab="layers"]')?.click());
    await page.screenshot({path: path.join(OUT, 'stage-phone-asof.png')});
    assert.deepEqual(problems, []);
});
