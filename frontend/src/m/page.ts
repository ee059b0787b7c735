// One screen of the phone view: breadcrumb, the selection's key figures (target date included), its lagging projects and trend, all figures with definitions, then sub-regions and projects.
import {fetchChildren, fetchFigures, fetchRegion, type Target} from '../api/cockpit';
import type {District} from '../api/districts';
import type {Children, RegionRef} from '../api/types';
import {t} from '../i18n';
import type {StatusEvent} from '../live/types';
import {ChildrenPanel} from '../panels/children';
import {FiguresView} from '../panels/figures-view';
import {patchFigures} from '../panels/live-figures';
import {failed} from '../ui/card';
import {el, errorLine} from '../ui/dom';
import {PhoneInsights} from './insights';
import {summary} from '../procedure/panel';
import {fetchProcedure, Timeline} from '../procedure/timeline';
import {GroupRankingPanel} from '../groups/ranking';

const KEY_FIGURES = ['vacate_rate', 'demolish_rate', 'pace_7d', 'projected_completion', 'target_date', 'difficult', 'monetary_rate'];

export type Route = {kind: 'root'} | {kind: 'region'; code: string} | {kind: 'project'; id: number};

export const routeHash = (r: Route): string => (r.kind === 'region' ? `#r/${r.code}` : r.kind === 'project' ? `#p/${r.id}` : '#all');

export function parseRoute(hash: string): Route | null {
    const m = /^#(r|p)\/(\w+)$/.exec(hash);
    if (hash === '#all') return {kind: 'root'};
    if (!m) return null;
    return m[1] === 'r' ? {kind: 'region', code: m[2]} : {kind: 'project', id: Number(m[2])};
}

export class PhonePage {
    readonly el = el('div', 'om-m-page');
    private crumbs = el('nav', 'om-m-crumbs');
    private title = el('h1', 'om-m-title');
    private key = new FiguresView({keys: KEY_FIGURES, definitions: true});
    private all = new FiguresView({definitions: true});
    private allBox = el('details', 'om-m-all');
    private allSummary = el('summary');
    private status = el('div');
    // regions without households fold away under the projects: a leader looks for projects, not empty streets
    private list = new ChildrenPanel({
        onRegion: row => { location.hash = routeHash({kind: 'region', code: row.code}); },
        onProject: row => { location.hash = routeHash({kind: 'project', id: row.id}); },
    }, {foldEmpty: true});
    private insights = new PhoneInsights(id => { location.hash = routeHash({kind: 'project', id}); });
    // a project's procedure, the compact timeline: one 48 px line per step, tapped for its basis and documents
    private procedure = el('section', 'om-m-procedure');
    private procedureLine = el('p', 'om-tl-summary');
    private timeline = new Timeline(t, {compact: true});
    private procedureTitle = el('h2');
    // a project's work groups ranked on the week's signing (small: a leader glances at it)
    private groups = new GroupRankingPanel({period: 'week', limit: 8, title: 'groups.ranking.title_week', className: 'om-m-groups'});
    private generation = 0;
    private timer?: number;
    route: Route = {kind: 'root'};

    constructor(private top: District[]) {
        const hero = el('section', 'om-m-hero');
        hero.append(this.title, this.status, this.key.el);
        this.allBox.append(this.allSummary, this.all.el);
        this.procedure.append(this.procedureTitle, this.procedureLine, this.timeline.el);
        this.procedure.hidden = true;
        this.groups.el.hidden = true;
        this.el.append(this.crumbs, hero, this.groups.el, this.procedure, ...this.insights.els, this.allBox, this.list.el);
    }

    private async showProcedure(code: string, generation: number): Promise<void> {
        this.procedureTitle.textContent = t('timeline.title');
        try {
            const doc = await fetchProcedure(code);
            if (generation !== this.generation) return;
            this.procedureLine.textContent = summary(doc, t);
            this.timeline.show(doc);
            this.procedure.hidden = false;
            this.procedure.dataset.project = code;
        } catch (err) {
            if (generation === this.generation) this.procedureLine.replaceChildren(errorLine(failed(err)));
        }
    }

    async show(route: Route): Promise<void> {
        this.route = route;
        const generation = ++this.generation;
        this.allSummary.textContent = t('m.all_figures_and_definitions');
        this.status.replaceChildren();
        if (route.kind !== 'project') this.procedure.hidden = true;
        this.groups.el.hidden = route.kind !== 'project';
        if (route.kind === 'root') {
            this.title.textContent = t('m.all_cities');
            this.renderCrumbs([], null);
            this.el.classList.add('om-m-root');
            const cities = this.top.filter(d => d.level === 'city');
            const children: Children = {region: {code: '', name: '', level: 'city', parent_code: null}, projects: [],
                children: cities.map(c => ({code: c.code, name: c.name, level: 'city', households: c.households, signed: c.signed, sign_rate: c.sign_rate, projects: c.projects}))};
            this.list.show(children, 'root');
            void this.insights.show(null);
            return;
        }
        this.el.classList.remove('om-m-root');
        const target: Target = route.kind === 'region' ? {kind: 'region', code: route.code} : {kind: 'project', id: route.id};
        void this.insights.show(target);
        try {
            const doc = await fetchFigures(target);
            if (generation !== this.generation) return;
            this.title.textContent = doc.scope.name;
            document.title = `${doc.scope.name} · ${t('m.progress')}`;
            this.key.show(doc);
            this.all.show(structuredClone(doc));
            if (route.kind === 'project') {
                void this.showProcedure(doc.scope.code, generation);
                this.groups.setScope({project: doc.scope.code});
            }
            const regionCode = route.kind === 'region' ? route.code : doc.scope.parent_code;
            if (!regionCode) return;
            const [info, children] = await Promise.all([fetchRegion(regionCode), route.kind === 'region' ? fetchChildren(regionCode) : null]);
            if (generation !== this.generation) return;
            const path = info.path[info.path.length - 1]?.code === info.code ? info.path : [...info.path, {code: info.code, name: info.name, level: info.level}];
            this.renderCrumbs(path, route.kind === 'project' ? doc.scope.name : null);
            if (children) this.list.show(children, info.level);
            this.list.el.hidden = !children;
        } catch (err) {
            if (generation === this.generation) this.status.replaceChildren(errorLine(failed(err)));
        }
    }

    /** Live counts for the shown scope and its rows; the rest a moment later. */
    apply(ev: StatusEvent): void {
        this.list.apply(ev);
        if (this.route.kind === 'project' && ev.project_id === this.route.id) this.groups.soon(5000);
        const doc = this.key.current;
        if (doc && patchFigures(doc, ev)) {
            this.key.show(doc);
            // At most one reload per 2 s however fast events come (a debounce would starve under a steady stream).
            this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.show(this.route); }, 2000);
        }
    }

    private renderCrumbs(path: RegionRef[], last: string | null): void {
        const items: HTMLElement[] = [];
        const link = (label: string, hash: string) => {
            const a = el('a', undefined, label);
            a.href = hash;
            return a;
        };
        items.push(link(t('common.all'), '#all'));
        path.forEach((r, i) => items.push(i === path.length - 1 && !last ? el('span', 'om-m-here', r.name) : link(r.name, routeHash({kind: 'region', code: r.code}))));
        if (last) items.push(el('span', 'om-m-here', last));
        if (path.length === 0 && !last) items[0] = el('span', 'om-m-here', t('common.all'));
        this.crumbs.replaceChildren(...items);
    }
}
