// Makes sure the page has a session before anything else is fetched: kiosk token, existing cookie, or the form.
import {fetchMe, login, loginRefusal, type User} from './api';
import {t} from '../i18n';
import {askForLogin} from './form';

/**
 * A wall display opened with `?kiosk=TOKEN` logs in silently (and again whenever the session
 * lapses); anyone else reuses the session cookie or is asked for a name and password.
 */
export async function ensureSession(kiosk: string | null): Promise<User> {
    if (kiosk) {
        try {
            return await login({kiosk_token: kiosk});
        } catch (err) {
            const why = loginRefusal(err);
            return askForLogin(`${t('auth.kiosk_refused')}: ${why}`);
        }
    }
    const me = await fetchMe().catch(() => null);
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
