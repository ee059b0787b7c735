// The MapLibre style: neutral background, optional raster basemap (map/basemap.ts), one vector source per tile layer, shipped label font.
import type {LayerSpecification, SourceSpecification, StyleSpecification} from 'maplibre-gl';
import {TILE_LAYERS, tileJsonUrl} from '../api/tilejson';
import type {Basemap} from '../site';
import {basemapStyle} from './basemap';
import {labelFontFaces} from './fonts';
import {LABEL_SOURCE} from './labelpoints';
import {mapLayers} from './layers';
import {BACKGROUND} from './palette';

export type StyleOptions = {
    /** The basemap drawn under the data (map/basemap.ts: a configured one or a URL template). Off by default. */
    basemap?: Basemap | null;
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
        const basemap = basemapStyle(opts.basemap);
        Object.assign(sources, basemap.sources);
        layers.push(...basemap.layers);
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
