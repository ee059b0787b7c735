// One label point per region and project, computed from the loaded tiles, so a polygon cut into several tiles is named once.
import type {Feature, FeatureCollection} from 'geojson';
import type {GeoJSONFeature, GeoJSONSource, Map as MlMap} from 'maplibre-gl';

/*
 * MapLibre labels a polygon once per tile piece, so a district spread over six tiles shows its
 * name six times. We instead gather every loaded piece of a feature (querySourceFeatures), and
 * put one point inside it: the middle of the widest horizontal run through the pieces, tried at
 * a few heights. That point lies inside the polygon even for concave shapes (unlike a centroid).
 * A server-side label point per feature (ST_MaximumInscribedCircle) would be better still.
 */

export const LABEL_SOURCE = 'labels';

type Ring = number[][];
type Interval = [number, number];

function ringsOf(f: GeoJSONFeature): Ring[][] {
    const g = f.geometry;
    if (g.type === 'Polygon') return [g.coordinates];
    if (g.type === 'MultiPolygon') return g.coordinates;
    return [];
}

/** Where a horizontal line at `y` is inside a polygon (even–odd over all its rings). */
function runs(polygon: Ring[], y: number): Interval[] {
    const xs: number[] = [];
    for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [x1, y1] = ring[i];
            const [x2, y2] = ring[j];
            if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
        }
    }
    xs.sort((a, b) => a - b);
    const out: Interval[] = [];
    for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i], xs[i + 1]]);
    return out;
}

/** Merges overlapping runs from different tile pieces (they overlap in the tile buffer). */
function merge(intervals: Interval[]): Interval[] {
    intervals.sort((a, b) => a[0] - b[0]);
    const out: Interval[] = [];
    for (const iv of intervals) {
        const last = out[out.length - 1];
        if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
        else out.push([...iv]);
    }
    return out;
}

/** A point inside the union of the pieces, or null if they have no area. */
export function labelPoint(pieces: Ring[][]): [number, number] | null {
    let s = Infinity;
    let n = -Infinity;
    for (const poly of pieces) for (const [, y] of poly[0] ?? []) { s = Math.min(s, y); n = Math.max(n, y); }
    if (!(n > s)) return null;
    let best: [number, number] | null = null;
    let width = 0;
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
        const y = s + (n - s) * t;
        for (const [a, b] of merge(pieces.flatMap(p => runs(p, y)))) {
            // Prefer the middle height unless another is clearly wider.
            if (b - a > width * 1.25) { width = b - a; best = [(a + b) / 2, y]; }
        }
    }
    return best;
}

type Spec = {source: string; kind: (f: GeoJSONFeature) => string | null};
const SPECS: Spec[] = [
    {source: 'regions', kind: f => String(f.properties.level ?? '') || null},
    {source: 'projects', kind: () => 'project'},
    {source: 'estates', kind: () => 'estate'},
];

function collect(map: MlMap): FeatureCollection {
    const features: Feature[] = [];
    for (const {source, kind} of SPECS) {
        if (!map.getSource(source)) continue;
        const groups = new Map<string | number, {f: GeoJSONFeature; pieces: Ring[][]}>();
        for (const f of map.querySourceFeatures(source, {sourceLayer: source})) {
            const key = f.id ?? String(f.properties.code);
            const g = groups.get(key) ?? {f, pieces: []};
            g.pieces.push(...ringsOf(f));
            groups.set(key, g);
        }
        for (const [key, {f, pieces}] of groups) {
            const k = kind(f);
            const at = k && labelPoint(pieces);
            if (!at) continue;
            features.push({
                type: 'Feature',
                geometry: {type: 'Point', coordinates: at},
                properties: {kind: k, name: (f.properties.name as string | undefined) ?? '', source, key: String(key)},
            });
        }
    }
    // Stable order so an unchanged view yields an identical document (and no needless redraw).
    const order = (f: Feature) => `${f.properties!.source}/${f.properties!.key}`;
    features.sort((a, b) => order(a).localeCompare(order(b)));
    return {type: 'FeatureCollection', features};
}

/** Keeps the label source in step with the loaded tiles; updates only when the points change. */
export function installLabelPoints(map: MlMap): void {
    let last = '';
    const update = () => {
        const data = collect(map);
        const sig = JSON.stringify(data);
        if (sig === last) return;
        last = sig;
        // setData's promise only says when the worker has it; nothing waits for that
        void map.getSource<GeoJSONSource>(LABEL_SOURCE)?.setData(data);
    };
    // Soon after any region/project tile arrives, and once more when the map settles.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
        clearTimeout(timer);
        timer = setTimeout(update, 120);
    };
    map.on('sourcedata', e => {
        if (e.tile && SPECS.some(spec => spec.source === e.sourceId)) soon();
    });
    map.on('moveend', soon);
    map.on('idle', update);
}
