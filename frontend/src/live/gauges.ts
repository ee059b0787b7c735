// The gauges panel for the selected district: households, signed, sign rate, vacated, demolished, each with its definition.
import type {IControl} from 'maplibre-gl';
import type {Figures, StatusEvent} from './types';

type RegionFigures = Figures & {code: string; name?: string; level?: string; projects?: number};

type Gauge = {key: keyof Figures; zh: string; en: string; definition: string};

/** Household stages count households at or beyond the stage, as the backend's figures do. */
const GAUGES: Gauge[] = [
    {key: 'households', zh: '总户数', en: 'Households', definition: '总户数：辖区内征拆项目的被征收户总数\nHouseholds in the region’s projects'},
    {key: 'signed', zh: '已签约', en: 'Signed', definition: '已签约：已签订补偿协议的户数（含已腾空、已拆除）\nHouseholds that signed, including those that moved on to vacated or demolished'},
    {key: 'sign_rate', zh: '签约率', en: 'Sign rate', definition: '签约率 = 签约户数 ÷ 总户数\nSign rate = signed households ÷ households (— when there are none)'},
    {key: 'vacated', zh: '已腾空', en: 'Vacated', definition: '已腾空：已腾空交房的户数（含已拆除）\nHouseholds that vacated and handed over, including demolished'},
    {key: 'demolished', zh: '已拆除', en: 'Demolished', definition: '已拆除：房屋已拆除的户数\nHouseholds whose building is demolished'},
];

const nf = new Intl.NumberFormat('zh-CN');
const show = (key: keyof Figures, v: number | null | undefined) =>
    v === null || v === undefined ? '—' : key === 'sign_rate' ? `${(v * 100).toFixed(1)}%` : nf.format(v);

export async function fetchRegionFigures(code: string): Promise<RegionFigures> {
    const res = await fetch(`api/figures/regions/${encodeURIComponent(code)}`, {credentials: 'same-origin'});
    if (!res.ok) throw new Error(`api/figures/regions/${code}: HTTP ${res.status}`);
    return (await res.json()) as RegionFigures;
}

export class GaugesControl implements IControl {
    private root?: HTMLElement;
    private title?: HTMLElement;
    private values = new Map<keyof Figures, HTMLElement>();
    private code: string | null = null;
    private name = '';
    /** Bumped by every event for the shown region: a figures request that started before it is outdated. */
    private generation = 0;

    onAdd(): HTMLElement {
        const root = document.createElement('section');
        root.className = 'maplibregl-ctrl om-panel om-gauges';
        root.setAttribute('aria-label', '征拆进度 Progress');
        this.title = document.createElement('h2');
        const grid = document.createElement('dl');
        for (const g of GAUGES) {
            const cell = document.createElement('div');
            cell.className = `om-gauge om-gauge-${g.key}`;
            cell.title = g.definition;
            const dt = document.createElement('dt');
            dt.innerHTML = `${g.zh} <small>${g.en}</small>`;
            const dd = document.createElement('dd');
            dd.textContent = '—';
            this.values.set(g.key, dd);
            cell.append(dt, dd);
            grid.append(cell);
        }
        root.append(this.title, grid);
        this.root = root;
        this.render(null);
        return root;
    }

    onRemove(): void {
        this.root?.remove();
    }

    /** The region code shown, if any. */
    get region(): string | null {
        return this.code;
    }

    /** Shows another region (a district code); loads its figures. */
    async setRegion(code: string, name = ''): Promise<void> {
        if (code === this.code) return;
        this.code = code;
        this.name = name;
        this.render(null);
        await this.reload();
    }

    /** Fetches the shown region's figures again, unless a live event overtook the request. */
    async reload(): Promise<void> {
        const code = this.code;
        if (!code) return;
        const generation = ++this.generation;
        try {
            const f = await fetchRegionFigures(code);
            if (code === this.code && generation === this.generation) {
                this.name = f.name ?? this.name;
                this.render(f);
            }
        } catch (err) {
            console.warn('gauges unavailable:', err);
        }
    }

    /** Takes the shown region's new figures from a status event, if the event touched it. */
    apply(ev: StatusEvent): void {
        const f = ev.figures?.regions?.find(r => r.code === this.code);
        if (!f) return;
        this.generation++;
        this.render(f);
    }

    private render(f: Figures | null): void {
        if (this.title) {
            const where = document.createElement('small');
            where.textContent = [this.name, this.code].filter(Boolean).join(' · ');
            this.title.replaceChildren('征拆进度 ', where);
        }
        for (const g of GAUGES) {
            const dd = this.values.get(g.key);
            if (dd) dd.textContent = show(g.key, f?.[g.key]);
        }
    }
}
