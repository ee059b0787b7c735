// The gauges panel of the cockpit: the current selection's figures with definitions, live or as of the screen's past day.
import {fetchFigures, type Target} from '../api/cockpit';
import type {StatusEvent} from '../live/types';
import {t} from '../i18n';
import {Card, failed} from '../ui/card';
import {FiguresView} from './figures-view';
import {patchFigures} from './live-figures';

/** After a live event, the figures the event does not carry are fetched again this much later (events come in bursts). */
const RELOAD_AFTER_EVENT_MS = 1500;

export class FiguresPanel {
    readonly card = new Card('card.figures', 'om-gauges');
    readonly view = new FiguresView({definitions: true});
    private target: Target | null = null;
    private asOf: string | null = null;
    private generation = 0;
    private timer?: number;

    constructor() {
        this.card.body.append(this.view.el);
    }

    /** Shows the figures as they stood at the end of a past day (null: live); the screen's time bar sets it. */
    setAsOf(day: string | null): void {
        if (day === this.asOf) return;
        this.asOf = day;
        void this.reload();
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** Shows another selection; `name` is shown until its figures arrive. */
    async set(target: Target, name = ''): Promise<void> {
        this.target = target;
        this.card.el.dataset.scopeKind = target.kind;
        this.card.el.dataset.scopeCode = target.kind === 'region' ? target.code : String(target.id);
        this.card.setNote(name);
        await this.reload();
    }

    /** Fetches the selection's figures again, unless a newer request or live event overtook it. */
    async reload(): Promise<void> {
        const target = this.target;
        if (!target) return;
        const generation = ++this.generation;
        try {
            const doc = await fetchFigures(target, this.asOf);
            if (generation !== this.generation) return;
            this.card.setError(null);
            this.card.setNote(doc.scope.name + (doc.as_of ? ` · ${t('panels.as_of')} ${doc.as_of}` : ''));
            this.card.el.dataset.scopeName = doc.scope.name;
            this.card.el.dataset.asOf = doc.as_of ?? '';
            this.view.show(doc);
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    /** Shows a live event's counts at once, and the rest of the figures a moment later. */
    apply(ev: StatusEvent): void {
        const doc = this.view.current;
        if (!doc || !patchFigures(doc, ev)) return;
        this.generation++; // an older request in flight would show pre-event counts
        this.view.show(doc);
        // At most one reload per interval however fast events come (a debounce would starve under a steady stream).
        this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, RELOAD_AFTER_EVENT_MS);
    }
}
