// Makes sure the page has a session before anything else is fetched: kiosk token, existing cookie, or the form.
import {fetchMe, login, type User} from './api';
import {askForLogin} from './form';
import {kioskLogin} from './kiosk';
import {loadSite} from '../site';

/**
 * A wall display opened with `?kiosk=TOKEN` logs in silently (and again whenever the session
 * lapses) or shows why it cannot; anyone else reuses the session cookie or is asked for a name and password.
 */
export async function ensureSession(kiosk: string | null): Promise<User> {
    // the city's time zone is read alongside: every page times nothing before it has a session
    const site = loadSite();
    if (kiosk) return Promise.all([kioskLogin(kiosk), site]).then(([user]) => user);
    const [me] = await Promise.all([fetchMe().catch(() => null), site]);
    return me ?? askForLogin();
}

/**
 * After the live feed was refused: true when the session is fine or could be renewed without a
 * person (kiosk); false when someone has to log in again.
 */
export async function renewSession(kiosk: string | null): Promise<boolean> {
    const me = await fetchMe().catch(() => undefined);
    if (me !== null) return true; // valid, or the server is unreachable: nothing to renew
    if (!kiosk) return false;
    return login({kiosk_token: kiosk}).then(() => true, () => false);
}
