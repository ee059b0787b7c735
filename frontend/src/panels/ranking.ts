// The ranking board (一周一通报): streets or projects (each with its stage's colour) by the week's signed gain within the selected region (city-wide rank beside), the move since last week, live or as of a past day.
import {fetchRankings, type Scope} from '../api/cockpit';
import type {RankRow, Rankings} from '../api/types';
import {fmtInt, fmtPct} from '../format';
import {onLang, t} from '../i18n';
import {PROJECT_STAGE} from '../map/palette';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';

type Level = 'street' | 'project';

export type RankingOptions = {
    /** How many rows to show (default all). */
    limit?: number;
    onStreet?: (code: string) => void;
    onProject?: (id: number) => void;
};

/**
 * "↑2", "↓1", "=" (unchanged), "新" (nothing signed last period, something now) or "—" (nothing
 * signed in either: no rank to compare), with a class for its colour; the legend says which is which.
 */
export function rankMove(row: RankRow): {text: string; cls: string; title: string} {
    if (row.previous_rank === null) {
        return row.new ? {text: t('panels.new'), cls: 'om-move-new', title: t('panels.not_ranked_last_period')}
            : {text: '—', cls: 'om-move-none', title: t('ranking.no_rank_either')};
    }
    const d = row.previous_rank - row.rank;
    const title = t('ranking.last_rank', {rank: row.previous_rank});
    if (d > 0) return {text: `↑${d}`, cls: 'om-move-up', title};
    if (d < 0) return {text: `↓${-d}`, cls: 'om-move-down', title};
    return {text: '=', cls: 'om-move-same', title};
}

export class RankingPanel {
    readonly card = new Card('card.ranking', 'om-ranking');
    private level: Level = 'street';
    private data: Rankings | null = null;
    private table = el('table', 'om-rank-table');
    private legend = el('p', 'om-rank-legend');
    /** Null until the screen says where and when. */
    private scope: Scope | null = null;
    private tabs = new Map<Level, HTMLButtonElement>();
    private generation = 0;
    private timer?: number;

    constructor(private opts: RankingOptions = {}) {
        for (const level of ['street', 'project'] as const) {
            const b = el('button', 'om-tab');
            b.type = 'button';
            b.addEventListener('click', () => {
                this.level = level;
                void this.reload();
            });
            this.tabs.set(level, b);
            this.card.tools.append(b);
        }
        this.card.body.append(this.table, this.legend);
        this.labelTabs();
        onLang(() => {
            this.labelTabs();
            this.render();
        });
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** Ranks within `scope.region` (null: the city) as of `scope.asOf` (null: now). */
    setScope(scope: Scope): void {
        if (this.scope && (scope.region ?? null) === (this.scope.region ?? null) && (scope.asOf ?? null) === (this.scope.asOf ?? null)) return;
        this.scope = {...scope};
        void this.reload();
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        this.labelTabs();
        try {
            const data = await fetchRankings(this.level, this.scope ?? {});
            if (generation !== this.generation) return;
            this.data = data;
            this.card.setError(null);
            this.render();
        } catch (err) {
            if (generation === this.generation) this.card.setError(() => failed(err));
        }
    }

    /** Gains move with every event; fetch again once a burst has passed. */
    soon(ms = 5000): void {
        if (this.scope?.asOf) return; // a past day does not change
        // At most one reload per `ms` however fast events come (a debounce would starve under a steady stream).
        this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, ms);
    }

    private labelTabs(): void {
        for (const [level, b] of this.tabs) {
            b.textContent = level === 'street' ? t('panels.ranking_streets') : t('panels.ranking_projects');
            b.setAttribute('aria-pressed', String(level === this.level));
        }
    }

    private render(): void {
        const d = this.data;
        if (!d) return;
        this.card.setNote(`${d.region ? `${d.region.name} · ` : ''}${d.from.slice(5)} ~ ${d.to.slice(5)}`);
        this.card.el.dataset.region = d.region?.code ?? '';
        this.card.el.dataset.asOf = d.as_of ?? '';
        const head = el('tr');
        for (const [key, cls] of [['ranking.column.rank', 'om-num'], [d.level === 'street' ? 'ranking.column.street' : 'ranking.column.project', ''],
            ['ranking.column.gain_signed', 'om-num'], ['ranking.column.last', 'om-num'], ['ranking.column.rate', 'om-num']] as const) {
            head.append(el('th', cls, t(key)));
        }
        const rows = d.rows.slice(0, this.opts.limit ?? Infinity);
        const body = rows.map(r => {
            const tr_ = el('tr');
            const move = rankMove(r);
            const moveCell = el('td', `om-num ${move.cls}`, move.text);
            moveCell.title = move.title;
            const name = el('td', 'om-rank-name', r.name);
            name.title = `${r.name} · ${t('panels.gain_vacated')} ${fmtInt(r.gain_vacated)} · ${t('panels.gain_demolished')} ${fmtInt(r.gain_demolished)}`;
            const stage = PROJECT_STAGE.find(s => s.value === r.stage);
            if (stage) {
                // a project's stage, in the map's stage colours, before its name
                const swatch = el('span', 'om-swatch om-rank-stage');
                swatch.style.background = stage.color;
                swatch.title = t(stage.key);
                name.prepend(swatch);
                name.title = `${t(stage.key)} · ${name.title}`;
                tr_.dataset.stage = stage.value;
            }
            const no = el('td', 'om-num om-rank-no', String(r.rank));
            if (d.region) {
                // the city-wide rank, small, beside the rank within the region
                no.append(el('small', 'om-rank-city', t('ranking.city_rank_short', {rank: r.city_rank})));
                no.title = t('ranking.city_rank', {rank: r.city_rank});
            }
            tr_.dataset.code = r.code ?? '';
            tr_.append(no, name, el('td', 'om-num om-gain', `+${fmtInt(r.gain_signed)}`), moveCell,
                el('td', 'om-num', fmtPct(r.sign_rate)));
            const pick = r.code && this.opts.onStreet ? () => this.opts.onStreet!(r.code!)
                : r.id !== undefined && this.opts.onProject ? () => this.opts.onProject!(r.id!) : null;
            if (pick) {
                tr_.classList.add('om-clickable');
                tr_.addEventListener('click', pick);
            }
            return tr_;
        });
        const thead = el('thead');
        thead.append(head);
        const tbody = el('tbody');
        tbody.append(...body);
        if (body.length === 0) {
            const empty = el('tr');
            const td = el('td', 'om-empty', t('panels.nothing_this_period'));
            td.colSpan = 5;
            empty.append(td);
            tbody.append(empty);
        }
        this.table.replaceChildren(thead, tbody);
        this.legend.textContent = d.region ? `${t('ranking.legend')} ${t('ranking.legend_city')}` : t('ranking.legend');
    }
}
