// The session endpoints: who am I (/api/me), log in (password or kiosk token), log out. The cookie does the rest.
import {ApiError, getJson, refusal, sendJson} from '../api/client';

export type Role = 'admin' | 'operator' | 'planner' | 'viewer';
export type User = {username: string; role: Role; region_code: string | null};

export type Credentials = {username: string; password: string} | {kiosk_token: string};

/** The logged-in user, or null when there is no valid session (401). */
export async function fetchMe(): Promise<User | null> {
    try {
        return await getJson<User>('api/me');
    } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
    }
}

/** Logs in; the server answers with a session cookie that every later request carries. Rejects with ApiError. */
export async function login(credentials: Credentials): Promise<User> {
    const body = await sendJson<{user?: User} | null>('POST', 'api/login', credentials);
    if (!body?.user) throw new ApiError('api/login', 200);
    return body.user;
}

/** Why a login failed, for the form: wrong password, locked out for so many minutes … in the page's language. */
export const loginRefusal = refusal;

export async function logout(): Promise<void> {
    // every write is JSON (the server refuses bare posts: a cookie alone must not be enough)
    await sendJson('POST', 'api/logout', {}).catch(() => {});
}
