// The work groups' ranking as a small board (the wall's today, the phone's week): rank, group ("项目 · 第一工作组"), the period's signed gain and the move since the previous period; no person's name.
import './ranking.css';
import {fmtInt} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import {rankMove} from '../panels/ranking';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';
import {fetchGroupRankings, type GroupRankings, type Period} from './api';

export type GroupRankingOptions = {period: Period; limit: number; title: MessageKey; className: string};
export type GroupScope = {region?: string | null; project?: string | null; asOf?: string | null};

const GAIN: Record<Period, MessageKey> = {day: 'groups.ranking.gain_day', week: 'groups.ranking.gain_week', month: 'groups.ranking.gain_month'};

export class GroupRankingPanel {
    readonly card: Card;
    private table = el('table', 'om-rank-table om-group-rank');
    private data: GroupRankings | null = null;
    private scope: GroupScope | null = null;
    private generation = 0;
    private timer?: number;

    constructor(private opts: GroupRankingOptions) {
        this.card = new Card(opts.title, `om-group-ranking ${opts.className}`);
        this.card.body.append(this.table);
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** Ranks the groups of a project, or of a region's projects, as of a past day (null: now). */
    setScope(scope: GroupScope): void {
        const same = (k: keyof GroupScope) => (scope[k] ?? null) === (this.scope?.[k] ?? null);
        if (this.scope && same('region') && same('project') && same('asOf')) return;
        this.scope = {...scope};
        void this.reload();
    }

    async reload(): Promise<void> {
        if (!this.scope) return;
        const generation = ++this.generation;
        try {
            const data = await fetchGroupRankings({...this.scope, period: this.opts.period});
            if (generation !== this.generation) return;
            this.data = data;
            this.card.setError(null);
            this.render();
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    /** Gains move with status events: read again at most once per `ms` however fast they come (a debounce would starve under a steady stream). */
    soon(ms: number): void {
        if (this.scope?.asOf) return; // a past day does not change
        this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, ms);
    }

    private render(): void {
        const d = this.data;
        if (!d) return;
        this.card.setNote(d.from === d.to ? d.to.slice(5) : `${d.from.slice(5)} ~ ${d.to.slice(5)}`);
        this.card.el.dataset.asOf = d.as_of ?? '';
        const head = el('tr');
        for (const [key, cls] of [['ranking.column.rank', 'om-num'], ['groups.ranking.group', ''], [GAIN[this.opts.period], 'om-num'], ['ranking.column.last', 'om-num']] as const) {
            head.append(el('th', cls, t(key)));
        }
        const rows = d.rows.slice(0, this.opts.limit).map(r => {
            const tr = el('tr');
            tr.dataset.group = String(r.id ?? r.code ?? '');
            const move = rankMove(r);
            const moveCell = el('td', `om-num ${move.cls}`, move.text);
            moveCell.title = move.title;
            // "项目简称 · 第一工作组": the group's own name always whole, the project's cut when the column is narrow
            const name = el('td', 'om-rank-name');
            const parts = el('span', 'om-group-rank-name');
            const cut = r.name.lastIndexOf(' · ');
            if (cut > 0) parts.append(el('span', 'om-group-rank-project', r.name.slice(0, cut)), el('span', 'om-group-rank-group', r.name.slice(cut + 3)));
            else parts.append(el('span', 'om-group-rank-group', r.name));
            name.append(parts);
            name.title = `${r.name} · ${t('groups.ranking.gain_surveyed')} ${fmtInt(r.gain_surveyed)} · ${t('panels.gain_vacated')} ${fmtInt(r.gain_vacated)}`;
            tr.append(el('td', 'om-num om-rank-no', String(r.rank)), name, el('td', 'om-num om-gain', `+${fmtInt(r.gain_signed)}`), moveCell);
            return tr;
        });
        const thead = el('thead');
        thead.append(head);
        const tbody = el('tbody');
        tbody.append(...rows);
        if (!rows.length) {
            const td = el('td', 'om-empty', t('panels.nothing_this_period'));
            td.colSpan = 4;
            const empty = el('tr');
            empty.append(td);
            tbody.append(empty);
        }
        this.table.replaceChildren(thead, tbody);
    }
}
