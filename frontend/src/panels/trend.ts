// The cockpit's trend panel: daily signed / vacated / demolished over the 30 days up to today (or the past day shown) for the current selection.
import {fetchTrend, type Target} from '../api/cockpit';
import {TrendChart} from '../charts/trend';
import {onLang} from '../i18n';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';

const DAYS = 30;

export class TrendPanel {
    readonly card = new Card('card.trend', 'om-trend');
    private chart: TrendChart;
    private target: Target | null = null;
    private asOf: string | null = null;
    private generation = 0;
    private timer?: number;

    constructor() {
        const box = el('div', 'om-trend-chart');
        this.card.body.append(box);
        this.chart = new TrendChart(box);
        onLang(() => this.chart.redraw());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    async set(target: Target, name: string): Promise<void> {
        this.target = target;
        this.card.setNote(name);
        await this.reload();
    }

    /** Ends the trend at a past day (null: today). */
    setAsOf(day: string | null): void {
        if (day === this.asOf) return;
        this.asOf = day;
        void this.reload();
    }

    async reload(): Promise<void> {
        if (!this.target) return;
        const generation = ++this.generation;
        try {
            const trend = await fetchTrend(this.target, DAYS, this.asOf);
            this.card.el.dataset.asOf = trend.as_of ?? '';
            this.card.el.dataset.lastDay = trend.days.at(-1)?.date ?? '';
            if (generation !== this.generation) return;
            this.card.setError(null);
            this.chart.set(trend.days);
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    /** Today's bar grows with the events: fetch again once a burst of them has passed. */
    soon(ms = 3000): void {
        if (this.asOf) return; // a past day does not change
        // At most one reload per `ms` however fast events come (a debounce would starve under a steady stream).
        this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, ms);
    }
}
