// Creates the cockpit's panels in their docks and keeps them on the current selection and on the screen's one time (live or a past day).
import type {Target} from '../api/cockpit';
import {fetchRecentEvents} from '../api/cockpit';
import {onLang, t, type MessageKey} from '../i18n';
import {TickerControl} from '../live/ticker';
import type {CaseEvent, ProcedureEvent, StatusEvent} from '../live/types';
import {AlertsPanel} from '../panels/alerts';
import {CasesPanel} from '../panels/cases';
import {ChildrenPanel} from '../panels/children';
import {FiguresPanel} from '../panels/figures';
import {HousingPanel} from '../panels/housing';
import {RankingPanel} from '../panels/ranking';
import {TrendPanel} from '../panels/trend';
import {ProcedurePanel} from '../procedure/panel';
import type {AsOf} from '../ui/asof';
import {failed} from '../ui/card';
import {el} from '../ui/dom';
import type {Drill, DrillView} from './drill';
import type {Layout} from './layout';

const ALERTS_EVERY_MS = 60_000;
const RANKINGS_EVERY_MS = 300_000;

export class CockpitPanels {
    readonly figures = new FiguresPanel();
    readonly children: ChildrenPanel;
    readonly ranking: RankingPanel;
    readonly alerts: AlertsPanel;
    readonly trend = new TrendPanel();
    readonly cases = new CasesPanel();
    readonly housing = new HousingPanel('estate');
    readonly ticker = new TickerControl(6);
    readonly timeline = new ProcedurePanel();
    private procedureOf: string | null = null;
    private shown = '';
    private shownName = '';

    constructor(layout: Layout, drill: Drill, private asOf: AsOf) {
        this.children = new ChildrenPanel({
            onRegion: row => void drill.region(row.code, row.name),
            onProject: row => void drill.project(row.id, row),
        });
        this.ranking = new RankingPanel({limit: 10, onStreet: code => void drill.region(code), onProject: id => void drill.project(id)});
        this.alerts = new AlertsPanel(id => void drill.project(id), 8);
        layout.docks.left.append(this.figures.el, this.children.el);
        const tickerEl = this.ticker.onAdd();
        tickerEl.classList.add('om-card');
        layout.docks.right.append(this.ranking.el, this.cases.el, this.housing.el, this.alerts.el, tickerEl);
        layout.docks.bottom.append(this.trend.el, this.timeline.el);
        // the bottom dock shows the trend or, taller, the selected project's procedure
        const flip = (key: MessageKey, show: boolean) => {
            const b = el('button', 'om-btn om-btn-quiet om-tl-flip');
            b.type = 'button';
            b.dataset.showProcedure = String(show);
            const label = () => { b.textContent = t(key); };
            label();
            onLang(label);
            b.addEventListener('click', () => document.body.classList.toggle('om-show-procedure', show));
            return b;
        };
        this.trend.card.tools.append(flip('timeline.show', true));
        this.timeline.card.tools.append(flip('timeline.show_trend', false));
        void this.timeline.set(null, '');
    }

    /** The procedure card follows a selected project once its code is known (from its region's list). */
    private follow(v: DrillView): void {
        const s = v.selection;
        const code = s.kind === 'project' ? v.children?.projects.find(p => p.id === s.id)?.code ?? null : null;
        if (s.kind === 'project' && !code) return;
        // the cases panel shows the selected project's cases, else its region's (scope())
        if (code) this.cases.setScope({project: code});
        else if (this.procedureOf) this.cases.setScope(this.region ? {region: this.region} : {});
        if (code === this.procedureOf) return;
        this.procedureOf = code;
        void this.timeline.set(code, s.kind === 'project' ? s.name : '');
    }

    /** Keeps the rankings and alerts fresh while live, and the ticker filled; follows the day shown. */
    start(): void {
        window.setInterval(() => { if (this.asOf.live) void this.alerts.reload(); }, ALERTS_EVERY_MS);
        window.setInterval(() => { if (this.asOf.live) void this.ranking.reload(); }, RANKINGS_EVERY_MS);
        this.asOf.onChange(day => {
            this.figures.setAsOf(day);
            this.trend.setAsOf(day);
            this.scope(this.region);
        });
        this.figures.setAsOf(this.asOf.day);
        this.trend.setAsOf(this.asOf.day);
        fetchRecentEvents(20)
            .then(events => [...events].reverse().forEach(ev => this.ticker.add(ev)))
            .catch(err => console.warn('recent events unavailable:', err));
    }

    /** The region rankings and alerts keep to (null: the city). */
    private region: string | null = null;

    private scope(region: string | null): void {
        this.region = region;
        this.ranking.setScope({region, asOf: this.asOf.day});
        this.alerts.setScope({region, asOf: this.asOf.day});
        this.cases.setScope(region ? {region} : {});
        this.housing.setRegion(region ?? null);
    }

    /** Follows the drill-down: the list at once, figures and trend when the selection itself changed. */
    show(v: DrillView): void {
        // rankings and alerts keep to the selected region; a project keeps its region's
        if (v.selection.kind === 'region') this.scope(v.selection.code);
        else if (v.selection.kind === 'root') this.scope(null);
        if (v.children) this.children.show(v.children, v.listLevel, v.selection.kind === 'project' ? v.selection.id : null);
        else if (v.error) this.children.error(failed(v.error));
        this.follow(v);
        const s = v.selection;
        const target: Target | null = s.kind === 'region' ? {kind: 'region', code: s.code} : s.kind === 'project' ? {kind: 'project', id: s.id} : null;
        const key = JSON.stringify(target);
        const name = s.kind === 'root' ? '' : s.name;
        // the same selection named at last (`?project=70` is "#70" until its figures arrive)
        if (key === this.shown && name !== this.shownName) [this.figures.card, this.trend.card].forEach(card => card.setNote(name));
        this.shownName = name;
        if (key === this.shown) return;
        this.shown = key;
        if (target) {
            void this.figures.set(target, name);
            void this.trend.set(target, name);
        } else {
            this.figures.card.setError(t('cockpit.pick_scope'));
            this.trend.card.setError(t('cockpit.pick_scope'));
            this.figures.card.setNote('');
        }
    }

    status(ev: StatusEvent): void {
        this.ticker.add(ev);
        if (!this.asOf.live) return; // a past day does not change: the ticker alone stays live
        this.figures.apply(ev);
        this.children.apply(ev);
        this.trend.soon();
        this.ranking.soon();
    }

    /** A procedure step changed: the ticker says so; the ranking's stages, the alerts and the shown timeline are read again. */
    procedure(ev: ProcedureEvent): void {
        this.ticker.addProcedure(ev);
        if (!this.asOf.live) return;
        if (ev.project_code === this.procedureOf) void this.timeline.set(ev.project_code, ev.project_name);
        this.ranking.soon();
        void this.alerts.reload();
    }

    /** A 疑难个案 changed (opened, escalated past its deadline, closed): the panel and the alerts are read again. */
    case(ev: CaseEvent): void {
        this.cases.soon();
        if (!this.asOf.live) return;
        void this.figures.reload();
        if (ev.kind !== 'conference') void this.alerts.reload();
    }

    /** After the feed may have missed events: everything that events change. */
    resync(): void {
        if (!this.asOf.live) return;
        void this.figures.reload();
        void this.trend.reload();
        void this.ranking.reload();
        void this.cases.reload();
    }
}
