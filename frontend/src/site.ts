// What the server says about the site, read once before a page draws: the city's time zone (every time shown is in it) and the configured basemaps.
import {appUrl, getJson} from './api/client';

/** One layer of a basemap: raster tiles, or (`vector_layers`: the source layers) a local file's vector tiles. */
export type BasemapLayer = {tiles: string[]; max_zoom: number; vector_layers?: string[]};
export type Basemap = {id: string; name: string; layers: BasemapLayer[]; attribution: string | null};
export type Basemaps = {basemaps: Basemap[]; wall: string | null};

/** The zone until the server said otherwise (and if it cannot be reached): the default of `--time-zone`. */
let zone = 'Asia/Shanghai';

/** The city's IANA time zone (`--time-zone`, Asia/Shanghai by default), whatever the browser's. */
export const cityZone = (): string => zone;

let loading: Promise<void> | null = null;

/** Reads the city's zone from /api/site (once; later calls wait for the same read). */
export function loadSite(): Promise<void> {
    loading ??= getJson<{time_zone: string}>('api/site').then(site => {
        try {
            new Intl.DateTimeFormat('en', {timeZone: site.time_zone});
            zone = site.time_zone;
        } catch {
            console.warn(`time zone ${site.time_zone} is unknown to this browser; showing ${zone}`);
        }
    }, err => console.warn('site settings unavailable:', err));
    return loading;
}

/** The configured basemaps (none when the server names none: the map stays offline), tile paths made absolute. */
export async function fetchBasemaps(): Promise<Basemaps> {
    const list = await getJson<Basemaps>('api/basemaps').catch(err => { console.warn('basemaps unavailable:', err); return {basemaps: [], wall: null}; });
    for (const b of list.basemaps) {
        // URL() escapes the template's braces; MapLibre needs them as they are
        const local = (t: string) => appUrl(t.slice(1)).replaceAll('%7B', '{').replaceAll('%7D', '}');
        for (const layer of b.layers) layer.tiles = layer.tiles.map(t => (t.startsWith('/') ? local(t) : t));
    }
    return list;
}
