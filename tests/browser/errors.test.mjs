// Browser test of errors as people read them: an unknown project on the cockpit, a wrong password, a refused file in the planners' toolbox — in Chinese (no API path, HTTP status or English sentence) and in English; and labels of one language per mode, none cut, at 1920×1080 and 390 px.
//
// README. Needs what cockpit.test.mjs needs (ONEMAP_BIN, DATABASE_URL of a demo database,
// frontend/dist). Screenshots: out/errors-{project,login,upload}-{zh,en}.png, out/labels-en-{1080,390,cockpit-390}.png.
// Run: /work/wt/tools/btest tests/browser/errors.test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {OUT} from './harness.mjs';
import {apiLogin, startAsAdmin} from './session.mjs';

const ADMIN = {username: 'browser-test-errors', password: 'browser-test-errors-Pw-2026'};

let server, browser, page;
const problems = [];

const shot = (name, p = page) => p.screenshot({path: path.join(OUT, `${name}.png`)});

/** What a Chinese page must never show a person: a path, an HTTP status, a sentence of English words. */
function assertChineseOnly(text, where) {
    assert.doesNotMatch(text, /HTTP|api\//, `${where} shows a path or status: “${text}”`);
    assert.doesNotMatch(text, /[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/, `${where} shows an English sentence: “${text}”`);
}

/** The visible texts that are cut: wider than their box with the overflow hidden or ellipsised, or taller than their line clamp (unless a tooltip holds the whole text). */
function cutTexts(p) {
    return p.evaluate(() => [...document.querySelectorAll('body *')].filter(e => {
        if (!e.childNodes.length || ![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return false;
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || e.closest('[hidden]') || e.offsetParent === null) return false;
        // a value shortened on purpose (a long building code in the ticker) carries its whole text as a tooltip
        if (e.title && e.title.includes(e.textContent.trim())) return false;
        const hides = s.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(s.overflowX);
        const clamped = s.webkitLineClamp !== 'none' && e.scrollHeight > e.clientHeight + 1;
        return (hides && e.scrollWidth > e.clientWidth + 1) || clamped;
    }).map(e => `${e.className || e.tagName}: ${e.textContent.trim().slice(0, 40)}`));
}

before(async () => {
    ({server, browser, page} = await startAsAdmin(ADMIN, 'server-errors', problems));
    page.on('pageerror', err => problems.push(`page error: ${err}`));
    await page.setViewportSize({width: 1920, height: 1080});
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('a wrong password is told in the page\'s language', async () => {
    // first: the browser has no session yet, so the page asks for one
    const p = page;
    for (const [lang, words] of [['zh', '用户名或密码错误'], ['en', 'Wrong user name or password']]) {
        await p.goto(`${server.base}/?lang=${lang}`);
        await p.locator('.om-login-card input[name=username]').fill(ADMIN.username);
        await p.locator('.om-login-card input[name=password]').fill('not-the-password');
        await p.locator('.om-login-card button[type=submit]').click();
        const message = p.locator('.om-login-error');
        await p.waitForFunction(() => document.querySelector('.om-login-error')?.textContent !== '', null, {timeout: 20_000});
        const text = await message.innerText();
        assert.equal(text, words);
        if (lang === 'zh') assertChineseOnly(text, 'the login form');
        await shot(`errors-login-${lang}`, p);
    }
});

test('an unknown project on the cockpit reads “项目不存在（99999）”, in English “Project not found (99999)”', async () => {
    // the admin's session, as the login form would have left it
    const session = await apiLogin(server.base, ADMIN);
    const [name, value] = session.cookie.split(/=(.*)/s);
    await browser.context.addCookies([{name, value, url: server.base}]);
    await page.goto(`${server.base}/?project=99999&lang=zh`);
    for (const [lang, words] of [['zh', '项目不存在（99999）'], ['en', 'Project not found (99999)']]) {
        // English by the page's 中/EN switch: the panels word their error again, without a reload
        if (lang === 'en') await page.locator('.om-lang button', {hasText: 'EN'}).click();
        await page.waitForFunction(w => [...document.querySelectorAll('.om-error')].some(e => e.textContent.includes(w)), words, {timeout: 30_000});
        const shown = await page.locator('.om-gauges .om-error').allInnerTexts();
        assert.ok(shown.length > 0 && shown.every(text => text.includes(words)), `the panels say ${JSON.stringify(shown)}`);
        for (const text of shown) {
            assert.doesNotMatch(text, /HTTP|api\//, `a panel shows a path or status: “${text}”`);
            if (lang === 'zh') assertChineseOnly(text, 'a cockpit panel');
        }
        await shot(`errors-project-${lang}`);
    }
});

/** Opens the cockpit in `lang` and drops a .txt on the planners' overlay card; returns what the card says. */
async function refusedUpload(lang) {
    await page.goto(`${server.base}/?lang=${lang}`);
    await page.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    const tab = page.locator('.om-toolbox [data-tab="overlays"]');
    if (await tab.getAttribute('aria-pressed') !== 'true') await tab.click();
    await page.locator('.om-overlays input[type=file]').setInputFiles({name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello')});
    const message = page.locator('.om-overlays .om-message-error');
    await message.waitFor({state: 'visible', timeout: 30_000});
    return message.innerText();
}

test('in Chinese: a refused file in the planners\' toolbox says why, and legend and ticker read Chinese only', async () => {
    const text = await refusedUpload('zh');
    assert.match(text, /notes\.txt.*类型不支持/, text);
    assertChineseOnly(text.replaceAll('notes.txt', ''), 'the overlay card');
    await shot('errors-upload-zh');
    const legend = await page.locator('.om-legend').textContent();
    assert.doesNotMatch(legend, /Legend|Buildings|boundary/, `English in the Chinese legend: ${legend}`);
    assert.equal((await page.locator('.om-ticker h2').innerText()).trim(), '实时动态');
});

test('in English: the same refusal in English, labels in English only, none cut at 1920×1080 and 390 px', async () => {
    const text = await refusedUpload('en');
    assert.match(text, /notes\.txt.*is not of an accepted type/, text);
    await shot('errors-upload-en');
    await page.locator('.om-gauges[data-scope-name]').waitFor({timeout: 20_000});
    await page.locator('.om-ranking tbody tr').first().waitFor({timeout: 20_000});
    const legend = await page.locator('.om-legend').textContent();
    assert.match(legend, /Building status/);
    assert.doesNotMatch(legend, /[\u4e00-\u9fff]/, `Chinese in the English legend: ${legend}`);
    assert.match(await page.locator('.om-ticker h2').innerText(), /^Live changes/);
    assert.deepEqual(await cutTexts(page), [], 'labels cut at 1920×1080 in English');
    await shot('labels-en-1080');

    const phone = await browser.context.newPage();
    await phone.setViewportSize({width: 390, height: 844});
    await phone.goto(`${server.base}/m/?lang=en`);
    await phone.waitForFunction(() => /\d/.test(document.querySelector('.om-hero-value')?.textContent ?? ''), null, {timeout: 30_000});
    await phone.locator('.om-children .om-row').first().waitFor({timeout: 20_000});
    assert.deepEqual(await cutTexts(phone), [], 'labels cut on /m/ at 390 px in English');
    await shot('labels-en-390', phone);
    await phone.goto(`${server.base}/?lang=en`);
    await phone.waitForFunction(() => window.__mapReady === true, null, {timeout: 60_000});
    await phone.locator('.om-gauges[data-scope-name]').waitFor({timeout: 20_000});
    assert.deepEqual(await cutTexts(phone), [], 'labels cut on the cockpit at 390 px in English');
    await shot('labels-en-cockpit-390', phone);
    await phone.close();
    assert.deepEqual(problems, []);
});
