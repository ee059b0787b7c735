// Helpers for the browser tests: start the onemap binary on a free loopback port and a headless Debian Chromium.
import {execFileSync, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = path.join(REPO, 'tests/browser/out');

// playwright-core is a devDependency of frontend/, not of the repository root.
const require = createRequire(path.join(REPO, 'frontend/package.json'));
const {chromium} = require('playwright-core');

/** A port nobody listens on right now: bind port 0, read it, close, reuse. */
export async function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const {port} = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/** The onemap binary the tests run: $ONEMAP_BIN, default target/debug/onemap (relative to the repository). */
export function onemapBin() {
    const bin = path.resolve(REPO, process.env.ONEMAP_BIN ?? 'target/debug/onemap');
    if (!existsSync(bin)) throw new Error(`onemap binary not found at ${bin} (set ONEMAP_BIN)`);
    return bin;
}

/** A fresh kiosk token per run: wall displays log in with `?kiosk=TOKEN`, and so do the tests. */
export const KIOSK_TOKEN = `browser-test-${randomBytes(12).toString('hex')}`;

/**
 * Where a server's output goes: out/{log}.log; under scripts/test (ONEMAP_TEST_LOGS set) the
 * suite's log directory instead, this process's file beside the database's names and ID numbers
 * (tests/logs/personal.sql), which the suite's log privacy check (tests/logs/privacy.sh) looks for.
 */
function serverLogPath(logName) {
    const dir = process.env.ONEMAP_TEST_LOGS;
    if (!dir) return path.join(OUT, `${logName}.log`);
    mkdirSync(dir, {recursive: true});
    const name = path.join(dir, `browser-${logName}-${process.pid}`);
    const url = process.env.PSQL_URL ?? process.env.DATABASE_URL;
    const personal = execFileSync(process.env.PSQL ?? 'psql', [url, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-f', path.join(REPO, 'tests/logs/personal.sql')]);
    writeFileSync(`${name}.personal`, personal);
    return `${name}.log`;
}

/**
 * Starts `$ONEMAP_BIN serve --kiosk-token KIOSK_TOKEN` and resolves once /healthz answers 200;
 * its output goes to out/{log}.log or the suite's log directory (`serverLogPath`; appended, so a
 * restart keeps the first run's lines). `port` restarts a server on the port a stopped one used.
 */
export async function startServer({timeoutMs = 60_000, port = null, log: logName = 'server'} = {}) {
    const bin = onemapBin();
    if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
    if (!existsSync(path.join(REPO, 'frontend/dist/index.html'))) {
        throw new Error('frontend/dist is missing: run `npm run build` in frontend/ first');
    }
    mkdirSync(OUT, {recursive: true});
    port ??= await freePort();
    const base = `http://127.0.0.1:${port}`;
    const logPath = serverLogPath(logName);
    const log = createWriteStream(logPath, {flags: 'a'});
    const args = ['serve', '--bind', `127.0.0.1:${port}`, '--frontend', 'frontend/dist', '--kiosk-token', KIOSK_TOKEN];
    const child = spawn(bin, args, {
        cwd: REPO, env: process.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    let exited = null;
    child.on('exit', (code, signal) => { exited = {code, signal}; });

    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (exited) throw new Error(`onemap exited early (${JSON.stringify(exited)}); see ${logPath}`);
        try {
            const res = await fetch(`${base}/healthz`);
            if (res.status === 200) break;
        } catch { /* not listening yet */ }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error(`onemap did not answer /healthz within ${timeoutMs} ms`);
        }
        await new Promise(r => setTimeout(r, 250));
    }

    const stop = async () => {
        if (exited) return;
        const gone = new Promise(r => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
    };
    return {base, port, stop};
}

const CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** A fresh headless Chromium profile at 1600×1000 (`options` add to or override the context's: `timezoneId`); `close()` also removes the profile. */
export async function startBrowser(options = {}) {
    const profile = mkdtempSync(path.join(tmpdir(), 'onemap-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: {width: 1600, height: 1000},
        locale: 'zh-CN',
        ...options,
    });
    const close = async () => {
        await context.close().catch(() => {});
        rmSync(profile, {recursive: true, force: true});
    };
    return {context, close};
}

/** True for URLs that stay on this machine (or never touch the network at all). */
export function isLocal(url) {
    const u = new URL(url);
    if (['data:', 'blob:', 'about:', 'chrome:', 'chrome-extension:'].includes(u.protocol)) return true;
    return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname) || u.hostname.startsWith('127.');
}
