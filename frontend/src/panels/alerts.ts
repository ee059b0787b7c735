// The alerts list of the selected region: projects with no progress for N days (停滞), projects whose pace misses their target date (滞后), fund warnings (资金, live only), steps overdue (逾期) and legal windows closing (期限); live or as of a past day.
import {fetchAlerts, type Scope} from '../api/cockpit';
import type {Alert} from '../api/types';
import {onLang, t, tMessage, type MessageKey} from '../i18n';
import {Card, failed} from '../ui/card';
import {el, keepDatesWhole} from '../ui/dom';

/** The word on each kind's tag. */
const TAGS: Partial<Record<Alert['kind'], MessageKey>> = {
    stalled: 'panels.stalled', funds: 'panels.funds', step_overdue: 'panels.step_overdue', window_closing: 'panels.window_closing',
};

export class AlertsPanel {
    readonly card: Card;
    private list = el('ul', 'om-alert-list');
    private note = el('p', 'om-alert-note');
    /** The server's answer, and the part of it `only` keeps. */
    private fetched: Alert[] = [];
    private alerts: Alert[] = [];
    private generation = 0;
    /** Null until the screen says where and when. */
    private scope: Scope | null = null;
    private fundsIncluded = true;

    constructor(private onProject?: (id: number) => void, private limit = Infinity, private only: (a: Alert) => boolean = () => true, title: MessageKey = 'card.alerts') {
        this.card = new Card(title, 'om-alerts');
        this.card.body.append(this.list, this.note);
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** The alerts of `scope.region`'s projects (null: the city) as of `scope.asOf` (null: now). */
    setScope(scope: Scope): void {
        if (this.scope && (scope.region ?? null) === (this.scope.region ?? null) && (scope.asOf ?? null) === (this.scope.asOf ?? null)) return;
        this.scope = {...scope};
        void this.reload();
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        try {
            const answer = await fetchAlerts(this.scope ?? {});
            if (generation !== this.generation) return;
            this.fetched = answer.alerts;
            this.alerts = answer.alerts.filter(this.only);
            this.fundsIncluded = answer.funds_included;
            this.card.el.dataset.region = this.scope?.region ?? '';
            this.card.el.dataset.asOf = this.scope?.asOf ?? '';
            this.card.setError(null);
            this.render();
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    /** Shows the first `limit` alerts (the head still counts them all): the wall gives room to its other cards. */
    setLimit(limit: number): void {
        if (limit === this.limit) return;
        this.limit = limit;
        this.render();
    }

    /** Applies `only` again to the last answer (its condition changed, the scope did not). */
    refilter(): void {
        this.alerts = this.fetched.filter(this.only);
        this.render();
    }

    private render(): void {
        this.card.setNote(this.alerts.length ? String(this.alerts.length) : '');
        const items = this.alerts.slice(0, this.limit).map(a => {
            const li = el('li', `om-alert om-alert-${a.kind}${a.level ? ` om-alert-${a.level}` : ''}`);
            const tag = el('span', 'om-alert-tag', t(TAGS[a.kind] ?? 'common.behind'));
            const text = el('div', 'om-alert-text');
            // The messages start with the project's name, which is already in bold above them.
            const full = tMessage(a.message);
            const message = full.startsWith(a.project_name) ? full.slice(a.project_name.length).replace(/^[：:]\s*/, '') : full;
            const said = el('span');
            said.append(...keepDatesWhole(message));
            text.append(el('strong', undefined, a.project_name), said);
            li.append(tag, text);
            if (a.since) li.title = `${t('panels.since')} ${a.since}`;
            if (this.onProject) {
                li.classList.add('om-clickable');
                li.addEventListener('click', () => this.onProject?.(a.project_id));
            }
            return li;
        });
        if (items.length === 0) items.push(el('li', 'om-empty', t('panels.no_alerts')));
        this.list.replaceChildren(...items);
        this.note.textContent = this.fundsIncluded ? '' : t('asof.no_funds_alerts');
        this.note.hidden = this.fundsIncluded;
    }
}
