// The header panel: title, user line, and one button per district that fits the map to it; marks the district the map is in.
import type {IControl, LngLatBoundsLike, Map as MlMap} from 'maplibre-gl';
import type {District} from '../api/districts';

export class DistrictSwitcher implements IControl {
    private root?: HTMLElement;
    private map?: MlMap;
    private buttons = new Map<string, HTMLButtonElement>();
    private current: string | null = null;
    /**
     * @param extra shown under the title (the user line)
     * @param onDistrict told whenever the marked district changes (null: the map left every district)
     */
    constructor(
        private districts: District[],
        private extra?: HTMLElement,
        private onDistrict?: (code: string | null) => void,
    ) {}

    onAdd(map: MlMap): HTMLElement {
        this.map = map;
        const root = document.createElement('div');
        root.className = 'maplibregl-ctrl om-panel om-switcher';
        const title = document.createElement('div');
        title.className = 'om-app-title';
        title.innerHTML = '征拆一张图 <small>onemap</small>';
        const row = document.createElement('div');
        row.className = 'om-switcher-buttons';
        row.setAttribute('role', 'group');
        row.setAttribute('aria-label', '辖区 District');
        for (const d of this.districts) {
            const b = document.createElement('button');
            b.type = 'button';
            b.textContent = d.name;
            b.title = `${d.name} (${d.code})`;
            b.dataset.code = d.code;
            b.addEventListener('click', () => this.show(d.code));
            this.buttons.set(d.code, b);
            row.append(b);
        }
        root.append(title);
        if (this.extra) root.append(this.extra);
        if (this.districts.length > 0) root.append(row);
        this.root = root;
        // Panning by hand into the other district marks that one.
        map.on('moveend', this.markCurrent);
        this.markCurrent();
        return root;
    }

    onRemove(): void {
        this.map?.off('moveend', this.markCurrent);
        this.root?.remove();
    }

    /** Fits the map to a district and marks its button. */
    show(code: string): void {
        const d = this.districts.find(x => x.code === code);
        if (!d || !this.map) return;
        this.map.fitBounds(d.bounds as LngLatBoundsLike, {padding: 48});
        this.mark(code);
    }

    private mark(code: string | null): void {
        for (const [c, b] of this.buttons) b.setAttribute('aria-pressed', String(c === code));
        if (code === this.current) return;
        this.current = code;
        this.onDistrict?.(code);
    }

    private markCurrent = (): void => {
        if (!this.map) return;
        const {lng, lat} = this.map.getCenter();
        const d = this.districts.find(({bounds: [w, s, e, n]}) => lng >= w && lng <= e && lat >= s && lat <= n);
        this.mark(d?.code ?? null);
    };
}
