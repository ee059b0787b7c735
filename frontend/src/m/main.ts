// Entry point of the leader's phone view (/m/): login, then one list page per region or project, routed by the URL hash, live.
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../procedure/timeline.css';
import './m.css';
import {defaultDistrict, fetchTopRegions} from '../api/districts';
import {ensureSession} from '../auth/session';
import {userLine} from '../auth/userline';
import {readConfig} from '../config';
import {langSwitch, onLang, t} from '../i18n';
import {startLive} from '../live/index';
import {el} from '../ui/dom';
import {PhonePage, parseRoute, routeHash} from './page';
import {mayWrite} from '../status/steps';
import type {FieldScreen} from './field';
import {fieldTabs} from './field-tabs';

async function start(): Promise<void> {
    const config = readConfig();
    const user = await ensureSession(config.kiosk);
    const top = await fetchTopRegions().catch(() => []);
    const app = document.getElementById('app')!;

    const bar = el('header', 'om-m-top');
    const brand = el('div', 'om-m-brand');
    const renderBrand = () => brand.replaceChildren(t('m.progress'), el('small', undefined, t('common.onemap')));
    renderBrand();
    onLang(renderBrand);
    bar.append(brand, langSwitch());
    const page = new PhonePage(top);
    const foot = el('footer', 'om-m-foot');
    foot.append(userLine(user));
    app.append(bar, page.el, foot);
    // Writers also get the field screen (#field), an operator first; its map loads only when opened.
    let field: FieldScreen | null = null;
    const writer = mayWrite(user);
    const showField = async (): Promise<boolean> => {
        const on = writer && location.hash.startsWith('#field');
        page.el.hidden = on;
        if (field) field.el.hidden = !on;
        if (on && !field) {
            field = new (await import('./field')).FieldScreen(user);
            page.el.after(field.el);
        }
        return on;
    };
    if (!location.hash && user.role === 'operator') history.replaceState(null, '', '#field');
    if (writer) bar.after(fieldTabs());

    const fallback = config.region ?? defaultDistrict(top.filter(d => d.level === 'district'), null)?.code ?? user.region_code;
    const go = async () => {
        if (await showField()) return;
        const route = parseRoute(location.hash) ?? (fallback ? {kind: 'region' as const, code: fallback} : {kind: 'root' as const});
        window.scrollTo(0, 0);
        void page.show(route);
    };
    window.addEventListener('hashchange', () => void go());
    onLang(() => void page.show(page.route));
    if (!parseRoute(location.hash) && !location.hash.startsWith('#field') && fallback) history.replaceState(null, '', routeHash({kind: 'region', code: fallback}));
    void go();
    startLive(null, {heartbeat: config.heartbeat, kiosk: config.kiosk, onStatus: ev => { page.apply(ev); field?.apply(ev); }, onResync: () => void page.show(page.route)});
}

start().catch(err => console.error('onemap phone view failed to start:', err));
