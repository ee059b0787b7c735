// The one HTTP client of every page: JSON reads and writes and multipart uploads against the app root, with the session cookie and the CSRF header; every refusal is an ApiError carrying the server's `{error, message}`.
import {zhText} from '../i18n';

/**
 * Each page names its way back to the root in `<meta name="onemap-root" content="../">` (the
 * cockpit: "./"), so the app keeps working behind a path prefix and from sub-pages alike.
 */
export function appUrl(path: string): string {
    const root = document.querySelector<HTMLMetaElement>('meta[name="onemap-root"]')?.content || './';
    return new URL(path, new URL(root, location.href)).href;
}

/**
 * A failed API call: the path, the HTTP status (0: unreachable), what the server said (`detail`:
 * its message, else the body's start; `said`: its JSON message or error only, '' when none) and,
 * for 429, how many seconds Retry-After asked to wait.
 */
export class ApiError extends Error {
    constructor(readonly path: string, readonly status: number, readonly detail = '', readonly said = '', readonly retryAfter: number | null = null) {
        super(`${path}: ${status ? `HTTP ${status}` : 'unreachable'}${detail ? ` ${detail}` : ''}`);
    }
}

/** The `message` (else `error`) of a `{"error", "message"}` body; '' when the body is not one. */
function serverSaid(body: string): string {
    try {
        const json = JSON.parse(body) as {message?: unknown; error?: unknown};
        if (typeof json.message === 'string' && json.message) return json.message;
        if (typeof json.error === 'string' && json.error) return json.error;
    } catch { /* not JSON */ }
    return '';
}

/** The ApiError for a refused answer (status ≥ 400), from its body text and headers. */
function refused(path: string, status: number, body: string, retryAfter: string | null): ApiError {
    const said = serverSaid(body);
    const wait = Number(retryAfter);
    return new ApiError(path, status, said || body.slice(0, 120), said, retryAfter && Number.isFinite(wait) && wait > 0 ? wait : null);
}

// A form on another site can send neither a JSON body nor this header; the server refuses writes without one of them.
const CSRF = {'X-Requested-With': 'onemap'};

/** The answer to `init` at `path`, if it is not a refusal; rejects with ApiError otherwise. */
async function request(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
        res = await fetch(appUrl(path), {credentials: 'same-origin', ...init});
    } catch {
        throw new ApiError(path, 0);
    }
    if (!res.ok) throw refused(path, res.status, await res.text().catch(() => ''), res.headers.get('retry-after'));
    return res;
}

async function call(path: string, init: RequestInit): Promise<unknown> {
    const text = await (await request(path, init)).text().catch(() => '');
    return text ? JSON.parse(text) : null;
}

/** GETs `path` (relative to the app root) and resolves with its JSON; rejects with ApiError. */
export const getJson = <T>(path: string): Promise<T> => call(path, {}) as Promise<T>;

/** Sends `body` as JSON; resolves with the JSON answer (or null for an empty one), rejects with ApiError on 4xx/5xx. */
export const sendJson = <T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> =>
    call(path, {method, headers: {'content-type': 'application/json', ...CSRF}, body: JSON.stringify(body)}) as Promise<T>;

/** POSTs `body` as JSON and resolves with the answer's bytes (a download: XLSX); rejects with ApiError on 4xx/5xx. */
export const sendForBlob = async (path: string, body: unknown): Promise<Blob> =>
    (await request(path, {method: 'POST', headers: {'content-type': 'application/json', ...CSRF}, body: JSON.stringify(body)})).blob();

/** Called as an upload goes: `sent` of `total` bytes (total 0 when the browser cannot tell). */
export type Progress = (sent: number, total: number) => void;

/**
 * POSTs `file` to `path` as multipart field `file` and resolves with the JSON answer; a 4xx/5xx
 * rejects with ApiError. XMLHttpRequest, because fetch() has no upload progress. `fields` go
 * before the file: a server reading the multipart stream in order (an attachment's `kind`) knows
 * them before the bytes arrive.
 */
export function uploadFile<T>(path: string, file: File, onProgress?: Progress, fields: Record<string, string> = {}): Promise<T> {
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', appUrl(path));
        for (const [name, value] of Object.entries(CSRF)) xhr.setRequestHeader(name, value);
        xhr.withCredentials = true;
        xhr.responseType = 'text';
        xhr.upload.addEventListener('progress', e => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0));
        xhr.addEventListener('load', () => {
            if (xhr.status < 200 || xhr.status >= 300) {
                reject(refused(path, xhr.status, xhr.responseText, xhr.getResponseHeader('retry-after')));
                return;
            }
            try {
                resolve(JSON.parse(xhr.responseText) as T);
            } catch {
                reject(new ApiError(path, xhr.status, 'not JSON'));
            }
        });
        xhr.addEventListener('error', () => reject(new ApiError(path, 0)));
        xhr.addEventListener('abort', () => reject(new ApiError(path, 0, 'aborted')));
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        form.append('file', file, file.name);
        xhr.send(form);
    });
}

/** "?a=1&b=2" from the parameters that have a value; "" when none has. */
export const q = (params: Record<string, string | number | null | undefined>) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') s.set(k, String(v));
    const text = s.toString();
    return text ? `?${text}` : '';
};

/**
 * What to tell a person about a failed call: the server's message when it sent one (it names the
 * field or rule), else a plain sentence for the status; never a stack of URLs.
 */
export function refusal(err: unknown): string {
    if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
    if (err.status === 0) return zhText('desk.refusal.offline');
    const said = err.detail ? zhText('desk.refusal.said', {detail: err.detail}) : '';
    switch (err.status) {
        case 401: return `${zhText('desk.refusal.401')}${said}`;
        case 403: return `${zhText('desk.refusal.403')}${said}`;
        case 404: return `${zhText('desk.refusal.404')}${said}`;
        case 409: return `${zhText('desk.refusal.409')}${said}`;
        case 413: return `${zhText('desk.refusal.413')}${said}`;
        case 429: return `${zhText('desk.refusal.429')}${said}`;
        default: return err.detail || zhText('desk.refusal.other', {status: err.status});
    }
}
