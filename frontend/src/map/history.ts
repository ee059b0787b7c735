// Switches the map's status colours to the tiles of a past day (`?as_of=`, cached apart on the server) and back to the live tiles.
import type {Map as MlMap, VectorTileSource} from 'maplibre-gl';

/** Sources whose properties follow the status history (the server has as-of tiles for them). */
export const HISTORY_SOURCES = ['buildings', 'parcels', 'projects', 'regions'] as const;

/** Each map's live tile templates, taken from its TileJSON the first time it switches. */
const liveTiles = new WeakMap<MlMap, Map<string, string[]>>();

const withDay = (url: string, day: string) => `${url}${url.includes('?') ? '&' : '?'}as_of=${day}`;

/**
 * Shows `day`'s statuses (null: live). The live values the feed laid over the tiles
 * (feature-state) are dropped either way: a past day has none, and the live tiles fetched again
 * are current. Calls `done` once every source has switched (after its TileJSON, if still loading).
 */
export function showDay(map: MlMap, day: string | null, done: () => void = () => {}): void {
    const saved = liveTiles.get(map) ?? new Map<string, string[]>();
    liveTiles.set(map, saved);
    const waiting = HISTORY_SOURCES.filter(name => {
        const source = map.getSource<VectorTileSource>(name);
        if (source?.type !== 'vector') return false;
        if (!source.tiles) return true; // its TileJSON is still on its way
        if (!saved.has(name)) saved.set(name, [...source.tiles]);
        const tiles = saved.get(name)!.map(url => (day ? withDay(url, day) : url));
        if (tiles.join() === source.tiles.join()) return false;
        map.removeFeatureState({source: name, sourceLayer: name});
        source.setTiles(tiles);
        return false;
    });
    if (waiting.length === 0) done();
    else map.once('sourcedata', () => showDay(map, day, done));
}
