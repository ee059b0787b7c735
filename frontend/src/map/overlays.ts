// A planner's file drawn over the data (areas filled and outlined, lines, points), shown or hidden, faded and removed.
import type {FeatureCollection} from 'geojson';
import type {ExpressionSpecification, FilterSpecification, LayerSpecification, Map as MlMap} from 'maplibre-gl';
import {token} from '../tokens';

/** Overlay colours, one per overlay in turn: none of them is a status colour, so an overlay never reads as a status. */
export const OVERLAY_COLORS = [token('--om-pink-550'), token('--om-teal-730'), token('--om-purple-580'), token('--om-amber-720'), token('--om-blue-670')];
/** A fill at full opacity still lets the statuses under it show. */
const FILL_OPACITY = 0.3;

const is = (type: string) => ['==', ['geometry-type'], type] as FilterSpecification;

export class MapOverlay {
    private opacity = 1;

    /** Adds source `key` and its layers under the labels; `data` is in WGS84. */
    constructor(private map: MlMap, readonly key: string, data: FeatureCollection, readonly color: string) {
        // generateId: the file's own ids may repeat or be missing; feature counts and queries need one each.
        map.addSource(key, {type: 'geojson', data, generateId: true});
        const firstLabel = map.getStyle().layers.find(l => l.type === 'symbol')?.id;
        for (const layer of this.layers()) map.addLayer(layer, firstLabel);
    }

    /** The style layer ids, for queries and tests. */
    get layerIds(): string[] {
        return ['fill', 'line', 'point'].map(k => `${this.key}-${k}`);
    }

    setVisible(visible: boolean): void {
        for (const id of this.layerIds) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }

    /** 0 (invisible) … 1 (as drawn at first). */
    setOpacity(opacity: number): void {
        this.opacity = Math.max(0, Math.min(1, opacity));
        for (const [id, prop, value] of this.paints()) this.map.setPaintProperty(id, prop, value);
    }

    remove(): void {
        for (const id of this.layerIds) if (this.map.getLayer(id)) this.map.removeLayer(id);
        if (this.map.getSource(this.key)) this.map.removeSource(this.key);
    }

    private paints(): [string, 'fill-opacity' | 'line-opacity' | 'circle-opacity' | 'circle-stroke-opacity', number][] {
        const [fill, line, point] = this.layerIds;
        return [
            [fill, 'fill-opacity', FILL_OPACITY * this.opacity],
            [line, 'line-opacity', this.opacity],
            [point, 'circle-opacity', this.opacity],
            [point, 'circle-stroke-opacity', this.opacity],
        ];
    }

    private layers(): LayerSpecification[] {
        const [fill, line, point] = this.layerIds;
        const width = ['interpolate', ['linear'], ['zoom'], 10, 1.5, 16, 2.5] as ExpressionSpecification;
        return [
            {id: fill, type: 'fill', source: this.key, filter: is('Polygon'), paint: {'fill-color': this.color, 'fill-opacity': FILL_OPACITY}},
            // Outlines of the areas and the lines themselves.
            {id: line, type: 'line', source: this.key, filter: ['!', is('Point')] as FilterSpecification,
                layout: {'line-join': 'round', 'line-cap': 'round'}, paint: {'line-color': this.color, 'line-width': width}},
            {id: point, type: 'circle', source: this.key, filter: is('Point'),
                paint: {'circle-color': this.color, 'circle-radius': 5, 'circle-stroke-color': token('--om-white'), 'circle-stroke-width': 1.5}},
        ];
    }
}
