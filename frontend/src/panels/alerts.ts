// The alerts list: projects with no progress for N days (停滞), projects whose pace misses their target date (滞后), and fund warnings (资金).
import {fetchAlerts} from '../api/cockpit';
import type {Alert} from '../api/types';
import {onLang, t, tMessage} from '../i18n';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';

export class AlertsPanel {
    readonly card = new Card('card.alerts', 'om-alerts');
    private list = el('ul', 'om-alert-list');
    private alerts: Alert[] = [];
    private generation = 0;

    constructor(private onProject?: (id: number) => void, private limit = Infinity, private only: (a: Alert) => boolean = () => true) {
        this.card.body.append(this.list);
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        try {
            const alerts = await fetchAlerts();
            if (generation !== this.generation) return;
            this.alerts = alerts.filter(this.only);
            this.card.setError(null);
            this.render();
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    private render(): void {
        this.card.setNote(this.alerts.length ? String(this.alerts.length) : '');
        const items = this.alerts.slice(0, this.limit).map(a => {
            const li = el('li', `om-alert om-alert-${a.kind}${a.level ? ` om-alert-${a.level}` : ''}`);
            const tag = el('span', 'om-alert-tag', a.kind === 'stalled' ? t('panels.stalled') : a.kind === 'funds' ? t('panels.funds') : t('common.behind'));
            const text = el('div', 'om-alert-text');
            // The messages start with the project's name, which is already in bold above them.
            const full = tMessage(a.message);
            const message = full.startsWith(a.project_name) ? full.slice(a.project_name.length).replace(/^[：:]\s*/, '') : full;
            text.append(el('strong', undefined, a.project_name), el('span', undefined, message));
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
    }
}
