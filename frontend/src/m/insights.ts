// The phone view's cards under the figures: the 30-day trend (the cockpit's chart, small), the lagging projects of the scope (from /api/alerts, as the cockpit shows them) and the resettlement housing by 套型.
import {fetchTrend, type Target} from '../api/cockpit';
import type {Alert} from '../api/types';
import {codePrefix} from '../cockpit/drill';
import {TrendChart} from '../charts/trend';
import {AlertsPanel} from '../panels/alerts';
import {HousingPanel} from '../panels/housing';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';

/** Stalled and behind-target projects are the lagging ones; fund warnings stay on the desk. */
const lagging = (a: Alert) => a.kind === 'stalled' || a.kind === 'behind_target';

export class PhoneInsights {
    readonly trend = new Card('card.trend', 'om-m-trend');
    private chartBox = el('div', 'om-m-trend-chart');
    private chart: TrendChart;
    private scope: Target | null = null;
    readonly lagging: AlertsPanel;
    /** 安置房源 of the region (a project's: its region's), by 套型: a phone reads few rows. */
    readonly housing = new HousingPanel('type');
    private generation = 0;

    constructor(onProject: (id: number) => void) {
        this.trend.body.append(this.chartBox);
        this.chart = new TrendChart(this.chartBox);
        // the server decides what lags (pace against target, days without progress); the page only keeps the scope's own
        this.lagging = new AlertsPanel(onProject, 8, a => lagging(a) && this.inScope(a), 'card.lagging');
        this.lagging.el.classList.add('om-m-lagging');
    }

    get els(): HTMLElement[] {
        return [this.lagging.el, this.housing.el, this.trend.el];
    }

    private inScope(a: Alert): boolean {
        const s = this.scope;
        if (!s) return false;
        return s.kind === 'project' ? a.project_id === s.id : !!a.region_code && a.region_code.startsWith(codePrefix(s.code));
    }

    /** Loads the trend and the lagging projects of a region or project (none at the list of cities). */
    async show(scope: Target | null): Promise<void> {
        this.scope = scope;
        const generation = ++this.generation;
        for (const e of this.els) e.hidden = !scope;
        if (!scope) return;
        // the server keeps to a region's subtree; a project's own are kept here
        this.lagging.setScope({region: scope.kind === 'region' ? scope.code : null});
        this.lagging.refilter();
        this.housing.setRegion(scope.kind === 'region' ? scope.code : null);
        try {
            const trend = await fetchTrend(scope, 30);
            if (generation === this.generation) {
                this.trend.setError(null);
                this.chart.set(trend.days);
            }
        } catch (err) {
            if (generation === this.generation) this.trend.setError(failed(err));
        }
    }
}
