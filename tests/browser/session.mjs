// Users and sessions for the browser tests: create a user with the onemap CLI, log in over the API, make authorised requests.
import {spawn} from 'node:child_process';
import {REPO, isLocal, onemapBin, startBrowser, startServer} from './harness.mjs';

/** Runs `$ONEMAP_BIN ARGS…` with `input` on stdin; resolves with its exit code and output. */
export function onemapCli(args, input = '') {
    return new Promise((resolve, reject) => {
        const child = spawn(onemapBin(), args, {cwd: REPO, env: process.env, stdio: ['pipe', 'pipe', 'pipe']});
        let stdout = '', stderr = '';
        child.stdout.on('data', d => { stdout += d; });
        child.stderr.on('data', d => { stderr += d; });
        child.on('error', reject);
        child.on('close', code => resolve({code, stdout, stderr}));
        child.stdin.end(input);
    });
}

/**
 * Makes sure user `username` exists with `password` and `role` (an operator also needs `region`,
 * the code of the region subtree they work in): `user add` fails when the name is taken (by an
 * earlier run, with this same password), which the login that follows then shows.
 */
export async function ensureUser(username, password, role, region = null) {
    const args = ['user', 'add', '--username', username, '--role', role, '--password-stdin'];
    if (region) args.push('--region', region);
    return onemapCli(args, `${password}\n`);
}

/** Creates (or reuses) the account and logs it in over the API: {token, cookie, user}. */
export async function loginAs(base, {username, password, role, region = null}) {
    const add = await ensureUser(username, password, role, region);
    try {
        return await apiLogin(base, {username, password});
    } catch (err) {
        throw new Error(`${err.message}\n\`user add\` said (exit ${add.code}): ${add.stderr || add.stdout}`);
    }
}

/** Makes the browser context act as `session` (replacing whoever was logged in), as the login form would have left it. */
export async function useSession(context, base, session) {
    await context.clearCookies();
    const [name, value] = session.cookie.split(/=(.*)/s);
    await context.addCookies([{name, value, url: base}]);
}

/** POST /api/login; returns {token, cookie, user} or throws with the server's answer. */
export async function apiLogin(base, body) {
    const res = await fetch(`${base}/api/login`, {
        method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`login ${JSON.stringify(Object.keys(body))}: HTTP ${res.status} ${text}`);
    const json = JSON.parse(text);
    const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]).find(c => c.startsWith('onemap_session='));
    return {token: json.token, cookie, user: json.user, setCookie: res.headers.getSetCookie()};
}

/** fetch() as a logged-in user (bearer token); JSON bodies in and out. Returns {status, body}. */
export async function authed(base, session, url, {method = 'GET', json} = {}) {
    const headers = {authorization: `Bearer ${session.token}`};
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${url}`, {method, headers, body: json === undefined ? undefined : JSON.stringify(json)});
    const text = await res.text();
    let body = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return {status: res.status, body};
}

/**
 * The start of a test that works as an admin: the account (made with the CLI), a server
 * logging to `log`, its API token, and a browser whose requests off this machine are noted
 * in `problems`.
 */
export async function startAsAdmin(user, log, problems) {
    const add = await ensureUser(user.username, user.password, 'admin');
    const server = await startServer({log});
    let token;
    try {
        token = await apiLogin(server.base, user);
    } catch (err) {
        throw new Error(`${err.message}\n\`user add\` said (exit ${add.code}): ${add.stderr || add.stdout}`);
    }
    const browser = await startBrowser();
    browser.context.on('request', req => { if (!isLocal(req.url())) problems.push(`external request ${req.url()}`); });
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    return {server, token, browser, page};
}
