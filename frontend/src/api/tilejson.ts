// Reads the backend's TileJSON 3.0 documents (/tiles/{layer}.json): source URLs, bounds and centers.
import {appUrl, getJson} from './client';

/** The layers the backend tiles, bottom to top. The source-layer name equals the layer name. */
export const TILE_LAYERS = ['regions', 'projects', 'parcels', 'buildings', 'estates'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

export type TileJson = {
    tilejson: string;
    tiles: string[];
    minzoom?: number;
    maxzoom?: number;
    /** [west, south, east, north] */
    bounds?: [number, number, number, number];
    /** [lon, lat, zoom] */
    center?: [number, number, number];
    vector_layers?: {id: string; fields?: Record<string, string>}[];
};

/**
 * The TileJSON URL of a layer, relative to the page so that the app also works behind a path
 * prefix, made absolute because MapLibre resolves tile URLs inside its web workers.
 */
export function tileJsonUrl(layer: TileLayer): string {
    return appUrl(`tiles/${layer}.json`);
}

export function fetchTileJson(layer: TileLayer): Promise<TileJson> {
    return getJson<TileJson>(`tiles/${layer}.json`);
}

/** A usable [w, s, e, n] or null when the document has none or it is degenerate. */
export function validBounds(tj: TileJson | null): [number, number, number, number] | null {
    const b = tj?.bounds;
    if (!b || b.length !== 4 || b.some(v => !Number.isFinite(v))) return null;
    if (b[0] >= b[2] || b[1] >= b[3]) return null;
    // The TileJSON default (the whole world) says nothing about where the data is.
    if (b[0] <= -180 && b[2] >= 180) return null;
    return b;
}
