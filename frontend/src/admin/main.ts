// Entry point of the admin page (/admin/, 系统管理, admins only): tabs routed by the URL hash — 用户 / 大屏令牌 / 审计日志 / 信息公开 / 补偿标准 / 程序模板 / 节假日 / 程序闸门 / 结案归档 — in Chinese, or English with the 中/EN switch.
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../ui/controls.css';
import '../desk/desk.css';
import './admin.css';
import type {User} from '../auth/api';
import {ensureSession} from '../auth/session';
import {userLine} from '../auth/userline';
import {langSwitch, onLang, t, type MessageKey} from '../i18n';
import {el, errorLine} from '../ui/dom';
import {AuditTab} from './audit';
import {CalendarTab} from './calendar';
import {CloseoutTab} from './closeout';
import {DisclosuresTab} from './disclosures';
import {GatesTab} from './gates';
import {KioskTab} from './kiosk';
import {StandardTab} from './standard';
import {TemplatesTab} from './templates';
import {UsersTab} from './users';

declare global {
    interface Window {
        /** The signed-in user, and whether the first tab was drawn: for the browser tests. */
        __admin?: {user: User; ready: boolean};
    }
}

type TabKey = 'users' | 'kiosk' | 'audit' | 'disclosures' | 'standard' | 'templates' | 'calendar' | 'gates' | 'closeout';
const TABS: {key: TabKey; label: MessageKey}[] = [
    {key: 'users', label: 'admin.tab.users'},
    {key: 'kiosk', label: 'admin.tab.kiosk'},
    {key: 'audit', label: 'admin.tab.audit'},
    {key: 'disclosures', label: 'admin.tab.disclosures'},
    {key: 'standard', label: 'admin.tab.standard'},
    {key: 'templates', label: 'admin.tab.templates'},
    {key: 'calendar', label: 'admin.tab.calendar'},
    {key: 'gates', label: 'admin.tab.gates'},
    {key: 'closeout', label: 'admin.tab.closeout'},
];

/** A tab's view: drawn on first show, and again on every visit (fresh data). `arg`: what follows the tab in the hash (a project code). */
export type View = {el: HTMLElement; show: (arg: string | null) => void};

/** "#standard/P001" → {tab: 'standard', arg: 'P001'}; anything else is the users tab. */
function parseHash(hash: string): {tab: TabKey; arg: string | null} {
    const [tab, ...rest] = hash.replace(/^#\/?/, '').split('/');
    const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
    return {tab: TABS.some(x => x.key === tab) ? (tab as TabKey) : 'users', arg: arg || null};
}

function build(app: HTMLElement, user: User): void {
    const bar = el('header', 'dk-top');
    const brand = el('div', 'dk-brand', t('admin.brand'));
    brand.append(el('small', undefined, t('common.onemap')));
    const tabs = el('nav', 'dk-tabs ad-tabs');
    tabs.setAttribute('aria-label', t('admin.tabs'));
    const buttons = TABS.map(x => {
        const b = el('button', 'dk-tab', t(x.label));
        b.type = 'button';
        b.dataset.tab = x.key;
        b.addEventListener('click', () => { location.hash = `#${x.key}`; });
        return b;
    });
    const isAdmin = user.role === 'admin';
    // anyone else sees the refusal only, not tabs that would lead nowhere
    if (isAdmin) tabs.append(...buttons);
    const home = el('a', 'ad-home', t('admin.to_cockpit'));
    home.href = '../';
    bar.append(brand, tabs, home, langSwitch(), userLine(user, false));
    const main = el('main', 'dk-main ad-main');
    app.replaceChildren(bar, main);
    document.title = `${t('admin.brand')} · ${t('common.onemap')}`;

    if (!isAdmin) {
        main.append(el('p', 'dk-denied', t('admin.denied', {user: user.username})));
        return;
    }
    const views: Record<TabKey, View> = {
        users: new UsersTab(),
        kiosk: new KioskTab(),
        audit: new AuditTab(),
        disclosures: new DisclosuresTab('disclosures'),
        standard: new StandardTab('standard'),
        templates: new TemplatesTab(),
        calendar: new CalendarTab(),
        gates: new GatesTab('gates'),
        closeout: new CloseoutTab('closeout'),
    };
    for (const [key, v] of Object.entries(views)) {
        v.el.classList.add('dk-view');
        v.el.dataset.view = key;
        main.append(v.el);
    }
    const route = () => {
        const r = parseHash(location.hash);
        for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.tab === r.tab));
        for (const [key, v] of Object.entries(views)) v.el.hidden = key !== r.tab;
        views[r.tab].show(r.arg);
    };
    window.onhashchange = route;
    route();
}

async function start(): Promise<void> {
    const user = await ensureSession(null);
    const app = document.getElementById('app')!;
    window.__admin = {user, ready: false};
    build(app, user);
    // the whole page is redrawn in the other language (the tab's data is fetched again)
    onLang(() => build(app, user));
    window.__admin.ready = true;
}

start().catch(err => {
    console.error('onemap admin failed to start:', err);
    document.getElementById('app')?.append(errorLine(t('admin.start_failed', {reason: err instanceof Error ? err.message : String(err)})));
});
