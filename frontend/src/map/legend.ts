// The legend control: building status, parcel land status, project outline and the sign-rate ramp, Chinese with English.
import type {IControl} from 'maplibre-gl';
import {BUILDING_STATUS, LAND_STATUS, PROJECT_COLOR, PROJECT_TEXT, SIGN_RATE_STOPS, type Category} from './palette';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
}

function section(title: string, note: string): HTMLElement {
    const s = el('section', 'om-legend-section');
    const h = el('h3', undefined, title);
    h.append(el('small', undefined, note));
    s.append(h);
    return s;
}

function item(swatch: HTMLElement, zh: string, en: string): HTMLElement {
    const row = el('div', 'om-legend-item');
    row.append(swatch, el('span', 'om-zh', zh), el('span', 'om-en', en));
    return row;
}

function categories(title: string, note: string, cats: Category[], fillOpacity: number): HTMLElement {
    const s = section(title, note);
    for (const c of cats) {
        const sw = el('span', 'om-swatch');
        sw.style.background = c.color;
        sw.style.opacity = String(fillOpacity);
        sw.style.outline = `1px solid ${c.color}`;
        s.append(item(sw, c.zh, c.en));
    }
    return s;
}

export class LegendControl implements IControl {
    private container?: HTMLElement;

    /** @param open start unfolded (default: on screens at least 700 px wide) */
    constructor(private open?: boolean) {}

    onAdd(): HTMLElement {
        const root = el('details', 'maplibregl-ctrl om-legend');
        // Open on a desktop or a wall, folded on a phone where it would cover the map.
        root.open = this.open ?? window.matchMedia('(min-width: 700px)').matches;
        root.append(el('summary', undefined, '图例 Legend'));
        root.append(categories('房屋状态', 'Buildings · z15+', BUILDING_STATUS, 0.9));
        root.append(categories('地块状态', 'Parcels · z13+', LAND_STATUS, 0.45));

        const projects = section('征拆项目', 'Projects');
        const outline = el('span', 'om-swatch');
        outline.style.background = `${PROJECT_COLOR}33`;
        outline.style.border = `2px solid ${PROJECT_TEXT}`;
        projects.append(item(outline, '项目范围', 'project boundary'));
        root.append(projects);

        const rate = section('签约率', 'Sign rate by region · ≤z14');
        const ramp = el('div', 'om-ramp');
        ramp.style.background = `linear-gradient(to right, ${SIGN_RATE_STOPS.map(([v, c]) => `${c} ${v * 100}%`).join(', ')})`;
        const ticks = el('div', 'om-ramp-ticks');
        ticks.append(el('span', undefined, '0%'), el('span', undefined, '50%'), el('span', undefined, '100%'));
        rate.append(ramp, ticks);
        root.append(rate);

        this.container = root;
        return root;
    }

    onRemove(): void {
        this.container?.remove();
    }
}
