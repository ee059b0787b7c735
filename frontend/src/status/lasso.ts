// A freehand lasso on the map: draw with the mouse or a finger, and the buildings drawn inside it are chosen (rendered features, point in polygon on the screen).
import type {Polygon} from 'geojson';
import type {GeoJSONSource, IControl, Map as MlMap} from 'maplibre-gl';
import {LAYER} from '../map/layers';
import {onLang, t, type MessageKey} from '../i18n';
import {token} from '../tokens';
import {el} from '../ui/dom';

type Pt = [number, number];

/** What a lasso caught: building ids, and what it could not see. */
export type LassoResult = {
    ids: number[];
    /** The lasso itself in EPSG:4326 (closed ring): what a server-side "inside" takes. */
    polygon: Polygon;
    /** The map is zoomed out past where buildings are drawn: nothing could be chosen. */
    tooFar: boolean;
    /** Part of the lasso lay outside the map's view: buildings there were not counted. */
    beyondView: boolean;
};

/** Buildings are drawn from this zoom on (the tiles start there, see backend/src/tiles/layers.rs). */
export const BUILDINGS_FROM_ZOOM = 15;

/** Ray casting: is `p` inside the polygon `ring` (screen pixels)? */
export function inside([x, y]: Pt, ring: Pt[]): boolean {
    let hit = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
}

/** The drawn buildings whose footprint's centre (on the screen: the middle of its box) lies inside `ring`. */
export function buildingsInside(map: MlMap, ring: Pt[]): LassoResult {
    const {width, height} = map.getCanvas().getBoundingClientRect();
    const beyondView = ring.some(([x, y]) => x < 0 || y < 0 || x > width || y > height);
    const polygon: Polygon = {type: 'Polygon', coordinates: [[...ring, ring[0]].map(p => map.unproject(p).toArray())]};
    if (!map.getLayer(LAYER.buildingsFill) || map.getZoom() < BUILDINGS_FROM_ZOOM) return {ids: [], polygon, tooFar: true, beyondView};
    const xs = ring.map(p => p[0]), ys = ring.map(p => p[1]);
    const box: [Pt, Pt] = [[Math.max(0, Math.min(...xs)), Math.max(0, Math.min(...ys))], [Math.min(width, Math.max(...xs)), Math.min(height, Math.max(...ys))]];
    // A building that crosses a tile's edge comes once per tile, each piece cut at that tile's
    // buffer: its centre is that of all its pieces together (their box), not of the first one.
    const boxes = new Map<number, [number, number, number, number]>();
    for (const f of map.queryRenderedFeatures(box, {layers: [LAYER.buildingsFill]})) {
        if (f.id === undefined) continue;
        const g = f.geometry;
        const outer = g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0][0] : null;
        if (!outer?.length) continue;
        const b = boxes.get(Number(f.id)) ?? [Infinity, Infinity, -Infinity, -Infinity];
        for (const c of outer) {
            const p = map.project(c as [number, number]);
            b[0] = Math.min(b[0], p.x); b[1] = Math.min(b[1], p.y); b[2] = Math.max(b[2], p.x); b[3] = Math.max(b[3], p.y);
        }
        boxes.set(Number(f.id), b);
    }
    const ids = [...boxes].filter(([, b]) => inside([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], ring)).map(([id]) => id);
    return {ids, polygon, tooFar: false, beyondView};
}

const SOURCE = 'status-lasso';

/** The button's words: the status work's by default; another use of the lasso (assigning work groups) names its own. */
export type LassoLabels = {button: MessageKey; drawing: MessageKey; hint: MessageKey};
const STATUS_LABELS: LassoLabels = {button: 'status.lasso.button', drawing: 'status.lasso.drawing', hint: 'status.lasso.hint'};

/** The map control: a button that arms the lasso; the next drag draws it instead of panning. */
export class LassoControl implements IControl {
    private box = el('div', 'maplibregl-ctrl maplibregl-ctrl-group om-sw-lasso');
    private button = el('button', 'om-sw-lasso-button');
    private svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    private line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    private map: MlMap | null = null;
    private armed = false;
    private points: Pt[] = [];

    constructor(private onDone: (r: LassoResult) => void, private labels: LassoLabels = STATUS_LABELS, className = '') {
        if (className) this.box.classList.add(className);
        this.button.type = 'button';
        this.button.addEventListener('click', () => this.arm(!this.armed));
        this.box.append(this.button);
        this.svg.classList.add('om-sw-lasso-draw');
        this.svg.append(this.line);
        this.label();
        onLang(() => this.label());
    }

    /** Between the lasso's release and the click the browser sends after it (the ring closed where it began). */
    private releasing = false;

    /** Drawing, or just done: a map click now is the lasso's, not a building's. */
    get active(): boolean { return this.armed || this.points.length > 0 || this.releasing; }

    onAdd(map: MlMap): HTMLElement {
        // added again after a removal (the groups' lasso comes and goes with its mode): listen once
        if (this.map !== map) {
            const container = map.getCanvasContainer();
            container.addEventListener('pointerdown', e => this.down(e));
            container.addEventListener('pointermove', e => this.move(e));
            container.addEventListener('pointerup', e => this.up(e));
        }
        this.map = map;
        return this.box;
    }

    onRemove(): void { this.box.remove(); }

    /** Removes the drawn lasso from the map. */
    clear(): void {
        void this.map?.getSource<GeoJSONSource>(SOURCE)?.setData({type: 'FeatureCollection', features: []});
    }

    private label(): void {
        this.button.textContent = this.armed ? t(this.labels.drawing) : t(this.labels.button);
        this.button.title = t(this.labels.hint);
        this.button.setAttribute('aria-pressed', String(this.armed));
    }

    private arm(on: boolean): void {
        this.armed = on;
        if (on) this.map?.dragPan.disable(); else this.map?.dragPan.enable();
        this.map?.getCanvas().classList.toggle('om-sw-lassoing', on);
        this.label();
    }

    private at(e: PointerEvent): Pt {
        const r = this.map!.getCanvasContainer().getBoundingClientRect();
        return [e.clientX - r.left, e.clientY - r.top];
    }

    private down(e: PointerEvent): void {
        if (!this.armed || !this.map) return;
        e.preventDefault();
        (e.target as Element).setPointerCapture?.(e.pointerId);
        this.points = [this.at(e)];
        this.map.getCanvasContainer().append(this.svg);
        this.draw();
    }

    private move(e: PointerEvent): void {
        if (!this.points.length) return;
        const p = this.at(e);
        const last = this.points[this.points.length - 1];
        if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= 3) this.points.push(p);
        this.draw();
    }

    private up(e: PointerEvent): void {
        if (!this.points.length || !this.map) return;
        this.move(e);
        const ring = this.points;
        this.points = [];
        this.releasing = true;
        setTimeout(() => { this.releasing = false; }, 0);
        this.svg.remove();
        this.arm(false);
        if (ring.length < 3) return;
        this.show(ring);
        this.onDone(buildingsInside(this.map, ring));
    }

    private draw(): void {
        this.line.setAttribute('points', this.points.map(p => p.join(',')).join(' '));
    }

    /** Keeps the finished lasso on the map (in map coordinates, so it pans and zooms along). */
    private show(ring: Pt[]): void {
        const map = this.map!;
        const coords = [...ring, ring[0]].map(p => map.unproject(p).toArray());
        const data = {type: 'Feature' as const, properties: {}, geometry: {type: 'Polygon' as const, coordinates: [coords]}};
        const source = map.getSource<GeoJSONSource>(SOURCE);
        if (source) {
            void source.setData(data);
            return;
        }
        map.addSource(SOURCE, {type: 'geojson', data});
        map.addLayer({id: `${SOURCE}-fill`, type: 'fill', source: SOURCE, paint: {'fill-color': token('--om-oi-blue'), 'fill-opacity': 0.08}});
        map.addLayer({id: `${SOURCE}-line`, type: 'line', source: SOURCE, paint: {'line-color': token('--om-oi-blue'), 'line-width': 2, 'line-dasharray': [2, 1]}});
    }
}
