// Entry point of the staff work desk (/desk/, 业务台): login, the project picker, and the tabs 户档 / 疑难个案 / 资金 / 申诉 / 信访 / 程序台账 / 工作组 / 安置房源 / 选房, routed by the URL hash.
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../ui/controls.css';
import './desk.css';
import type {User} from '../auth/api';
import {ensureSession} from '../auth/session';
import {userLine} from '../auth/userline';
import {refusal} from '../api/client';
import {zhText} from '../i18n';
import {el, errorLine} from '../ui/dom';
import {fetchProjects, type ProjectRef} from './api';
import {CasesTab} from './cases';
import {FundsTab} from './funds';
import {GroupsTab} from './groups';
import {HouseholdsTab} from './households';
import {HousingTab} from './housing';
import {ObjectionsTab} from './objections';
import {PetitionsTab} from './petitions';
import {ProcedureTab} from './procedure';
import {SelectionTab} from './selection';
import {TABS, go, parseRoute, type Tab} from './route';

declare global {
    interface Window {
        /** The signed-in user, and whether the first route was drawn: for the browser tests. */
        __desk?: {user: User; ready: boolean};
    }
}

/** The projects an operator works on are those of their region subtree (codes nest: 430702 ⊃ 430702001). */
function visibleProjects(all: ProjectRef[], user: User): ProjectRef[] {
    const mine = user.role === 'operator' && user.region_code ? all.filter(p => p.region_code?.startsWith(user.region_code!)) : all;
    return [...mine].sort((a, b) => a.code.localeCompare(b.code));
}

async function start(): Promise<void> {
    const user = await ensureSession(null);
    const app = document.getElementById('app')!;
    window.__desk = {user, ready: false};

    const bar = el('header', 'dk-top');
    const brand = el('div', 'dk-brand', zhText('desk.main.brand'));
    brand.append(el('small', undefined, zhText('common.onemap')));
    const tabs = el('nav', 'dk-tabs');
    tabs.setAttribute('aria-label', zhText('desk.main.tabs'));
    const tabButtons = TABS.map(t => {
        const b = el('button', 'dk-tab', t.zh);
        b.type = 'button';
        b.dataset.tab = t.key;
        b.addEventListener('click', () => go({tab: t.key}));
        return b;
    });
    tabs.append(...tabButtons);
    const picker = el('select', 'om-input dk-project');
    picker.name = 'project';
    picker.setAttribute('aria-label', zhText('desk.common.project'));
    bar.append(brand, tabs, picker, userLine(user));
    const main = el('main', 'dk-main');
    app.append(bar, main);

    if (user.role === 'viewer') {
        main.append(el('p', 'dk-denied', zhText('desk.main.view_only', {user: user.username})));
        return;
    }
    let projects: ProjectRef[];
    try {
        projects = visibleProjects(await fetchProjects(), user);
    } catch (err) {
        main.append(errorLine(zhText('desk.main.projects_failed', {reason: refusal(err)})));
        return;
    }
    if (projects.length === 0) {
        main.append(el('p', 'dk-denied', zhText('desk.main.no_projects')));
        return;
    }
    for (const p of projects) picker.append(new Option(`${p.name}（${p.code}）`, p.code));
    picker.addEventListener('change', () => go({project: picker.value, household: null}));

    const views: Record<Tab, {el: HTMLElement; show: (project: string, household: number | null) => void}> = {
        households: new HouseholdsTab(user),
        cases: new CasesTab(user),
        funds: new FundsTab(user),
        objections: new ObjectionsTab(user),
        petitions: new PetitionsTab(user),
        procedure: new ProcedureTab(user),
        groups: new GroupsTab(user),
        housing: new HousingTab(user),
        selection: new SelectionTab(user),
    };
    for (const [key, v] of Object.entries(views)) {
        v.el.classList.add('dk-view');
        v.el.dataset.view = key;
        main.append(v.el);
    }

    const route = () => {
        const r = parseRoute(location.hash);
        const project = r.project && projects.some(p => p.code === r.project) ? r.project : projects[0].code;
        if (project !== r.project) {
            history.replaceState(null, '', `#${r.tab}/${encodeURIComponent(project)}`);
            return route();
        }
        picker.value = project;
        for (const b of tabButtons) b.setAttribute('aria-pressed', String(b.dataset.tab === r.tab));
        for (const [key, v] of Object.entries(views)) v.el.hidden = key !== r.tab;
        const name = projects.find(p => p.code === project)?.name ?? project;
        document.title = zhText('desk.main.title', {tab: TABS.find(t => t.key === r.tab)?.zh ?? r.tab, project: name});
        views[r.tab].show(project, r.household);
    };
    window.addEventListener('hashchange', route);
    route();
    window.__desk.ready = true;
}

start().catch(err => {
    console.error('onemap desk failed to start:', err);
    document.getElementById('app')?.append(errorLine(zhText('desk.main.start_failed', {reason: refusal(err)})));
});
