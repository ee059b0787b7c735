// The 疑难个案 panel of the cockpit and the wall: open, overdue and escalated cases of the scope (city, region or project), by category and by group; counts only, read again on every case event (overdue flagged live).
import {fetchCaseSummary, type CaseSummary} from '../desk/cases-api';
import {fmtInt} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';

const SOON_MS = 800;

export class CasesPanel {
    readonly card = new Card('card.cases', 'om-cases');
    private stats = el('div', 'om-case-stats');
    private categories = el('table', 'om-case-table');
    private groups = el('table', 'om-case-table');
    private data: CaseSummary | null = null;
    private scope: {project?: string; region?: string} = {};
    private generation = 0;
    private timer?: number;

    private chips = el('ul', 'om-case-chips');

    /** `groupRows`: how many groups to list; `compact` (the wall): categories as a two-column list of "name open/overdue", no groups. */
    constructor(private groupRows = 5, private compact = false) {
        this.card.body.append(this.stats, ...(compact ? [this.chips] : [this.categories, this.groups]));
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** The scope: a project's code, a region's code, or neither (the city). */
    setScope(scope: {project?: string; region?: string}): void {
        if (JSON.stringify(scope) === JSON.stringify(this.scope) && this.data) return;
        this.scope = scope;
        void this.reload();
    }

    /** A case event arrived: read again shortly (several at once are read once). */
    soon(): void {
        window.clearTimeout(this.timer);
        this.timer = window.setTimeout(() => void this.reload(), SOON_MS);
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        try {
            const data = await fetchCaseSummary(this.scope);
            if (generation !== this.generation) return;
            this.data = data;
            this.card.setError(null);
            this.render();
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    private render(): void {
        const d = this.data;
        if (!d) return;
        this.card.el.dataset.open = String(d.open);
        this.card.el.dataset.overdue = String(d.overdue);
        const stat = (key: MessageKey, value: number, tone: string) => {
            const s = el('div', `om-case-stat om-case-${tone}`);
            s.dataset.stat = tone;
            s.append(el('strong', undefined, fmtInt(value)), el('span', undefined, t(key)));
            return s;
        };
        this.stats.replaceChildren(stat('cases.open', d.open, 'open'), stat('cases.overdue', d.overdue, d.overdue > 0 ? 'overdue' : 'none'),
            stat('cases.escalated', d.escalated, 'escalated'));
        const head = (first: MessageKey) => {
            const tr = el('tr');
            tr.append(el('th', undefined, t(first)), el('th', undefined, t('cases.open')), el('th', undefined, t('cases.overdue')));
            return tr;
        };
        const row = (name: string, open: number, overdue: number) => {
            const tr = el('tr');
            tr.dataset.overdue = String(overdue > 0);
            tr.append(el('td', undefined, name), el('td', undefined, fmtInt(open)), el('td', 'om-case-late', overdue ? fmtInt(overdue) : '—'));
            return tr;
        };
        if (this.compact) {
            this.chips.replaceChildren(...d.by_category.filter(c => c.open > 0).map(c => {
                const li = el('li');
                li.dataset.overdue = String(c.overdue > 0);
                li.append(el('span', undefined, t(`case.category.${c.key}` as MessageKey)), el('b', undefined, fmtInt(c.open)),
                    el('b', 'om-case-late', c.overdue ? fmtInt(c.overdue) : '—'));
                return li;
            }));
            return;
        }
        this.categories.replaceChildren(head('cases.by_category'),
            ...d.by_category.filter(c => c.open > 0).map(c => row(t(`case.category.${c.key}` as MessageKey), c.open, c.overdue)));
        const groups = d.by_group.slice(0, this.groupRows);
        this.groups.hidden = groups.length === 0;
        this.groups.replaceChildren(head('cases.by_group'), ...groups.map(g => row(`${g.name} · ${g.project_name}`, g.open, g.overdue)));
    }
}
