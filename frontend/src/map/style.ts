// The MapLibre style: neutral background, optional raster basemap, one vector source per tile layer, shipped label font.
import type {LayerSpecification, SourceSpecification, StyleSpecification} from 'maplibre-gl';
import {TILE_LAYERS, tileJsonUrl} from '../api/tilejson';
import {labelFontFaces} from './fonts';
import {LABEL_SOURCE} from './labelpoints';
import {mapLayers} from './layers';
import {BACKGROUND} from './palette';

export type StyleOptions = {
    /** An XYZ raster template ({z}/{x}/{y}) drawn under the data, e.g. Tianditu with a key. Off by default. */
    basemap?: string | null;
};

export function buildStyle(opts: StyleOptions = {}): StyleSpecification {
    const sources: Record<string, SourceSpecification> = {};
    for (const layer of TILE_LAYERS) {
        // Each source reads its own TileJSON: tiles, zoom range, bounds. Features carry real MVT ids,
        // so feature-state (selection now, live status later) works without promoteId.
        sources[layer] = {type: 'vector', url: tileJsonUrl(layer)};
    }
    // Filled from the loaded tiles by labelpoints.ts: one point per named polygon.
    sources[LABEL_SOURCE] = {type: 'geojson', data: {type: 'FeatureCollection', features: []}};
    const layers: LayerSpecification[] = [
        {id: 'background', type: 'background', paint: {'background-color': BACKGROUND}},
    ];
    if (opts.basemap) {
        sources.basemap = {type: 'raster', tiles: [opts.basemap], tileSize: 256};
        layers.push({id: 'basemap', type: 'raster', source: 'basemap', paint: {'raster-opacity': 0.85}});
    }
    layers.push(...mapLayers());
    return {
        version: 8,
        name: 'onemap',
        // No `glyphs`: labels are drawn in the browser from the font files declared here.
        'font-faces': labelFontFaces(),
        sources,
        layers,
    };
}
