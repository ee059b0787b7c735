// The one HTTP client of every page: JSON reads and writes and multipart uploads against the app root, with the session cookie and the CSRF header; every refusal is an ApiError carrying the server's `{error, code, values, message}`, and refusal() words it for people.
import {inLang, getLang, type Value} from '../i18n';

/**
 * Each page names its way back to the root in `<meta name="onemap-root" content="../">` (the
 * cockpit: "./"), so the app keeps working behind a path prefix and from sub-pages alike.
 */
export function appUrl(path: string): string {
    const root = document.querySelector<HTMLMetaElement>('meta[name="onemap-root"]')?.content || './';
    return new URL(path, new URL(root, location.href)).href;
}

/** The values of an error's sentence, by slot (docs/errors.md). */
export type ErrorValues = Record<string, Value>;

/**
 * A failed API call: the path, the HTTP status (0: unreachable), what the server said (`detail`:
 * its message, else the body's start; `said`: its JSON message or error only, '' when none),
 * for 429 how many seconds Retry-After asked to wait, and the answer's stable `code` with the
 * `values` of its sentence (docs/errors.md; '' and {} when the answer had none). The Error's
 * own message (path and status) is for the console, never for people: refusal() words it.
 */
export class ApiError extends Error {
    constructor(readonly path: string, readonly status: number, readonly detail = '', readonly said = '', readonly retryAfter: number | null = null,
                readonly code = '', readonly values: ErrorValues = {}, readonly body = '') {
        super(`${path}: ${status ? `HTTP ${status}` : 'unreachable'}${detail ? ` ${detail}` : ''}`);
    }
}

type ErrorBody = {message?: unknown; error?: unknown; code?: unknown; values?: unknown};

/** The `message` (else `error`), `code` and `values` of an error body; empty when the body is not one. */
function serverSaid(body: string): {said: string; code: string; values: ErrorValues} {
    let json: ErrorBody = {};
    try {
        const parsed = JSON.parse(body) as unknown;
        if (parsed && typeof parsed === 'object') json = parsed;
    } catch { /* not JSON */ }
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const values = json.values && typeof json.values === 'object' ? json.values as ErrorValues : {};
    return {said: text(json.message) || text(json.error), code: text(json.code), values};
}

/** The ApiError for a refused answer (status ≥ 400), from its body text and headers. */
function refused(path: string, status: number, body: string, retryAfter: string | null): ApiError {
    const {said, code, values} = serverSaid(body);
    const wait = Number(retryAfter);
    return new ApiError(path, status, said || body.slice(0, 120), said, retryAfter && Number.isFinite(wait) && wait > 0 ? wait : null, code, values, body);
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
export const sendJson = <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<T> =>
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

/** The class code of an HTTP status, as the server names it (the sentence when the answer named no code of its own). */
function classOf(status: number): string {
    const named: Record<number, string> = {
        400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 408: 'timeout',
        409: 'conflict', 413: 'too_large', 415: 'unsupported_media_type', 422: 'unprocessable', 429: 'too_many_requests',
    };
    return named[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** The dictionary's word for `value` under `prefix` (`error.subject.` + building → 房屋), else the value itself. */
function worded(l: 'zh' | 'en', prefix: string, value: Value): Value {
    if (typeof value !== 'string') return value;
    const key = `${prefix}${value}`;
    const text = inLang(l, key);
    return text === key ? value : text;
}

/** A field's label: `payments[2].yuan` reads as the label of `yuan`, when the dictionary has one. */
const fieldLabel = (l: 'zh' | 'en', field: Value): Value =>
    typeof field === 'string' ? worded(l, 'error.field.', field.replace(/\[\d+\]/g, '').split('.').pop() ?? field) : field;

/**
 * The sentence of error `code` with its `values`, in the page's language (Chinese on the zh-only
 * desk and public pages); null when the dictionary has no sentence for the code or a slot stays
 * empty. Subjects, statuses, fields, gates and steps' states are worded too. Import reports word their rows with it.
 */
export function errorSentence(code: string, values: ErrorValues = {}): string | null {
    const l = getLang();
    const key = `error.${code}`;
    const filled: ErrorValues = {
        ...values,
        subject: worded(l, 'error.subject.', values.subject ?? null),
        status: worded(l, 'category.building_status.', values.status ?? null),
        field: fieldLabel(l, values.field ?? null),
        // a procedure gate's refusal: the gate and the step's state
        gate: worded(l, 'gates.gate.', values.gate ?? null),
        state: worded(l, 'gates.state.', values.state ?? null),
    };
    const text = inLang(l, key, filled);
    return text === key || /\{\w+\}/.test(text) ? null : text;
}

/**
 * What to tell a person about any failure: the sentence of the answer's code in the page's
 * language, else its status class's; never a path, an HTTP status or a library's words in
 * Chinese. In English, a refused field (`invalid_field`) adds the server's message, which says
 * what is wrong with it.
 */
export function refusal(err: unknown): string {
    if (!(err instanceof ApiError)) return errorSentence('unexpected') ?? String(err);
    if (err.status === 0) return errorSentence('offline') ?? '';
    const general = classOf(err.status);
    const values = err.retryAfter && err.values.retry_after === undefined ? {...err.values, retry_after: err.retryAfter} : err.values;
    const sentence = (err.code && errorSentence(err.code, values)) || errorSentence(general, values) || errorSentence('unexpected') || '';
    // the server's own English names what is wrong with the field; only a field's refusal adds it
    return getLang() === 'en' && err.code === 'invalid_field' && err.said ? `${sentence} (${err.said})` : sentence;
}
