// The header panel's user line: who is logged in, in which role, for an admin a link to the admin page (系统管理), and a link to log out.
import {appUrl} from '../api/client';
import {onLang, t, type MessageKey} from '../i18n';
import {logout, type User} from './api';

/** `adminLink`: false on the admin page itself. */
export function userLine(user: User, adminLink = true): HTMLElement {
    const line = document.createElement('div');
    line.className = 'om-user';
    const name = document.createElement('span');
    name.className = 'om-user-name';
    name.textContent = user.username;
    const role = document.createElement('small');
    const out = document.createElement('a');
    out.href = '#';
    out.className = 'om-logout';
    // one language at a time, the page's (the desk and the public page: Chinese)
    const words = () => {
        const roleName = t(`role.${user.role}` as MessageKey);
        name.title = `${roleName}${user.region_code ? ` · ${user.region_code}` : ''}`;
        role.textContent = roleName;
        out.textContent = t('auth.logout');
    };
    words();
    onLang(words);
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
    line.append(name, role);
    if (adminLink && user.role === 'admin') {
        const admin = document.createElement('a');
        admin.className = 'om-admin-link';
        admin.href = appUrl('admin/');
        const label = () => { admin.textContent = t('admin.link'); };
        label();
        onLang(label);
        line.append(admin);
    }
    line.append(out);
    return line;
}
