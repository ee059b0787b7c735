// Browser test of the procedure timeline (cockpit 1920×1080, phone 390 and 360, wall spotlight 3840×2160) and the public page's 程序公开 (1920 and 390).
//
// README. Needs ONEMAP_BIN, DATABASE_URL and PSQL_URL of the demo database (btest sets them) and
// frontend/dist. Setup by SQL: the first published 国有土地上房屋征收 project gets a procedure history
// relative to today (Beijing), over the demo's own: done steps, two overdue (签约期, 拆除工程备案), the 诉讼期 and
// 复核评估期 windows open, the 复议期 closed, public documents on published steps and a private
// one. Then: the cockpit's 程序进度 (out/timeline-cockpit-1080.png, English
// out/timeline-cockpit-1080-en.png), the phone's compact timeline (out/timeline-phone-390.png,
// -360.png), the wall's spotlight on that project (out/timeline-wall-4k.png) and the public
// 程序公开 section (out/timeline-public-1920.png, -390.png); a demo project's own history on the phone
// (out/timeline-phone-390-demo.png): overdue rows red, the today line,
// window bands with their closing day, no overlap with other panels, 48 px phone targets, wall
// text ≥ 32 px, no private document or unpublished step on the public page, and its links download.
// Run: /work/wt/tools/btest tests/browser/procedure-timeline.test.mjs
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT, REPO} from './harness.mjs';
import {startAsAdmin, useSession} from './session.mjs';

const ADMIN = {username: 'timeline-admin', password: 'Timeline-admin-2026!'};
let server, browser, page, project, admin;
const problems = [];
const shot = (p, name) => p.screenshot({path: path.join(OUT, `timeline-${name}.png`)});

/** Runs SQL statements as the cluster's superuser (the test's setup writes what the ledger's screens would). */
function exec(sql) {
    return new Promise((resolve, reject) => {
        const child = execFile(process.env.PSQL ?? 'psql', [process.env.PSQL_URL ?? process.env.DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'],
            (err, _out, stderr) => (err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve()));
        child.stdin.end(sql);
    });
}

/** A small PDF put in the server's file store (content-addressed, as the attachment store does). */
function storedPdf(text) {
    const bytes = Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const dir = path.join(REPO, '.local/files', sha.slice(0, 2), sha.slice(2, 4));
    mkdirSync(dir, {recursive: true});
    writeFileSync(path.join(dir, sha), bytes);
    return {sha, size: bytes.length};
}

// Each step: state, actual start/end and planned start/end in days from today (Beijing).
const HISTORY = {
    approval: ['done', -250, -240, -250, -235],
    organization: ['done', -238, -230, -240, -230],
    survey: ['done', -225, -180, -228, -190],
    freeze_notice: ['done', -220, -219, -222, -218],
    plan_drafted: ['done', -178, -150, -180, -150],
    plan_comment: ['done', -148, -112, -150, -115],
    plan_revised: ['done', -108, -100, -110, -100],
    risk_assessment: ['done', -150, -120, -150, -120],
    funds_ready: ['done', -110, -95, -110, -95],
    decision: ['done', -92, -90, -95, -90],
    appraiser_selected: ['done', -85, -80, -88, -80],
    appraisal_published: ['done', -12, -6, -20, -5],
    signing_period: ['in_progress', -80, null, -80, -10],
    demolition_filing: ['in_progress', -30, null, -30, -5],
    relocation: ['not_started', null, null, -5, 60],
    compensation_decision: ['not_started', null, null, 10, 40],
    compensation_results: ['not_started', null, null, 60, 75],
    land_handover: ['not_started', null, null, 70, 90],
    archive: ['not_started', null, null, 90, 110],
};

async function setUp() {
    [project] = await query(`SELECT p.id, p.code, p.name, r.code AS region FROM projects p JOIN regions r ON r.id = p.region_id
                              WHERE p.published AND p.kind = 'house_expropriation' ORDER BY p.code LIMIT 1`);
    assert.ok(project, 'the demo city has a published 国有土地上房屋征收 project');
    const day = n => (n === null ? 'NULL' : `(now() AT TIME ZONE 'Asia/Shanghai')::date + ${n}`);
    const steps = Object.entries(HISTORY).map(([key, [state, as, ae, ps, pe]]) =>
        `UPDATE project_steps SET state = '${state}', actual_start = ${day(as)}, actual_end = ${day(ae)}, planned_start = ${day(ps)}, planned_end = ${day(pe)}
          WHERE project_id = ${project.id} AND key = '${key}';`);
    const docs = [
        ['approval', '立项批复.pdf', true], ['decision', '房屋征收决定公告.pdf', true], ['plan_comment', '征收补偿方案（征求意见稿）.pdf', true],
        ['decision', '内部会签单-不公开.pdf', false], ['plan_drafted', '方案初稿-内部步骤.pdf', true],
    ].map(([key, name, pub]) => {
        const {sha, size} = storedPdf(`${project.code} ${name}`);
        return `INSERT INTO step_documents (project_id, key, sha256, size_bytes, content_type, file_name, public)
                VALUES (${project.id}, '${key}', '${sha}', ${size}, 'application/pdf', '${name}', ${pub});`;
    });
    // over the demo's own history of the project, from a clean slate
    const reset = `UPDATE project_steps SET state = 'not_started', actual_start = NULL, actual_end = NULL, waive_reason = NULL,
                   planned_start = NULL, planned_end = NULL WHERE project_id = ${project.id};`;
    await exec(['BEGIN;', `DELETE FROM step_documents WHERE project_id = ${project.id};`, reset, ...steps, ...docs, 'COMMIT;'].join('\n'));
}

before(async () => {
    await setUp();
    ({server, browser, page, token: admin} = await startAsAdmin(ADMIN, 'server-timeline', problems));
    await useSession(browser.context, server.base, admin);
    browser.context.on('page', p => p.on('pageerror', err => problems.push(`page error: ${err}`)));
    page.on('pageerror', err => problems.push(`page error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
    assert.deepEqual(problems, []);
});

/** Overdue rows, the today line, window bands and their closing day as drawn in `root`. */
async function drawn(p, root) {
    return p.evaluate(sel => {
        const box = document.querySelector(sel);
        const visible = e => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
        const overdue = [...box.querySelectorAll('.om-tl-row.om-tl-overdue')].filter(visible);
        const red = overdue.map(r => getComputedStyle(r.querySelector('.om-tl-state')).color);
        return {
            overdue: overdue.map(r => r.dataset.step), red,
            now: [...box.querySelectorAll('.om-tl-now')].filter(visible).length,
            bands: [...box.querySelectorAll('.om-tl-band')].filter(visible).length,
            closes: [...box.querySelectorAll('.om-tl-close')].filter(visible).map(e => e.textContent),
            done: box.querySelectorAll('.om-tl-row.om-tl-done').length,
        };
    }, root);
}

const isRed = rgb => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return r > 150 && r - g > 100 && r - b > 100;
};

/** Boxes of `a` and each of `others` that overlap, as text (none: []). */
const overlaps = (p, a, others) => p.evaluate(([a, others]) => {
    const r = document.querySelector(a).getBoundingClientRect();
    return others.flatMap(sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length).map(e => [sel, e.getBoundingClientRect()]))
        .filter(([, o]) => o.left < r.right - 1 && r.left < o.right - 1 && o.top < r.bottom - 1 && r.top < o.bottom - 1).map(([sel]) => sel);
}, [a, others]);

test('cockpit at 1920×1080: the selected project\'s procedure timeline in the bottom dock', async () => {
    await page.setViewportSize({width: 1920, height: 1080});
    await page.goto(`${server.base}/?project=${project.id}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await page.locator('.om-trend[aria-label]').waitFor({timeout: 20_000});
    const t0 = Date.now();
    await page.locator('.om-trend .om-tl-flip').click();
    await page.locator(`.om-procedure[data-ready="${project.code}"]`).waitFor({timeout: 20_000});
    console.log(`cockpit: a selected project's timeline shown ${Date.now() - t0} ms after the click (1 click)`);
    const d = await drawn(page, '.om-procedure');
    assert.deepEqual(d.overdue.sort(), ['demolition_filing', 'signing_period']);
    assert.ok(d.red.every(isRed), `overdue rows are red: ${d.red}`);
    assert.ok(d.now >= 19, 'the today line crosses every step row');
    assert.ok(d.bands >= 3, 'the windows are drawn as bands');
    assert.ok(d.closes.some(c => c.includes('届满')), `closing days: ${d.closes}`);
    assert.ok(d.done >= 12);
    assert.deepEqual(await overlaps(page, '.om-procedure', ['.om-dock-left .om-card', '.om-dock-right .om-card', '.om-top']), []);
    // the legal basis and documents of a step on a click
    await page.locator('.om-procedure [data-step="decision"] .om-tl-name').click();
    const detail = await page.locator('.om-procedure [data-step="decision"] .om-tl-detail').innerText();
    assert.match(detail, /第590号/);
    assert.match(detail, /房屋征收决定公告\.pdf/);
    await page.evaluate(() => document.querySelector('.om-procedure [data-step="signing_period"]').scrollIntoView({block: 'center'}));
    await page.mouse.move(960, 5);
    await shot(page, 'cockpit-1080');
    await page.goto(`${server.base}/?project=${project.id}&lang=en`);
    await page.locator('.om-trend .om-tl-flip').click();
    await page.locator(`.om-procedure[data-ready="${project.code}"]`).waitFor({timeout: 20_000});
    assert.match(await page.locator('.om-procedure .om-tl-stage').first().innerText(), /Preparation/);
    assert.match(await page.locator('.om-procedure .om-tl-today-label').innerText(), /^today \d{4}-\d\d-\d\d$/);
    await shot(page, 'cockpit-1080-en');
});

for (const width of [390, 360]) {
    test(`phone at ${width} px: the compact timeline, 48 px targets, no sideways scroll`, async () => {
        const phone = await browser.context.newPage();
        await phone.setViewportSize({width, height: 844});
        await phone.goto(`${server.base}/m/?kiosk=${KIOSK_TOKEN}#p/${project.id}`);
        await phone.locator(`.om-m-procedure[data-project="${project.code}"]`).waitFor({timeout: 30_000});
        const d = await drawn(phone, '.om-m-procedure');
        assert.deepEqual(d.overdue.sort(), ['demolition_filing', 'signing_period']);
        assert.ok(d.red.every(isRed));
        assert.ok(d.now >= 19 && d.bands >= 3);
        const small = await phone.$$eval('.om-m-procedure .om-tl-name', els => els.filter(e => e.getBoundingClientRect().height < 48).length);
        assert.equal(small, 0, 'every step is a 48 px target');
        assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll');
        await phone.locator('.om-m-procedure [data-step="signing_period"] .om-tl-name').click();
        assert.match(await phone.locator('.om-m-procedure .om-tl-detail').innerText(), /期限/);
        await phone.locator('.om-m-procedure').scrollIntoViewIfNeeded();
        await phone.evaluate(() => document.querySelector('.om-m-procedure [data-step="approval"]').scrollIntoView());
        await shot(phone, `phone-${width}`);
        await phone.evaluate(() => document.querySelector('.om-m-procedure [data-step="signing_period"]').scrollIntoView({block: 'center'}));
        await shot(phone, `phone-${width}-overdue`);
        await phone.close();
    });
}

test('phone at 390 px: a demo project\'s own history (as `onemap demo` wrote it) draws every step', async () => {
    const [other] = await query(`SELECT p.id, p.code, (SELECT count(*) FROM project_steps s WHERE s.project_id = p.id)::int AS steps
                                    FROM projects p WHERE p.id <> ${project.id} AND p.stage = 'signing' ORDER BY p.code LIMIT 1`);
    assert.ok(other, 'the demo city has a project signing');
    const phone = await browser.context.newPage();
    await phone.setViewportSize({width: 390, height: 844});
    await phone.goto(`${server.base}/m/?kiosk=${KIOSK_TOKEN}#p/${other.id}`);
    await phone.locator(`.om-m-procedure[data-project="${other.code}"]`).waitFor({timeout: 30_000});
    assert.equal(await phone.locator('.om-m-procedure .om-tl-row').count(), other.steps);
    await phone.evaluate(() => document.querySelector('.om-m-procedure .om-tl-stage.om-tl-current').scrollIntoView({block: 'center'}));
    await shot(phone, 'phone-390-demo');
    await phone.close();
});

test('wall spotlight at 3840×2160: the project\'s procedure by stage, text ≥ 32 px, inside its panel', async () => {
    const wall = await browser.context.newPage();
    await wall.setViewportSize({width: 3840, height: 2160});
    await wall.goto(`${server.base}/wall/?kiosk=${KIOSK_TOKEN}&rotate=120&region=${project.region}`);
    await wall.locator('.om-spot-timeline[data-project]').waitFor({state: 'attached', timeout: 60_000});
    // the spotlight turned to our project (the region's others come first by code)
    await wall.evaluate(async code => {
        const s = window.__wall.spotlight;
        s.index = s.projects.findIndex(p => p.code === code) - 1;
        await s.next();
        // the second half of its turn: the procedure in the trend's place
        s.showPhase('procedure');
    }, project.code);
    await wall.locator(`.om-spot-timeline[data-project="${project.code}"]`).waitFor({timeout: 20_000});
    await wall.waitForFunction(() => window.__mapReady === true && !window.__map.isMoving(), null, {timeout: 60_000});
    await shot(wall, 'wall-4k');
    const d = await drawn(wall, '.om-spot-timeline');
    assert.ok(d.overdue.includes('signing') && d.overdue.includes('relocation'), `overdue stages: ${d.overdue}`);
    assert.ok(d.red.every(isRed));
    assert.ok(d.now >= 7 && d.bands >= 2, JSON.stringify(d));
    const fit = await wall.evaluate(() => {
        const tl = document.querySelector('.om-spot-timeline').getBoundingClientRect();
        const panel = document.querySelector('.om-wall-spot').getBoundingClientRect();
        const figures = document.querySelector('.om-wall-spot .om-figures').getBoundingClientRect();
        const small = [];
        const walker = document.createTreeWalker(document.querySelector('.om-spot-timeline'), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const e = n.parentElement;
            if (n.textContent.trim() && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 32) small.push(n.textContent);
        }
        const rows = [...document.querySelectorAll('.om-spot-timeline .om-tl-row')].map(r => r.getBoundingClientRect());
        return {inside: rows.every(r => r.bottom <= tl.bottom + 1) && tl.bottom <= panel.bottom && tl.top >= figures.bottom, small};
    });
    assert.ok(fit.inside, 'every row of the timeline shows, below the figures, inside the spotlight');
    assert.deepEqual(fit.small, []);
    await wall.close();
});

for (const [name, width, height] of [['1920', 1920, 1080], ['390', 390, 844]]) {
    test(`public 程序公开 at ${name}: nine items, published steps with dates and documents, nothing private`, async () => {
        const pub = await browser.context.newPage();
        await pub.setViewportSize({width, height});
        await pub.goto(`${server.base}/public/#p/${encodeURIComponent(project.code)}`);
        await pub.waitForFunction(code => window.__public?.shown === code, project.code, {timeout: 30_000});
        const nine = await pub.$$eval('.pub-nine-item', els => els.map(e => [e.dataset.item, e.dataset.published]));
        assert.equal(nine.length, 9);
        const published = Object.fromEntries(nine);
        assert.equal(published.overview, 'true');
        assert.equal(published.announcement, 'true');
        assert.equal(published.compensation_results, 'false');
        assert.match(await pub.locator('.pub-nine-item[data-item="compensation_results"]').innerText(), /待公开[\s\S]*待完成：公布分户补偿情况/);
        const steps = await pub.$$eval('.pub-step', els => els.map(e => e.dataset.step));
        assert.ok(steps.includes('decision') && steps.includes('litigation_window'));
        assert.ok(!steps.includes('plan_drafted') && !steps.includes('signing_period'), 'unpublished steps stay inside');
        const text = await pub.locator('.pub-procedure').innerText();
        assert.doesNotMatch(text, /内部会签单|方案初稿/);
        assert.match(await pub.locator('.pub-step[data-step="litigation_window"]').innerText(), /期限内[\s\S]*期间 \d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d/);
        const href = await pub.locator('.pub-step[data-step="decision"] a').first().getAttribute('href');
        const res = await fetch(href);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        assert.equal(await pub.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll');
        await pub.locator('.pub-procedure').scrollIntoViewIfNeeded();
        await pub.evaluate(() => document.querySelector('.pub-procedure').scrollIntoView());
        await shot(pub, `public-${name}`);
        await pub.close();
    });
}
