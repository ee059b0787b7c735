// The header panel's user line: who is logged in, in which role, and a link to log out.
import {inLang} from '../i18n';
import {ROLE_ZH, logout, type User} from './api';

export function userLine(user: User): HTMLElement {
    const line = document.createElement('div');
    line.className = 'om-user';
    const name = document.createElement('span');
    name.className = 'om-user-name';
    name.textContent = user.username;
    name.title = `${ROLE_ZH[user.role] ?? user.role} ${user.role}${user.region_code ? ` · ${user.region_code}` : ''}`;
    const role = document.createElement('small');
    role.textContent = ROLE_ZH[user.role] ?? user.role;
    const out = document.createElement('a');
    out.href = '#';
    out.className = 'om-logout';
    out.innerHTML = `${inLang('zh', 'auth.logout')} <small>${inLang('en', 'auth.logout')}</small>`;
    out.addEventListener('click', e => void (async () => {
        e.preventDefault();
        await logout();
        // Reloading without the kiosk token shows the login form. (Replacing the URL by itself
        // would only move to its #fragment, without a reload.)
        const url = new URL(location.href);
        if (!url.searchParams.has('kiosk')) return location.reload();
        url.searchParams.delete('kiosk');
        location.replace(url.href);
    })());
    line.append(name, role, out);
    return line;
}
