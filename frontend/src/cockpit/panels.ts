// Creates the cockpit's panels in their docks and keeps them on the current selection and live.
import type {Target} from '../api/cockpit';
import {fetchRecentEvents} from '../api/cockpit';
import {t} from '../i18n';
import {TickerControl} from '../live/ticker';
import type {StatusEvent} from '../live/types';
import {AlertsPanel} from '../panels/alerts';
import {ChildrenPanel} from '../panels/children';
import {FiguresPanel} from '../panels/figures';
import {RankingPanel} from '../panels/ranking';
import {TrendPanel} from '../panels/trend';
import {failed} from '../ui/card';
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
    readonly ticker = new TickerControl(6);
    private shown = '';

    constructor(layout: Layout, drill: Drill) {
        this.children = new ChildrenPanel({
            onRegion: row => void drill.region(row.code, row.name),
            onProject: row => void drill.project(row.id, row),
        });
        this.ranking = new RankingPanel({limit: 10, onStreet: code => void drill.region(code), onProject: id => void drill.project(id)});
        this.alerts = new AlertsPanel(id => void drill.project(id), 8);
        layout.docks.left.append(this.figures.el, this.children.el);
        const tickerEl = this.ticker.onAdd();
        tickerEl.classList.add('om-card');
        layout.docks.right.append(this.ranking.el, this.alerts.el, tickerEl);
        layout.docks.bottom.append(this.trend.el);
    }

    /** Loads what does not depend on the selection, and keeps it fresh. */
    start(): void {
        void this.ranking.reload();
        void this.alerts.reload();
        window.setInterval(() => void this.alerts.reload(), ALERTS_EVERY_MS);
        window.setInterval(() => void this.ranking.reload(), RANKINGS_EVERY_MS);
        fetchRecentEvents(20)
            .then(events => [...events].reverse().forEach(ev => this.ticker.add(ev)))
            .catch(err => console.warn('recent events unavailable:', err));
    }

    /** Follows the drill-down: the list at once, figures and trend when the selection itself changed. */
    show(v: DrillView): void {
        if (v.children) this.children.show(v.children, v.listLevel, v.selection.kind === 'project' ? v.selection.id : null);
        else if (v.error) this.children.error(failed(v.error));
        const s = v.selection;
        const target: Target | null = s.kind === 'region' ? {kind: 'region', code: s.code} : s.kind === 'project' ? {kind: 'project', id: s.id} : null;
        const key = JSON.stringify(target);
        if (key === this.shown) return;
        this.shown = key;
        if (target) {
            const name = s.kind === 'root' ? '' : s.name;
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
        this.figures.apply(ev);
        this.children.apply(ev);
        this.trend.soon();
        this.ranking.soon();
    }

    /** After the feed may have missed events: everything that events change. */
    resync(): void {
        void this.figures.reload();
        void this.trend.reload();
        void this.ranking.reload();
    }
}
