// Finds the cities and districts in the data and their extents, from a few low-zoom GeoJSON tiles of the regions layer.
import {fetchTileJson, validBounds} from './tilejson';

export type District = {
    code: string;
    name: string;
    level: 'city' | 'district';
    projects: number;
    households: number;
    signed: number;
    sign_rate: number | null;
    bounds: [number, number, number, number];
};

type Feature = {properties?: Record<string, unknown>; geometry?: {coordinates?: unknown}};

function tileX(lon: number, z: number): number {
    return Math.floor(((lon + 180) / 360) * 2 ** z);
}

function tileY(lat: number, z: number): number {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

function extend(b: number[], coords: unknown): void {
    if (!Array.isArray(coords)) return;
    if (typeof coords[0] === 'number') {
        const [x, y] = coords as number[];
        b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
        return;
    }
    for (const c of coords) extend(b, c);
}

/** Every district of the regions layer (see fetchTopRegions). */
export async function fetchDistricts(): Promise<District[]> {
    return (await fetchTopRegions()).filter(d => d.level === 'district');
}

/**
 * Every city and district of the regions layer, whatever the map shows: the deepest zoom (≤ 8) at which
 * the layer's TileJSON bounds fit in four tiles, fetched as GeoJSON (`.geojson` beside `.mvt`),
 * district features merged across tiles. Simplified low-zoom outlines are plenty for a bbox.
 */
export async function fetchTopRegions(): Promise<District[]> {
    const tj = await fetchTileJson('regions');
    const b = validBounds(tj);
    const template = tj.tiles?.[0];
    if (!b || !template) return [];
    let z = Math.min(8, tj.maxzoom ?? 8);
    const span = (zz: number) => (tileX(b[2], zz) - tileX(b[0], zz) + 1) * (tileY(b[1], zz) - tileY(b[3], zz) + 1);
    while (z > (tj.minzoom ?? 0) && span(z) > 4) z--;

    const urls: string[] = [];
    for (let x = tileX(b[0], z); x <= tileX(b[2], z); x++) {
        for (let y = tileY(b[3], z); y <= tileY(b[1], z); y++) {
            urls.push(template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)).replace(/\.mvt$/, '.geojson'));
        }
    }
    const found = new Map<string, District>();
    const tiles = await Promise.all(urls.map(async url => {
        const res = await fetch(url);
        if (res.status === 204) return []; // an empty tile
        if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
        return ((await res.json()) as {features?: Feature[]}).features ?? [];
    }));
    for (const features of tiles) {
        for (const f of features) {
            const p = f.properties ?? {};
            if (p.level !== 'district' && p.level !== 'city') continue;
            const code = String(p.code);
            const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
            const d = found.get(code) ?? {
                code, name: String((p.name as string | undefined) ?? code), level: p.level, projects: Number(p.projects ?? 0),
                households: num(p.households) ?? 0, signed: num(p.signed) ?? 0, sign_rate: num(p.sign_rate),
                bounds: [Infinity, Infinity, -Infinity, -Infinity],
            };
            extend(d.bounds, f.geometry?.coordinates);
            found.set(code, d);
        }
    }
    return [...found.values()].filter(d => Number.isFinite(d.bounds[0])).sort((x, y) => x.code.localeCompare(y.code));
}

/** The district to open on: the one asked for, else the one with the most projects (lowest code on ties). */
export function defaultDistrict(districts: District[], wanted: string | null): District | undefined {
    return districts.find(d => d.code === wanted || d.name === wanted)
        ?? [...districts].sort((a, b) => b.projects - a.projects || a.code.localeCompare(b.code))[0];
}
