// Browser test of issue 13's fixes to the phone, public and desk pages, as a leader, a resident and a clerk would meet them (390 and 360 px phones, 1920×1080 desk).
//
// README. Needs ONEMAP_BIN, DATABASE_URL of the demo database (an objection's date is moved back
// and one filed), frontend/dist and psql. It checks:
//   - /m/ (leader's phone, kiosk login) at 390 and 360 px: a district lists its projects before
//     the streets without any (folded), shows the lagging projects, the 30-day trend and the target
//     date without unfolding; the breadcrumb wraps instead of cutting (out/pages-m-{390,360}.png,
//     pages-m-project-*.png, English: pages-m-en-390.png);
//   - /public/ at 360 px: the search box and the city and district filters narrow the list, each
//     card names city · district · street; a project page shows its area on a small map; no list
//     table is wider than the screen (rows are cards); a resident's amounts are not cut; a ticket
//     has none of O0I1L and is found typed in lower case (out/pages-public-*.png);
//   - /desk/ at 1920×1080 as an operator: an ID-number search finds a household of another
//     project of the region, an overdue objection is flagged, and the agreement DOCX is named
//     <户编码>-补偿协议.docx with its 户编码 and grouped amounts (out/pages-desk-*.png).
// Run: /work/wt/tools/btest tests/browser/pages-fixes.test.mjs
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {query} from './db.mjs';
import {KIOSK_TOKEN, OUT, isLocal, startBrowser, startServer} from './harness.mjs';
import {loginAs, useSession} from './session.mjs';

const PHONES = [{name: '390', width: 390, height: 844}, {name: '360', width: 360, height: 780}];
let server, browser, page;
const problems = [];
/** Set while the page is expected to receive a 4xx: Chromium logs those as console errors. */
let refusing = false;

/** Runs one writing statement with psql (db.mjs's query() reads only); returns its output. */
const write = (sql, ...params) => execFileSync(process.env.PSQL ?? 'psql', [process.env.PSQL_URL ?? process.env.DATABASE_URL, '-X', '-q', '-t', '-A',
    '-v', 'ON_ERROR_STOP=1', ...params.flatMap((p, i) => ['-v', `p${i + 1}=${p}`])], {input: `${sql};\n`, encoding: 'utf8'}).trim();

const shot = (name, fullPage = false) => page.screenshot({path: path.join(OUT, `pages-${name}.png`), fullPage});

async function assertNoPageScroll(where) {
    const {scroll, width} = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, width: innerWidth}));
    assert.ok(scroll <= width, `${where}: the page is ${scroll}px wide in a ${width}px viewport`);
}

/** Elements under `selector` whose text is cut (wider than their box) or that reach past the viewport. */
const cutOrOff = selector => page.evaluate(sel => [...document.querySelectorAll(sel)]
    .filter(e => e.getClientRects().length && (e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth + 1))
    .map(e => `${e.className}: “${e.textContent.slice(0, 30)}”`), selector);

before(async () => {
    server = await startServer({log: 'server-pages-fixes'});
    browser = await startBrowser();
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.on('console', msg => {
        if (msg.type() !== 'error') return;
        if (refusing && /status of 4\d\d/.test(msg.text())) return;
        problems.push(`console: ${msg.text()} ${msg.location()?.url ?? ''}`);
    });
    page.on('pageerror', err => problems.push(`page error: ${err}`));
});

after(async () => {
    await browser?.close();
    await server?.stop();
    // leave the next test file this address's whole allowance of public look-ups (5 a minute)
    write('DELETE FROM resident_lookups');
});

for (const vp of PHONES) {
    test(`/m/ at ${vp.width} px: projects before empty streets, lagging projects, trend, target date, breadcrumb whole`, async () => {
        await page.setViewportSize({width: vp.width, height: vp.height});
        const t0 = Date.now();
        await page.goto(`${server.base}/m/?kiosk=${KIOSK_TOKEN}`);
        await page.waitForFunction(() => /\d/.test(document.querySelector('.om-hero-value')?.textContent ?? ''), null, {timeout: 30_000});
        await page.locator('.om-children .om-row-project').first().waitFor({timeout: 20_000});
        await page.locator('.om-m-trend canvas').waitFor({timeout: 20_000});
        console.log(`/m/ ${vp.width}: district page with projects and trend in ${Date.now() - t0} ms`);
        // rows in order: every project comes before any street without households, which are folded away
        const order = await page.locator('.om-children .om-row').evaluateAll(rows => rows.map(r => ({
            kind: r.classList.contains('om-row-project') ? 'project' : r.classList.contains('om-row-empty') ? 'empty' : 'region',
            visible: r.checkVisibility()})));
        const lastProject = order.map(r => r.kind).lastIndexOf('project');
        const firstEmpty = order.findIndex(r => r.kind === 'empty');
        assert.ok(lastProject >= 0, 'no project listed');
        if (firstEmpty >= 0) {
            assert.ok(firstEmpty > lastProject, 'an empty street is listed before a project');
            assert.ok(order.filter(r => r.kind === 'empty').every(r => !r.visible), 'empty streets are not folded');
        }
        // the target date is a key figure, shown without unfolding 全部指标
        const target = page.locator('.om-m-hero .om-gauge-target_date .om-v');
        if (await target.count()) assert.match(await target.innerText(), /\d{4}-\d{2}-\d{2}|—/);
        // lagging projects: the server's alerts of this district (or "none")
        const lagging = page.locator('.om-m-lagging');
        await lagging.locator('li').first().waitFor({timeout: 20_000});
        // a project page: its target date among the key figures, its own lagging state and trend
        const first = page.locator('.om-children .om-row-project').first();
        const name = await first.locator('.om-row-name').innerText();
        await first.click();
        await page.waitForFunction(n => document.querySelector('.om-m-title')?.textContent === n, name, {timeout: 20_000});
        await page.locator('.om-m-hero .om-gauge-target_date .om-v').waitFor({timeout: 20_000});
        assert.match(await page.locator('.om-m-hero .om-gauge-target_date .om-v').innerText(), /^\d{4}-\d{2}-\d{2}$/);
        await page.locator('.om-m-trend canvas').waitFor({timeout: 20_000});
        // the breadcrumb shows every name whole (it wraps), nothing off the screen
        assert.deepEqual(await cutOrOff('.om-m-crumbs > *'), []);
        assert.ok(await page.locator('.om-m-crumbs > *').count() >= 3, 'the breadcrumb lacks its path');
        await assertNoPageScroll('/m/ project');
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(`m-project-${vp.name}`, true);
        await page.goBack();
        await page.locator('.om-children .om-row-project').first().waitFor({timeout: 20_000});
        await shot(`m-${vp.name}`, true);
        if (vp.width !== 390) return;
        // English mode: the same cards, their titles in English
        await page.goto(`${server.base}/m/?kiosk=${KIOSK_TOKEN}&lang=en`);
        await page.locator('.om-m-trend canvas').waitFor({timeout: 20_000});
        await page.locator('.om-m-lagging li').first().waitFor({timeout: 20_000});
        assert.match(await page.locator('.om-m-lagging h2').innerText(), /^Lagging projects/);
        assert.deepEqual(await cutOrOff('.om-m-crumbs > *'), []);
        await shot('m-en-390', true);
    });
}

test('/public/ at 360 px: search and filters narrow the list, each project says where it is', async () => {
    await page.setViewportSize({width: 360, height: 780});
    await page.goto(`${server.base}/public/`);
    await page.waitForFunction(() => window.__public?.shown === 'home', null, {timeout: 20_000});
    const cards = page.locator('.pub-project');
    // the server filters: each change is read once the list says it is no longer busy
    const settled = () => page.locator('.pub-projects[aria-busy="false"]').waitFor();
    const total = await cards.count();
    assert.ok(total > 1, 'fewer than two published projects');
    const places = await page.locator('.pub-project .pub-place').allInnerTexts();
    for (const p of places) assert.ok(p.split(' · ').length >= 3, `a card says only “${p}”`);
    const cities = await page.locator('select[name="city"] option').evaluateAll(os => os.map(o => o.value).filter(Boolean));
    assert.ok(cities.length >= 1, 'no city to filter by');
    await page.locator('select[name="city"]').selectOption(cities[0]);
    await settled();
    const inCity = await cards.count();
    assert.ok(inCity > 0 && inCity <= total);
    for (const p of await page.locator('.pub-project .pub-place').allInnerTexts()) assert.ok(p.startsWith(cities[0]), p);
    const districts = await page.locator('select[name="district"] option').evaluateAll(os => os.map(o => o.value).filter(Boolean));
    await page.locator('select[name="district"]').selectOption(districts[0]);
    await settled();
    const inDistrict = await cards.count();
    assert.ok(inDistrict > 0 && inDistrict <= inCity);
    for (const p of await page.locator('.pub-project .pub-place').allInnerTexts()) assert.ok(p.includes(districts[0]), p);
    await page.locator('select[name="city"]').selectOption('');
    await settled();
    const one = (await page.locator('.pub-project h3').first().innerText());
    await page.locator('input[name="q"]').fill(one);
    await settled();
    assert.ok(await cards.count() >= 1 && await cards.count() < total, 'the search did not narrow the list');
    assert.equal(await page.locator('.pub-project h3').first().innerText(), one);
    await page.locator('input[name="q"]').fill('没有这样的项目名称');
    await settled();
    assert.equal(await cards.count(), 0);
    assert.ok(await page.locator('.pub-projects > .om-empty').isVisible(), 'no word for an empty result');
    await page.locator('input[name="q"]').fill('');
    await settled();
    await page.locator('select[name="city"]').selectOption(cities[0]);
    await settled();
    await assertNoPageScroll('public home');
    await shot('public-home-360');
    console.log(`public list: ${total} projects, ${inCity} in ${cities[0]}, ${inDistrict} in ${districts[0]}`);
});

test('/public/ project at 360 and 1920 px: the area map, lists as cards, a resident\'s amounts whole, an unambiguous ticket', async () => {
    const [project] = await query(`SELECT p.code FROM projects p JOIN buildings b ON b.project_id = p.id JOIN households h ON h.building_id = b.id
        WHERE p.published GROUP BY p.id ORDER BY count(*) FILTER (WHERE h.status >= 'signed') DESC, p.code LIMIT 1`);
    const [resident] = await query(`SELECT h.code, h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON b.id = h.building_id
        JOIN projects p ON p.id = b.project_id JOIN agreements a ON a.household_id = h.id
        WHERE p.code = :'p1' AND a.yuan >= 100000 ORDER BY h.id LIMIT 1`, [project.code]);
    // two look-ups and an objection from this address: earlier runs on the same database must not have used up its allowance
    write('DELETE FROM resident_lookups');
    for (const vp of [{name: '1080', width: 1920, height: 1080}, {name: '360', width: 360, height: 780}]) {
        await page.setViewportSize({width: vp.width, height: vp.height});
        await page.goto(`${server.base}/public/#p/${encodeURIComponent(project.code)}`);
        await page.waitForFunction(c => window.__public?.shown === c, project.code, {timeout: 20_000});
        await page.locator('.pub-area-map[data-ready="true"] canvas').waitFor({timeout: 30_000});
        assert.ok((await page.locator('.pub-overview .pub-place').innerText()).split(' · ').length >= 3);
        await page.locator('.pub-area').scrollIntoViewIfNeeded();
        await shot(`public-project-${vp.name}`);
        for (const list of ['survey', 'signed', 'paid', 'incentives', 'progress']) {
            await page.locator(`.pub-tab[data-list="${list}"]`).click();
            await page.waitForFunction(l => document.querySelector('.pub-lists')?.dataset.state === 'ready'
                && document.querySelector('.pub-lists')?.dataset.list === l, list, {timeout: 20_000});
            const wide = await page.evaluate(() => [...document.querySelectorAll('.pub-lists table')]
                .map(t => t.getBoundingClientRect().right).filter(r => r > innerWidth + 1));
            assert.deepEqual(wide, [], `${list} at ${vp.width}: a table reaches past the screen`);
            if (vp.width < 700) assert.deepEqual(await cutOrOff('.pub-lists td'), [], `${list}: cells cut`);
        }
        await page.locator('.pub-tab[data-list="signed"]').click();
        await page.waitForFunction(() => document.querySelector('.pub-lists')?.dataset.list === 'signed' && document.querySelector('.pub-lists')?.dataset.state === 'ready');
        await page.locator('.pub-lists').scrollIntoViewIfNeeded();
        await shot(`public-lists-${vp.name}`);
        await assertNoPageScroll(`public project ${vp.width}`);

        await page.locator('.pub-lookup input[name="name"]').fill(resident.holder_name);
        await page.locator('.pub-lookup input[name="id_number"]').fill(resident.holder_id_number);
        await page.locator('.pub-lookup button[type="submit"]').click();
        const record = page.locator(`.pub-record[data-household="${resident.code}"]`);
        await record.waitFor({timeout: 20_000});
        assert.deepEqual(await cutOrOff('.pub-record dd, .pub-record td'), [], 'amounts cut off');
        assert.match(await record.locator('.pub-facts').innerText(), /\d{1,3}(,\d{3})+\.\d{2} 元/);
        await record.scrollIntoViewIfNeeded();
        await shot(`public-lookup-${vp.name}`);
        await page.locator('.pub-lookup-result button', {hasText: '清除'}).click().catch(() => {});
    }
    // an objection's ticket: none of the look-alikes, and found when typed in lower case with a space
    const filed = await fetch(`${server.base}/api/public/objections`, {method: 'POST', headers: {'content-type': 'application/json'},
        body: JSON.stringify({name: resident.holder_name, id_number: resident.holder_id_number, household_code: resident.code, body: '请复核面积（浏览器测试）'})});
    assert.equal(filed.status, 201);
    const {ticket} = await filed.json();
    assert.doesNotMatch(ticket, /[O0I1L]/, ticket);
    await page.locator('.pub-ticket input[name="ticket"]').fill(`${ticket.slice(0, 8).toLowerCase()} ${ticket.slice(8).toLowerCase()}`);
    await page.locator('.pub-ticket button[type="submit"]').click();
    await page.locator(`.pub-ticket .pub-record[data-ticket="${ticket}"]`).waitFor({timeout: 20_000});
    await page.locator('.pub-ticket').scrollIntoViewIfNeeded();
    await shot('public-ticket-360');
});

test('/desk/ as an operator: an ID number found in another project, an overdue objection flagged, the agreement DOCX whole', async () => {
    // a district with several projects; the household of the second, searched from the first
    const [target] = await query(`SELECT d.code AS district, h.id, h.code, h.holder_id_number, p.code AS project,
            (SELECT q.code FROM projects q JOIN regions qr ON qr.id = q.region_id WHERE d.id = ANY (qr.lineage) AND q.id <> p.id ORDER BY q.code LIMIT 1) AS other
        FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
        JOIN regions r ON r.id = p.region_id JOIN regions d ON d.id = r.lineage[2] JOIN agreements a ON a.household_id = h.id
        WHERE a.yuan >= 10000 AND (SELECT count(*) FROM projects q JOIN regions qr ON qr.id = q.region_id WHERE d.id = ANY (qr.lineage)) > 1
        ORDER BY h.id LIMIT 1`);
    const clerk = await loginAs(server.base, {username: `pages-clerk-${target.district}`, password: 'pages-clerk-Pw-2026', role: 'operator', region: target.district});
    // an open objection of the district filed 20 days ago: past the 15-day reply deadline
    const lateTicket = write(`UPDATE objections o SET created_at = now() - interval '20 days'
        WHERE o.id = (SELECT o2.id FROM objections o2 JOIN households h ON h.id = o2.household_id JOIN buildings b ON b.id = h.building_id
                      JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id JOIN regions d ON d.id = r.lineage[2]
                      WHERE o2.status = 'open' AND d.code = :'p1' ORDER BY o2.id LIMIT 1) RETURNING o.ticket`, target.district);
    await page.setViewportSize({width: 1920, height: 1080});
    await useSession(browser.context, server.base, clerk);
    await page.goto(`${server.base}/desk/#households/${encodeURIComponent(target.other)}`);
    await page.waitForFunction(() => window.__desk?.ready === true, null, {timeout: 20_000});
    await page.locator('.dk-results tbody tr').first().waitFor({timeout: 20_000});
    const t0 = Date.now();
    await page.locator('.dk-search input[name="id_number"]').fill(target.holder_id_number);
    assert.equal(await page.locator('.dk-search select[name="household_scope"]').inputValue(), 'all', 'an ID number does not widen the search');
    await page.locator('.dk-search button[type="submit"]').click();
    const row = page.locator(`.dk-results tbody tr[data-id="${target.id}"]`);
    await row.waitFor({timeout: 20_000});
    console.log(`desk: ID number found in another project in ${Date.now() - t0} ms (type, 1 click)`);
    assert.ok((await row.innerText()).includes(target.code));
    await row.click();
    await page.waitForFunction(p => location.hash.includes(encodeURIComponent(p)), target.project, {timeout: 10_000});
    await page.locator('.dk-file').first().waitFor({timeout: 20_000});
    assert.equal(await page.locator('select.dk-project').inputValue(), target.project, 'the project of the household is chosen');
    await shot('desk-id-search-1080');

    // the agreement, as the desk's link downloads it
    const href = await page.locator('a', {hasText: '协议'}).first().getAttribute('href');
    const res = await fetch(new URL(href, `${server.base}/desk/`), {headers: {authorization: `Bearer ${clerk.token}`}});
    assert.equal(res.status, 200);
    const disposition = res.headers.get('content-disposition');
    assert.ok(disposition.includes(`filename*=UTF-8''${encodeURIComponent(`${target.code}-补偿协议.docx`)}`), disposition);
    const dir = mkdtempSync(path.join(tmpdir(), 'pages-docx-'));
    try {
        writeFileSync(path.join(dir, 'a.docx'), Buffer.from(await res.arrayBuffer()));
        const xml = execFileSync('unzip', ['-p', path.join(dir, 'a.docx'), 'word/document.xml'], {encoding: 'utf8'});
        assert.ok(xml.includes(`户编码${target.code}`), 'the 户编码 is empty');
        const total = /补偿总额([\d,.]+)元/.exec(xml)?.[1];
        assert.match(total ?? '', /^\d{1,3}(,\d{3})+\.\d{2}$/, `补偿总额 “${total}”`);
    } finally {
        rmSync(dir, {recursive: true, force: true});
    }

    // objections: the late one flagged overdue with its deadline
    await page.goto('about:blank');
    await page.goto(`${server.base}/desk/#objections/${encodeURIComponent(target.project)}`);
    await page.waitForFunction(() => window.__desk?.ready === true, null, {timeout: 20_000});
    await page.locator('.dk-objections select[name="scope"]').selectOption('all');
    if (lateTicket) {
        const card = page.locator(`.dk-objection[data-ticket="${lateTicket}"]`);
        await card.waitFor({timeout: 20_000});
        assert.equal(await card.getAttribute('data-overdue'), 'true');
        assert.match(await card.innerText(), /已超期（应于 \d{4}-\d{2}-\d{2} 前答复）/);
        assert.match(await page.locator('.dk-objections .om-card-note').innerText(), /超期 \d+ 件/);
        await card.scrollIntoViewIfNeeded();
    }
    await shot('desk-objections-1080');
});

test('nothing was fetched from outside the machine and the console has no errors', () => {
    assert.deepEqual(problems, []);
});
