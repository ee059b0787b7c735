// A small drawing primitive for the map tools: click to add points, double-click (or Enter) to finish, Backspace to undo one, Escape to cancel; draws a line or polygon with a rubber band to the pointer.
import type {GeoJSONSource, Map as MlMap, MapMouseEvent} from 'maplibre-gl';
import type {Feature} from 'geojson';
import {token} from '../../tokens';
import type {LngLat} from './geodesic';

export type SketchKind = 'line' | 'polygon';
export type SketchEvents = {
    /** The points so far and the pointer (null when it is off the map or the sketch is finished). */
    change?: (points: LngLat[], pointer: LngLat | null) => void;
    finish: (points: LngLat[]) => void;
    cancel?: () => void;
};

/** While a sketch runs, the map container carries this class: clicks draw, nothing else takes them. */
export const DRAWING_CLASS = 'om-drawing';
/** A second click this close (px) to the last point is the double-click's, not a new point. */
const SAME_POINT_PX = 4;

export class Sketch {
    points: LngLat[] = [];
    private pointer: LngLat | null = null;
    private active = false;
    private readonly onClick = (e: MapMouseEvent) => this.click(e);
    private readonly onMove = (e: MapMouseEvent) => { this.pointer = [e.lngLat.lng, e.lngLat.lat]; this.draw(); };
    private readonly onDouble = (e: MapMouseEvent) => { e.preventDefault(); this.finish(); };
    private readonly onKey = (e: KeyboardEvent) => this.key(e);

    /** `id` names the source and its layers (`<id>-fill`, `-line`, `-points`). */
    constructor(private map: MlMap, readonly id: string, readonly kind: SketchKind, private on: SketchEvents) {
        if (!map.getSource(id)) {
            map.addSource(id, {type: 'geojson', data: {type: 'FeatureCollection', features: []}});
            const color = token('--om-oi-vermillion');
            map.addLayer({id: `${id}-fill`, type: 'fill', source: id, filter: ['==', ['geometry-type'], 'Polygon'],
                paint: {'fill-color': color, 'fill-opacity': 0.12}});
            map.addLayer({id: `${id}-line`, type: 'line', source: id, filter: ['!=', ['geometry-type'], 'Point'],
                layout: {'line-join': 'round', 'line-cap': 'round'}, paint: {'line-color': color, 'line-width': 2.5, 'line-dasharray': [2, 1]}});
            map.addLayer({id: `${id}-points`, type: 'circle', source: id, filter: ['==', ['geometry-type'], 'Point'],
                paint: {'circle-radius': 4, 'circle-color': token('--om-white'), 'circle-stroke-color': color, 'circle-stroke-width': 2}});
        }
    }

    get drawing(): boolean {
        return this.active;
    }

    /** Starts a new sketch, dropping the last one. */
    start(): void {
        this.stop();
        this.points = [];
        this.pointer = null;
        this.active = true;
        this.map.getContainer().classList.add(DRAWING_CLASS);
        this.map.doubleClickZoom.disable();
        this.map.on('click', this.onClick);
        this.map.on('mousemove', this.onMove);
        this.map.on('dblclick', this.onDouble);
        window.addEventListener('keydown', this.onKey);
        this.draw();
    }

    /** Ends drawing (the shape stays until `clear`). */
    stop(): void {
        if (!this.active) return;
        this.active = false;
        this.pointer = null;
        this.map.getContainer().classList.remove(DRAWING_CLASS);
        this.map.off('click', this.onClick);
        this.map.off('mousemove', this.onMove);
        this.map.off('dblclick', this.onDouble);
        window.removeEventListener('keydown', this.onKey);
        // after the double-click's own events have passed, or it would zoom in
        window.setTimeout(() => this.map.doubleClickZoom.enable(), 400);
        this.draw();
    }

    /** Stops and removes the shape from the map. */
    clear(): void {
        this.stop();
        this.points = [];
        this.draw();
    }

    /** The shape as drawn: a closed ring for a polygon. */
    shape(): LngLat[] {
        return this.kind === 'polygon' && this.points.length >= 3 ? [...this.points, this.points[0]] : [...this.points];
    }

    private click(e: MapMouseEvent): void {
        const last = this.points[this.points.length - 1];
        if (last) {
            const p = this.map.project(last);
            if (Math.hypot(p.x - e.point.x, p.y - e.point.y) <= SAME_POINT_PX) return;
        }
        this.points.push([e.lngLat.lng, e.lngLat.lat]);
        this.draw();
    }

    private key(e: KeyboardEvent): void {
        if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
        if (e.key === 'Escape') {
            this.clear();
            this.on.cancel?.();
        } else if (e.key === 'Enter') {
            this.finish();
        } else if (e.key === 'Backspace' && this.points.length) {
            e.preventDefault();
            this.points.pop();
            this.draw();
        }
    }

    private finish(): void {
        const enough = this.kind === 'polygon' ? 3 : 2;
        if (this.points.length < enough) return;
        this.stop();
        this.on.finish(this.shape());
    }

    private draw(): void {
        const source = this.map.getSource<GeoJSONSource>(this.id);
        if (!source) return;
        const path = this.pointer && this.active ? [...this.points, this.pointer] : [...this.points];
        const features: Feature[] = this.points.map(p => ({type: 'Feature', properties: {}, geometry: {type: 'Point', coordinates: p}}));
        if (this.kind === 'polygon' && path.length >= 3) {
            features.push({type: 'Feature', properties: {}, geometry: {type: 'Polygon', coordinates: [[...path, path[0]]]}});
        } else if (path.length >= 2) {
            features.push({type: 'Feature', properties: {}, geometry: {type: 'LineString', coordinates: path}});
        }
        void source.setData({type: 'FeatureCollection', features});
        this.on.change?.(this.points, this.active ? this.pointer : null);
    }
}
