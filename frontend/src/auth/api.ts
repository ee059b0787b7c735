// The session endpoints: who am I (/api/me), log in (password or kiosk token), log out. The cookie does the rest.
import {appUrl} from '../api/base';

export type Role = 'admin' | 'operator' | 'planner' | 'viewer';
export type User = {username: string; role: Role; region_code: string | null};

export type Credentials = {username: string; password: string} | {kiosk_token: string};

/** A refused login or an unreachable server, with the server's message when it sent one. */
export class LoginError extends Error {
    constructor(message: string, readonly status: number) {
        super(message);
    }
}

export const ROLE_ZH: Record<Role, string> = {admin: '管理员', operator: '操作员', planner: '规划', viewer: '查看'};

/** The logged-in user, or null when there is no valid session (401). */
export async function fetchMe(): Promise<User | null> {
    const res = await fetch(appUrl('api/me'), {credentials: 'same-origin'});
    if (res.status === 401) return null;
    if (!res.ok) throw new Error(`api/me: HTTP ${res.status}`);
    return (await res.json()) as User;
}

/** Logs in; the server answers with a session cookie that every later request carries. */
export async function login(credentials: Credentials): Promise<User> {
    let res: Response;
    try {
        res = await fetch(appUrl('api/login'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'content-type': 'application/json'},
            body: JSON.stringify(credentials),
        });
    } catch {
        throw new LoginError('无法连接服务器 · server unreachable', 0);
    }
    const body = (await res.json().catch(() => ({}))) as {user?: User; message?: string; error?: string};
    if (!res.ok || !body.user) {
        const fallback = res.status === 401 ? '用户名或密码错误 · wrong user name or password' : `HTTP ${res.status}`;
        throw new LoginError(body.message ?? body.error ?? fallback, res.status);
    }
    return body.user;
}

export async function logout(): Promise<void> {
    // every write is JSON (the server refuses bare posts: a cookie alone must not be enough)
    await fetch(appUrl('api/logout'), {method: 'POST', credentials: 'same-origin', headers: {'content-type': 'application/json'}, body: '{}'}).catch(() => {});
}
