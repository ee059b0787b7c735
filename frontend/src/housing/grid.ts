// The 楼盘表: one building's floors (rows, top floor first, the floor column sticky) × units (columns, 单元-室), each cell coloured by status, with a legend that counts the estate's units by status, the estate's 套型 (with their floor plans), building tabs, and live recolouring from unit events.
import './housing.css';
import {t, type MessageKey} from '../i18n';
import {el} from '../ui/dom';
import {STATUSES, floorPlanUrl, type EstateGrid, type GridBuilding, type UnitEvent, type UnitRow, type UnitStatus} from './api';

/** Where a cell sits: its element and the unit's row (status kept current). */
type Cell = {td: HTMLTableCellElement; unit: UnitRow; building: string};

export type GridOptions = {
    /** A unit was clicked (the desk opens its status form). */
    pick?: (unit: UnitRow, building: string) => void;
};

const ID = 0, ENTRANCE = 1, FLOOR = 2, ROOM = 3, TYPE = 4, AREA = 5, STATUS = 6;

/** The room's position on its floor: "1203" → "03" (the column heading under its 单元). */
const position = (u: UnitRow) => u[ROOM].slice(-2);

export class UnitGrid {
    readonly el = el('section', 'hs-grid');
    private legend = el('div', 'hs-legend');
    private types = el('div', 'hs-types');
    private tabs = el('div', 'hs-tabs');
    private caption = el('p', 'hs-caption');
    private body = el('div', 'hs-scroll');
    private cells = new Map<number, Cell>();
    private grid?: EstateGrid;
    private shown = 0;

    constructor(private options: GridOptions = {}) {
        this.tabs.setAttribute('role', 'tablist');
        this.tabs.setAttribute('aria-label', t('housing.grid.buildings'));
        this.body.tabIndex = 0;
        this.body.setAttribute('aria-label', t('housing.grid.scroll'));
        this.el.append(this.legend, this.types, this.tabs, this.caption, this.body);
    }

    /** Draws `grid`, keeping the building shown when it is still there. */
    show(grid: EstateGrid): void {
        const keep = this.grid?.buildings[this.shown]?.code;
        this.grid = grid;
        const again = grid.buildings.findIndex(b => b.code === keep);
        this.shown = again >= 0 ? again : 0;
        this.cells.clear();
        for (const b of grid.buildings) for (const u of b.units ?? []) this.cells.set(u[ID], {td: document.createElement('td'), unit: u, building: b.code});
        this.drawTabs();
        this.drawBuilding();
        this.drawLegend();
        this.drawTypes();
    }

    /** The estate's 套型, each with a link to its floor plan when it has one. */
    private drawTypes(): void {
        const grid = this.grid;
        const types = grid?.types ?? [];
        this.types.hidden = types.length === 0;
        this.types.replaceChildren(el('span', 'hs-legend-total', t('housing.grid.types')), ...types.map(x => {
            const item = el('span', 'hs-type-item', `${x.code} ${x.name} ${x.area}㎡`);
            item.dataset.type = x.code;
            if (grid && x.floor_plan) {
                const link = el('a', 'hs-plan', t('housing.grid.floor_plan'));
                link.href = floorPlanUrl(grid.code, x.code);
                link.target = '_blank';
                link.rel = 'noopener';
                link.title = t('housing.grid.floor_plan_of', {type: x.code});
                item.append(' ', link);
            }
            return item;
        }));
    }

    /** A unit event: recolours its cell (in whichever building) and recounts; false when the unit is not in this grid. */
    apply(ev: UnitEvent): boolean {
        const cell = this.cells.get(ev.unit_id);
        if (!cell) return false;
        cell.unit[STATUS] = ev.to;
        if (this.grid?.holders) {
            if (ev.household && ev.to !== 'available' && ev.to !== 'reserved') {
                this.grid.holders[String(ev.unit_id)] = {household: ev.household.code, name: ev.household.name, project: ''};
            } else if (ev.to === 'available' || ev.to === 'reserved') delete this.grid.holders[String(ev.unit_id)];
        }
        this.fill(cell);
        this.drawLegend();
        this.drawTabs();
        return true;
    }

    /** The estate's units by status (all buildings). */
    counts(building?: GridBuilding): Record<UnitStatus, number> {
        const n = Object.fromEntries(STATUSES.map(s => [s, 0])) as Record<UnitStatus, number>;
        for (const b of building ? [building] : this.grid?.buildings ?? []) for (const u of b.units ?? []) n[u[STATUS]] += 1;
        return n;
    }

    private drawLegend(): void {
        const n = this.counts();
        const total = STATUSES.reduce((s, k) => s + n[k], 0);
        this.legend.replaceChildren(el('span', 'hs-legend-total', t('housing.grid.total', {count: total})),
            ...STATUSES.map(s => {
                const item = el('span', 'hs-legend-item');
                item.dataset.status = s;
                item.append(el('i', `hs-swatch hs-${s}`), `${t(`housing.status.${s}` as MessageKey)} `, el('b', undefined, String(n[s])));
                return item;
            }));
    }

    private drawTabs(): void {
        this.tabs.replaceChildren(...(this.grid?.buildings ?? []).map((b, i) => {
            const tab = el('button', 'hs-tab', b.code);
            tab.type = 'button';
            tab.setAttribute('role', 'tab');
            tab.setAttribute('aria-selected', String(i === this.shown));
            tab.append(el('small', undefined, t('housing.grid.left', {count: this.counts(b).available})));
            tab.addEventListener('click', () => {
                this.shown = i;
                this.drawTabs();
                this.drawBuilding();
            });
            return tab;
        }));
    }

    private drawBuilding(): void {
        const b = this.grid?.buildings[this.shown];
        if (!b) {
            this.caption.textContent = ''; // not the building of the estate shown before
            this.body.replaceChildren(el('p', 'om-empty', t('housing.grid.empty')));
            return;
        }
        const units = b.units ?? [];
        // columns: every (单元, position) the building has, in order
        const columns = [...new Set(units.map(u => `${u[ENTRANCE]}-${position(u)}`))]
            .map(k => k.split('-')).map(([e, p]) => ({entrance: Number(e), pos: p}))
            .sort((x, y) => x.entrance - y.entrance || x.pos.localeCompare(y.pos));
        const floors = [...new Set(units.map(u => u[FLOOR]))].sort((x, y) => y - x);
        const byPlace = new Map(units.map(u => [`${u[FLOOR]}|${u[ENTRANCE]}-${position(u)}`, u]));

        const table = el('table', 'hs-table');
        table.dataset.building = b.code;
        // above the scrolling box, not a <caption>: it stays in view when the grid scrolls sideways
        this.caption.textContent = t('housing.grid.caption', {building: b.code, floors: b.floors, units: units.length});
        const head = table.createTHead();
        const entranceRow = head.insertRow();
        const corner = el('th', 'hs-floor', t('housing.grid.floor'));
        corner.rowSpan = 2;
        corner.scope = 'col';
        entranceRow.append(corner);
        for (const e of [...new Set(columns.map(c => c.entrance))]) {
            const th = el('th', 'hs-entrance', t('housing.grid.entrance', {n: e}));
            th.colSpan = columns.filter(c => c.entrance === e).length;
            th.scope = 'colgroup';
            entranceRow.append(th);
        }
        const posRow = head.insertRow();
        for (const c of columns) posRow.append(el('th', 'hs-pos', c.pos));
        const body = table.createTBody();
        for (const f of floors) {
            const row = body.insertRow();
            const th = el('th', 'hs-floor', t('housing.grid.floor_n', {n: f}));
            th.scope = 'row';
            row.append(th);
            for (const c of columns) {
                const u = byPlace.get(`${f}|${c.entrance}-${c.pos}`);
                const cell = u ? this.cells.get(u[ID]) : undefined;
                if (!cell) {
                    row.append(el('td', 'hs-none'));
                    continue;
                }
                this.fill(cell);
                row.append(cell.td);
            }
        }
        this.body.replaceChildren(table);
    }

    /** A cell's look from its unit: colour, room, type and (staff) who holds it. */
    private fill(cell: Cell): void {
        const u = cell.unit;
        const td = cell.td;
        td.className = `hs-unit hs-${u[STATUS]}`;
        td.dataset.unit = String(u[ID]);
        td.dataset.status = u[STATUS];
        const holder = this.grid?.holders?.[String(u[ID])];
        const label = t('housing.grid.unit', {building: cell.building, entrance: u[ENTRANCE], room: u[ROOM], type: u[TYPE], area: u[AREA],
            status: t(`housing.status.${u[STATUS]}` as MessageKey)});
        td.title = holder ? `${label} · ${holder.household} ${holder.name}${holder.project ? ` · ${holder.project}` : ''}` : label;
        const room = el('span', 'hs-room', u[ROOM]);
        const type = el('span', 'hs-type', u[TYPE]);
        td.replaceChildren(room, type);
        // the code's building and household parts (B0653-H17) fit a cell; the whole code is in the title and the desk's form
        if (holder) td.append(el('span', 'hs-holder', `${holder.name} ${holder.household.split('-').slice(-2).join('-')}`));
        if (this.options.pick) {
            td.tabIndex = 0;
            td.onclick = () => this.options.pick?.(u, cell.building);
            td.onkeydown = e => { if (e.key === 'Enter') this.options.pick?.(u, cell.building); };
        }
    }
}

/** Listens for unit events of `estate` on `url`; on every (re)connection after the first, `resync` refetches the whole grid (the catch-up). */
export function followUnits(url: string, estate: string, apply: (ev: UnitEvent) => void, resync: () => void): () => void {
    const es = new EventSource(url, {withCredentials: true});
    let opened = false;
    es.addEventListener('open', () => {
        if (opened) resync();
        opened = true;
    });
    es.addEventListener('unit', e => {
        const ev = JSON.parse((e as MessageEvent<string>).data) as UnitEvent;
        if (ev.estate_code === estate) apply(ev);
    });
    es.addEventListener('reload', () => resync());
    return () => es.close();
}
