// The 安置房源 panel of the cockpit, the wall and the phone: units by status across the scope's estates (a stacked bar and counts), days to deliver against plan, one row per estate (or per 套型), and the households still to choose against the units left per 套型 (shortfalls red); the wall's compact card keeps the bar and counts; re-read shortly after unit events.
import {fmtInt} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';
import {STATUSES, fetchHousingFigures, type HousingCounts, type HousingFigures, type TypeDemand} from '../housing/api';
import '../housing/housing.css';

const SOON_MS = 800;

const statusName = (s: string) => t(`housing.status.${s}` as MessageKey);

/** A bar split by status, widths by share of all units. */
function stackedBar(c: HousingCounts): HTMLElement {
    const bar = el('div', 'hs-bar');
    for (const s of STATUSES) {
        if (!c[s]) continue;
        const part = el('span', `hs-${s}`);
        part.style.flexGrow = String(c[s]);
        part.title = `${statusName(s)} ${c[s]}`;
        bar.append(part);
    }
    return bar;
}

export class HousingPanel {
    readonly card = new Card('card.housing', 'om-housing');
    private totals = el('div', 'hs-totals');
    private rows = el('table', 'hs-figures');
    private demand = el('table', 'hs-figures hs-demand');
    private data: HousingFigures | null = null;
    private region: string | null = null;
    private generation = 0;
    private timer?: number;

    /** The compact card was shown (the region has estates) or hidden: the wall makes room for it. */
    onShown?: (shown: boolean) => void;

    /** A row's click opens that estate (the cockpit's drawer); rows are plain without it. */
    onEstate?: (code: string) => void;

    /** `by`: a row per estate (the cockpit) or per 套型 (the phone); `compact` (the wall, whose shortfalls are among its alerts): the bar and the counts only, hidden while the region has no estate. */
    constructor(private by: 'estate' | 'type' | 'compact' = 'estate') {
        this.card.body.append(...(by === 'compact' ? [this.totals] : [this.totals, this.rows, this.demand]));
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    setRegion(region: string | null): void {
        if (region === this.region && this.data) return;
        this.region = region;
        void this.reload();
    }

    /** A unit changed somewhere: read again shortly (several at once are read once). */
    soon(): void {
        window.clearTimeout(this.timer);
        this.timer = window.setTimeout(() => void this.reload(), SOON_MS);
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        try {
            const data = await fetchHousingFigures(this.region);
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
        const n = d.totals;
        this.card.setNote(t('housing.panel.note', {estates: n.estates, units: fmtInt(n.units)}));
        const chips = el('div', 'hs-legend');
        // the wall's line has room for three: what is left, what is chosen (selected or contracted), what is handed over
        const counted: [string, string, number][] = this.by === 'compact'
            ? [['available', statusName('available'), n.available], ['selected', t('housing.panel.chosen'), n.selected + n.contracted],
                ['delivered', statusName('delivered'), n.delivered]]
            : STATUSES.map(s => [s, statusName(s), n[s]]);
        for (const [s, name, count] of counted) {
            const item = el('span', 'hs-legend-item');
            item.dataset.status = s;
            item.append(el('i', `hs-swatch hs-${s}`), `${name} `, el('b', undefined, fmtInt(count)));
            chips.append(item);
        }
        const days = el('p', 'hs-days', n.days_to_deliver === null ? t('housing.panel.no_deliveries')
            : t('housing.panel.days', {days: n.days_to_deliver, late: n.late_days ?? 0}));
        if (n.overdue > 0) days.append(el('strong', 'hs-overdue', t('housing.panel.overdue', {count: fmtInt(n.overdue)})));
        if (this.by === 'compact') {
            // the head's note is the late deliveries only (the chips count the units); days to deliver stay on the cockpit
            this.card.setNote(n.overdue > 0 ? t('housing.panel.overdue', {count: fmtInt(n.overdue)}) : '');
            this.totals.replaceChildren(stackedBar(n), chips);
            this.card.el.hidden = n.estates === 0;
            this.onShown?.(!this.card.el.hidden);
            return;
        }
        this.totals.replaceChildren(stackedBar(n), chips, days);
        const head = this.rows.createTHead();
        head.replaceChildren();
        const hr = head.insertRow();
        for (const k of [this.by === 'estate' ? 'housing.panel.estate' : 'housing.panel.type', 'housing.status.available',
            'housing.panel.chosen', 'housing.status.delivered', 'housing.panel.days_short'] as MessageKey[]) hr.append(el('th', undefined, t(k)));
        const body = this.rows.tBodies[0] ?? this.rows.createTBody();
        body.replaceChildren();
        const list = this.by === 'estate' ? d.estates.map(e => ({key: e.code, name: e.name, c: e, days: e.days_to_deliver}))
            : d.types.map(x => ({key: x.code, name: `${x.code} ${x.name} ${x.area}㎡`, c: x, days: x.days_to_deliver}));
        for (const r of list) {
            const row = body.insertRow();
            row.dataset.code = r.key;
            const name = el('td', 'hs-name');
            name.append(r.name, stackedBar(r.c));
            row.append(name, el('td', undefined, fmtInt(r.c.available)), el('td', undefined, fmtInt(r.c.selected + r.c.contracted)),
                el('td', undefined, fmtInt(r.c.delivered)), el('td', undefined, r.days === null ? '—' : String(r.days)));
            if (this.onEstate && this.by === 'estate') {
                row.tabIndex = 0;
                row.classList.add('hs-clickable');
                row.addEventListener('click', () => this.onEstate?.(r.key));
                row.addEventListener('keydown', e => { if (e.key === 'Enter') this.onEstate?.(r.key); });
            }
        }
        this.renderDemand(d.demand ?? []);
    }

    /** Demand against supply per 套型: only types someone still wants or that have units left. */
    private renderDemand(types: TypeDemand[]): void {
        const shown = types.filter(x => x.demand > 0 || x.supply > 0);
        this.demand.hidden = shown.length === 0;
        const caption = this.demand.createCaption();
        caption.textContent = t('housing.panel.demand_title');
        const head = this.demand.tHead ?? this.demand.createTHead();
        head.replaceChildren();
        const hr = head.insertRow();
        for (const k of ['housing.panel.type', 'housing.panel.demand', 'housing.panel.supply', 'housing.panel.shortfall'] as MessageKey[]) {
            hr.append(el('th', undefined, t(k)));
        }
        const body = this.demand.tBodies[0] ?? this.demand.createTBody();
        body.replaceChildren();
        for (const x of shown) {
            const row = body.insertRow();
            row.dataset.type = `${x.name}|${x.area}`;
            if (x.shortfall > 0) row.classList.add('hs-short');
            row.append(el('td', 'hs-name', `${x.name} ${x.area}㎡`), el('td', undefined, fmtInt(x.demand)),
                el('td', undefined, fmtInt(x.supply)), el('td', undefined, x.shortfall > 0 ? fmtInt(x.shortfall) : '—'));
        }
    }
}
