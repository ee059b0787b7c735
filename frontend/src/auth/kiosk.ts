// A display opened with ?kiosk=TOKEN logs in with the token; a refused token shows a full-screen notice (a wall has no keyboard for a login form).
import './auth.css';
import {ApiError} from '../api/client';
import {t} from '../i18n';
import {login, type User} from './api';

/** How long a display waits before asking an unreachable server again. */
const RETRY_MS = 15_000;

/** The full-screen notice over the page: what went wrong and what to do. */
function notice(key: 'auth.kiosk_invalid' | 'auth.kiosk_unreachable'): HTMLElement {
    const screen = document.querySelector<HTMLElement>('.om-kiosk-refused') ?? document.createElement('div');
    screen.className = 'om-kiosk-refused';
    screen.setAttribute('role', 'alert');
    screen.dataset.reason = key === 'auth.kiosk_invalid' ? 'invalid' : 'unreachable';
    const text = document.createElement('p');
    text.textContent = t(key);
    screen.replaceChildren(text);
    if (!screen.isConnected) document.body.append(screen);
    return screen;
}

/**
 * Logs in with the kiosk token. A server that cannot be reached is asked again every 15 s; a
 * token it refuses leaves the notice "令牌无效或已撤销，请联系管理员" on screen for good.
 */
export async function kioskLogin(token: string): Promise<User> {
    for (;;) {
        try {
            const user = await login({kiosk_token: token});
            document.querySelector('.om-kiosk-refused')?.remove();
            return user;
        } catch (err) {
            const unreachable = err instanceof ApiError && (err.status === 0 || err.status >= 500);
            notice(unreachable ? 'auth.kiosk_unreachable' : 'auth.kiosk_invalid');
            if (!unreachable) return new Promise<User>(() => {});
            await new Promise(r => window.setTimeout(r, RETRY_MS));
        }
    }
}
