// Draw a boundary → what it holds: buildings by status, households, parcels, area, projects, the first buildings, and the XLSX of all of them.
import type {Polygon} from 'geojson';
import type {Map as MlMap} from 'maplibre-gl';
import {refusal} from '../../api/client';
import {within, withinXlsx, type WithinAnswer, type WithinBuilding} from '../../api/maptools';
import {fmtInt} from '../../format';
import {t} from '../../i18n';
import {el} from '../../ui/dom';
import {BUILDING_STATUS} from '../palette';
import {areaText} from './measure';
import type {LngLat} from './geodesic';
import {Sketch} from './sketch';

/** Holds the boundary, asks the server and shows the answer in `panel`. */
export class Within {
    readonly panel = el('div', 'om-within');
    private sketch: Sketch;
    private polygon: Polygon | null = null;

    constructor(map: MlMap, private onBuilding: (b: WithinBuilding) => void) {
        this.sketch = new Sketch(map, 'within-boundary', 'polygon', {finish: ring => void this.ask(ring)});
        this.panel.hidden = true;
    }

    start(): void {
        this.clear();
        this.panel.hidden = false;
        this.panel.replaceChildren(el('p', 'om-hint', t('maptools.within.hint')));
        this.sketch.start();
    }

    get drawing(): boolean {
        return this.sketch.drawing;
    }

    clear(): void {
        this.sketch.clear();
        this.polygon = null;
        this.panel.hidden = true;
        this.panel.replaceChildren();
    }

    private async ask(ring: LngLat[]): Promise<void> {
        const polygon: Polygon = {type: 'Polygon', coordinates: [ring]};
        this.polygon = polygon;
        this.panel.replaceChildren(el('p', 'om-hint', t('maptools.within.counting')));
        try {
            const answer = await within(polygon);
            if (this.polygon === polygon) this.render(answer);
        } catch (err) {
            if (this.polygon === polygon) this.panel.replaceChildren(el('p', 'om-error', refusal(err)));
        }
    }

    private render(a: WithinAnswer): void {
        const figures = el('table', 'om-within-figures');
        const row = (key: string, label: string, value: string, swatch?: string) => {
            const tr = figures.insertRow();
            tr.dataset.figure = key;
            const th = el('th', undefined);
            if (swatch) {
                const sw = el('span', 'om-swatch');
                sw.style.background = swatch;
                th.append(sw);
            }
            th.append(label);
            // an area's units wrap between themselves, never inside one
            const td = el('td');
            value.split(' · ').forEach((part, i) => td.append(...(i ? [' · '] : []), el('span', undefined, part)));
            tr.append(th, td);
        };
        row('area', t('maptools.within.area'), areaText(a.area_m2));
        row('buildings', t('maptools.within.buildings'), fmtInt(a.buildings.total));
        for (const c of BUILDING_STATUS) row(`status.${c.value}`, `· ${t(c.key)}`, fmtInt(a.buildings.by_status[c.value] ?? 0), c.color);
        row('floor_area', t('maptools.within.floor_area'), `${fmtInt(a.buildings.floor_area_m2)} m²`);
        row('households', t('maptools.within.households'), fmtInt(a.households.total));
        row('difficult', t('maptools.within.difficult'), fmtInt(a.households.difficult));
        row('parcels', t('maptools.within.parcels'), fmtInt(a.parcels.total));
        row('parcel_area', t('maptools.within.parcel_area'), areaText(a.parcels.area_inside_m2));
        const projects = el('p', 'om-within-projects', a.projects.map(p => `${p.name}（${fmtInt(p.buildings)}）`).join('、'));
        const list = el('ul', 'om-within-list');
        for (const b of a.list) {
            const li = el('li');
            li.dataset.code = b.code;
            const status = BUILDING_STATUS.find(c => c.value === b.status);
            li.append(el('span', 'om-within-code', b.code), el('span', undefined, status ? t(status.key) : b.status),
                el('span', undefined, t('maptools.within.household_count', {n: b.households})));
            li.addEventListener('click', () => this.onBuilding(b));
            list.append(li);
        }
        const more = a.buildings.total > a.list.length ? el('p', 'om-hint', t('maptools.within.list_cut', {shown: a.list.length, total: a.buildings.total})) : null;
        const download = el('button', 'om-button', t('maptools.within.download'));
        download.type = 'button';
        download.dataset.action = 'within-xlsx';
        const message = el('p', 'om-message');
        download.addEventListener('click', () => void this.download(download, message));
        this.panel.replaceChildren(figures, projects, list, ...(more ? [more] : []), download, message);
    }

    private async download(button: HTMLButtonElement, message: HTMLElement): Promise<void> {
        if (!this.polygon) return;
        button.disabled = true;
        message.textContent = '';
        try {
            const blob = await withinXlsx(this.polygon);
            const a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = t('maptools.within.file_name');
            a.click();
            window.setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        } catch (err) {
            message.textContent = refusal(err);
        } finally {
            button.disabled = false;
        }
    }
}
