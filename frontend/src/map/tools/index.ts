// The cockpit map's tools in one control: the search box, distance and area measuring, a drawn boundary's counts; and popups on overlay features.
import './tools.css';
import {Popup, type IControl, type Map as MlMap, type PaddingOptions} from 'maplibre-gl';
import type {SearchHit, WithinBuilding} from '../../api/maptools';
import type {Bbox} from '../../api/types';
import {onLang, t, type MessageKey} from '../../i18n';
import {el} from '../../ui/dom';
import {fitBbox} from '../selection';
import {Measure} from './measure';
import {installOverlayPopup} from './overlay-popup';
import {SearchBox} from './search';
import {Within} from './within';

export type MapToolsOptions = {
    padding: () => PaddingOptions;
    /** Selecting a project or region goes through the drill-down, so panels follow. */
    project: (id: number) => void;
    region: (code: string, name: string) => void;
    /** A measuring or boundary tool starts: whatever else covers the map (the status panel) gives way. */
    onStart?: () => void;
};

type Mode = 'distance' | 'area' | 'within';
const BUTTONS: [Mode | 'clear', MessageKey][] = [
    ['distance', 'maptools.tool.distance'], ['area', 'maptools.tool.area'], ['within', 'maptools.tool.within'], ['clear', 'maptools.tool.clear'],
];

class MapToolsControl implements IControl {
    readonly el = el('div', 'maplibregl-ctrl om-maptools');
    private readout = el('p', 'om-measure-readout');
    private found: {source: string; sourceLayer: string; id: number} | null = null;
    private popup = new Popup({closeButton: true, closeOnClick: false, maxWidth: '320px', className: 'om-popup'});
    private measure: Measure;
    private within: Within;
    private buttons = new Map<string, HTMLButtonElement>();

    constructor(private map: MlMap, private options: MapToolsOptions) {
        const search = new SearchBox(hit => this.go(hit));
        this.measure = new Measure(map, (text, done) => {
            this.readout.textContent = text || (done ? '' : t('maptools.measure.hint'));
            this.readout.hidden = !this.readout.textContent;
            if (done) this.mark(null);
        });
        this.within = new Within(map, b => this.building(b));
        const bar = el('div', 'om-maptools-bar');
        bar.setAttribute('role', 'toolbar');
        for (const [mode] of BUTTONS) {
            const button = el('button', 'om-tool');
            button.type = 'button';
            button.dataset.tool = mode;
            button.addEventListener('click', () => (mode === 'clear' ? this.clear() : this.start(mode)));
            this.buttons.set(mode, button);
            bar.append(button);
        }
        const text = () => BUTTONS.forEach(([mode, label]) => { this.buttons.get(mode)!.textContent = t(label); });
        text();
        onLang(text);
        this.readout.hidden = true;
        this.readout.setAttribute('role', 'status');
        this.el.append(search.el, bar, this.readout, this.within.panel);
        this.popup.on('close', () => this.unmark());
    }

    onAdd(): HTMLElement {
        return this.el;
    }

    onRemove(): void {
        this.el.remove();
    }

    private start(mode: Mode): void {
        this.clear();
        this.options.onStart?.();
        this.mark(mode);
        if (mode === 'within') this.within.start();
        else {
            this.measure.start(mode === 'distance' ? 'line' : 'polygon');
            this.readout.textContent = t('maptools.measure.hint');
            this.readout.hidden = false;
        }
    }

    private clear(): void {
        this.measure.clear();
        this.within.clear();
        this.readout.hidden = true;
        this.readout.textContent = '';
        this.mark(null);
    }

    private mark(mode: Mode | null): void {
        this.buttons.forEach((b, key) => b.setAttribute('aria-pressed', String(key === mode)));
    }

    /** Flies to a hit; projects and regions become the selection, buildings and households are outlined and named. */
    private go(hit: SearchHit): void {
        if (hit.kind === 'project' || hit.kind === 'region') {
            this.popup.remove();
            return hit.kind === 'project' ? this.options.project(hit.id) : this.options.region(hit.code, hit.label);
        }
        const kind = t(hit.kind === 'building' ? 'maptools.search.kind.building' : 'maptools.search.kind.household');
        this.show(hit.bbox, hit.center, hit.building_id, kind, hit.label, hit.kind === 'household' ? `${hit.code} · ${hit.detail ?? ''}` : hit.detail ?? '');
    }

    private building(b: WithinBuilding): void {
        const source = this.map.querySourceFeatures('buildings', {sourceLayer: 'buildings', filter: ['==', ['id'], b.id]})[0];
        const center = this.map.getCenter();
        let bbox: Bbox | null = null;
        if (source?.geometry.type === 'Polygon' || source?.geometry.type === 'MultiPolygon') {
            const coords = (source.geometry.type === 'Polygon' ? [source.geometry.coordinates] : source.geometry.coordinates).flat(2);
            bbox = [Math.min(...coords.map(c => c[0])), Math.min(...coords.map(c => c[1])), Math.max(...coords.map(c => c[0])), Math.max(...coords.map(c => c[1]))];
        }
        const at: [number, number] = bbox ? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2] : [center.lng, center.lat];
        this.show(bbox, at, b.id, t('maptools.search.kind.building'), b.code, b.project_name);
    }

    private show(bbox: Bbox | null, center: [number, number], building: number | null, kind: string, title: string, detail: string): void {
        if (bbox) fitBbox(this.map, bbox, this.options.padding(), {maxZoom: 18});
        this.unmark();
        if (building !== null && this.map.getSource('buildings')) {
            this.found = {source: 'buildings', sourceLayer: 'buildings', id: building};
            this.map.setFeatureState(this.found, {selected: true});
        }
        const card = el('div', 'om-card');
        card.dataset.found = title;
        card.append(el('div', 'om-card-kind', kind), el('div', 'om-card-title', title), el('p', 'om-hint', detail));
        this.popup.setLngLat(center).setDOMContent(card).addTo(this.map);
    }

    private unmark(): void {
        if (this.found) this.map.setFeatureState(this.found, {selected: false});
        this.found = null;
    }
}

/** Adds the tools (top right, under the zoom buttons) and the overlay popups; call once the style has loaded. */
export function installMapTools(map: MlMap, options: MapToolsOptions): void {
    map.addControl(new MapToolsControl(map, options), 'top-right');
    installOverlayPopup(map);
}

export {toolTakesClick} from './overlay-popup';
