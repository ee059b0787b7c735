// Fetching a source's tiles again so that what the server changed is drawn, also past the source's maxzoom (a revision in the tile URL).
import type {Map as MlMap, RequestParameters, ResourceType} from 'maplibre-gl';

/**
 * Why a revision: past a source's maxzoom (buildings 16) MapLibre draws a tile sliced from the
 * maxzoom tile, and its worker keeps the slices in a cache keyed by the tile and the request URL,
 * not by the content. `refreshTiles` alone fetches the new maxzoom tile (a new ETag) and then
 * draws the old slice again under that new ETag, for good. A revision in the URL of the maxzoom
 * tiles makes the key new, so the new tile is sliced; tiles above maxzoom are never sliced and keep
 * their URL (and their cheap 304 revalidation).
 */
const revisions = new WeakMap<MlMap, Map<string, number>>();

/** `/tiles/buildings/16/1/2.mvt` → ['buildings', 16]. */
function tileOf(url: string): [string, number] | null {
    const m = /\/tiles\/([a-z_]+)\/(\d+)\/\d+\/\d+\.(?:mvt|pbf|geojson)/.exec(url);
    return m ? [m[1], Number(m[2])] : null;
}

/** The request for `url`: a maxzoom tile of a source fetched again carries `rev=N`. */
function withRevision(map: MlMap, url: string, type?: ResourceType): RequestParameters {
    const tile = String(type) === 'Tile' ? tileOf(url) : null;
    const rev = tile ? revisions.get(map)?.get(tile[0]) : undefined;
    const maxzoom = tile ? (map.getSource(tile[0]) as {maxzoom?: number} | undefined)?.maxzoom : undefined;
    if (!tile || !rev || tile[1] !== maxzoom) return {url};
    return {url: `${url}${url.includes('?') ? '&' : '?'}rev=${rev}`};
}

/** The tiles of `source` fetched again, the ones drawn past its maxzoom sliced anew. */
export function refetchTiles(map: MlMap, source: string): void {
    if (!map.getSource(source)) return;
    let mine = revisions.get(map);
    if (!mine) {
        mine = new Map();
        revisions.set(map, mine);
        map.setTransformRequest((url, type) => withRevision(map, url, type));
    }
    mine.set(source, (mine.get(source) ?? 0) + 1);
    map.refreshTiles(source);
}
