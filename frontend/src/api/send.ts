// Writes to the API with a JSON body (POST, PUT) and reads the JSON answer; refusals carry the server's own message.
import {appUrl} from './base';
import {ApiError, errorDetail} from './cockpit';

/** Sends `body` as JSON; resolves with the JSON answer (or null for an empty one), rejects with ApiError on 4xx/5xx. */
export async function sendJson<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
        res = await fetch(appUrl(path), {
            method,
            credentials: 'same-origin',
            headers: {'content-type': 'application/json'},
            body: JSON.stringify(body),
        });
    } catch {
        throw new ApiError(path, 0);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new ApiError(path, res.status, errorDetail(text));
    return (text ? JSON.parse(text) : null) as T;
}

/**
 * What to tell a person about a failed call: the server's message when it sent one (it names the
 * field or rule), else a plain sentence for the status; never a stack of URLs.
 */
export function refusal(err: unknown): string {
    if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
    if (err.status === 0) return '无法连接服务器，请检查网络后重试';
    const said = err.detail ? `：${err.detail}` : '';
    switch (err.status) {
        case 401: return `登录已过期，请刷新页面重新登录${said}`;
        case 403: return `当前账号无此权限${said}`;
        case 404: return `未找到${said}`;
        case 409: return `与现有数据冲突${said}`;
        case 413: return `文件过大${said}`;
        case 429: return `操作过于频繁，请稍后再试${said}`;
        default: return err.detail || `服务器错误（HTTP ${err.status}）`;
    }
}
