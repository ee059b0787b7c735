// Selection on the map: an invisible pick layer over every region, outlines of the selected region or project, and fitting.
import type {ExpressionSpecification, FilterSpecification, LngLatBoundsLike, Map as MlMap, PaddingOptions} from 'maplibre-gl';
import type {Bbox} from '../api/types';
import {token} from '../tokens';

export const PICK_LAYER = 'regions-pick';
const REGION_LINE = 'selection-region-line';
const PROJECT_LINE = 'selection-project-line';
const NONE: FilterSpecification = ['==', ['get', 'code'], '\u0000'];

/** Adds the pick and highlight layers under the labels; idempotent. `color` draws the outlines, `scale` widens them (4K wall). */
export function installSelectionLayers(map: MlMap, color = token('--om-oi-vermillion'), scale = 1): void {
    if (map.getLayer(PICK_LAYER)) return;
    const firstLabel = map.getStyle().layers.find(l => l.type === 'symbol')?.id;
    map.addLayer({
        id: PICK_LAYER, type: 'fill', source: 'regions', 'source-layer': 'regions',
        paint: {'fill-color': token('--om-black'), 'fill-opacity': 0},
    }, firstLabel);
    const width = ['interpolate', ['linear'], ['zoom'], 8, 2.5 * scale, 14, 4 * scale] as ExpressionSpecification;
    map.addLayer({
        id: REGION_LINE, type: 'line', source: 'regions', 'source-layer': 'regions', filter: NONE,
        layout: {'line-join': 'round'}, paint: {'line-color': color, 'line-width': width},
    }, firstLabel);
    map.addLayer({
        id: PROJECT_LINE, type: 'line', source: 'projects', 'source-layer': 'projects', filter: NONE,
        layout: {'line-join': 'round'}, paint: {'line-color': color, 'line-width': width},
    }, firstLabel);
}

/** Outlines one region (by code) or one project (by id), or nothing. */
export function highlight(map: MlMap, sel: {region?: string | null; project?: number | null}): void {
    if (!map.getLayer(REGION_LINE)) return;
    map.setFilter(REGION_LINE, sel.region ? ['==', ['to-string', ['get', 'code']], sel.region] : NONE);
    map.setFilter(PROJECT_LINE, sel.project !== null && sel.project !== undefined ? ['==', ['id'], sel.project] : NONE);
}

/** Fits the map to [w, s, e, n] inside the given padding; a degenerate box is widened a little. */
export function fitBbox(map: MlMap, b: Bbox, padding: PaddingOptions, opts: {maxZoom?: number; duration?: number} = {}): void {
    const [w, s, e, n] = b;
    const pad = e - w < 1e-4 || n - s < 1e-4 ? 0.002 : 0;
    map.fitBounds([[w - pad, s - pad], [e + pad, n + pad]] as LngLatBoundsLike, {
        padding, maxZoom: opts.maxZoom ?? 17, duration: opts.duration ?? 800,
    });
}
