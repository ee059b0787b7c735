// Lengths and areas on the Earth for the measuring tools: haversine distance and the spherical polygon area (as turf computes them), in metres and m².

export type LngLat = [number, number];

/** WGS84's equatorial radius: turf's (and PostGIS's sphere) choice for areas. */
const EARTH_RADIUS = 6378137;
/** The mean radius: haversine distances closest to the ellipsoid's on average. */
const MEAN_RADIUS = 6371008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Metres between two points along the great circle. */
export function distance(a: LngLat, b: LngLat): number {
    const dLat = rad(b[1] - a[1]), dLon = rad(b[0] - a[0]);
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
    return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Metres along a path of points. */
export function pathLength(points: LngLat[]): number {
    let sum = 0;
    for (let i = 1; i < points.length; i++) sum += distance(points[i - 1], points[i]);
    return sum;
}

/**
 * m² inside a ring (open or closed), by Chamberlain & Duquette's spherical formula
 * ("Some algorithms for polygons on a sphere", JPL 2007), as turf's area() does.
 */
export function ringArea(ring: LngLat[]): number {
    const pts = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring;
    const n = pts.length;
    if (n < 3) return 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
        const lower = pts[i], middle = pts[(i + 1) % n], upper = pts[(i + 2) % n];
        sum += (rad(upper[0]) - rad(lower[0])) * Math.sin(rad(middle[1]));
    }
    return Math.abs((sum * EARTH_RADIUS * EARTH_RADIUS) / 2);
}

/** 1 亩 = 10000/15 m²; 1 公顷 (hectare) = 10000 m². */
export const M2_PER_MU = 10000 / 15;
export const M2_PER_HA = 10000;
