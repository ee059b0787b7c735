// Files a planner would drop on the map, made for the test: a GeoJSON (areas, a line, points) and a zipped Shapefile in a Gauss-Kruger zone (ogr2ogr).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** Metres to degrees near latitude `lat`, enough for squares of a hundred metres. */
const dLat = m => m / 111_320;
const dLon = (m, lat) => m / (111_320 * Math.cos((lat * Math.PI) / 180));

function square(lon, lat, size, properties) {
    const w = dLon(size, lat), h = dLat(size);
    return {
        type: 'Feature', properties,
        geometry: {type: 'Polygon', coordinates: [[[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]]},
    };
}

/** Three planned plots, a planned road and two survey points east of (lon, lat): 6 features, WGS84. */
export function plannedGeojson(lon, lat) {
    const features = [0, 1, 2].map(i => square(lon + dLon(150 * i, lat), lat, 110, {name: `规划地块${i + 1}`, kind: 'plot'}));
    features.push({
        type: 'Feature', properties: {name: '规划道路', kind: 'road'},
        geometry: {type: 'LineString', coordinates: [[lon - dLon(40, lat), lat - dLat(40)], [lon + dLon(450, lat), lat - dLat(40)], [lon + dLon(500, lat), lat + dLat(150)]]},
    });
    for (const [i, [dx, dy]] of [[55, 180], [355, 180]].entries()) {
        features.push({type: 'Feature', properties: {name: `测量点${i + 1}`, kind: 'point'},
            geometry: {type: 'Point', coordinates: [lon + dLon(dx, lat), lat + dLat(dy)]}});
    }
    return {type: 'FeatureCollection', features};
}

/** The CGCS2000 3-degree Gauss-Kruger zone around `lon` (EPSG:4534 is central meridian 75°E, one code per 3°). */
export const gaussKrugerEpsg = lon => 4534 + (Math.round(lon / 3) * 3 - 75) / 3;

/** Four parcels south of (lon, lat) as a zipped Shapefile in the local Gauss-Kruger zone: {bytes, epsg, wgs84} (wgs84: the same in GeoJSON). */
export function parcelShapefileZip(lon, lat) {
    const dir = mkdtempSync(path.join(tmpdir(), 'onemap-shp-'));
    try {
        const wgs84 = {
            type: 'FeatureCollection',
            features: [0, 1, 2, 3].map(i => square(lon + dLon(130 * (i % 2), lat), lat - dLat(300 + 130 * Math.floor(i / 2)), 120, {code: `GH-${i + 1}`, land_use: '居住'})),
        };
        const src = path.join(dir, 'src.geojson');
        writeFileSync(src, JSON.stringify(wgs84));
        const epsg = gaussKrugerEpsg(lon);
        execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', `EPSG:${epsg}`, '-lco', 'ENCODING=UTF-8', '-nln', 'planned_parcels',
            path.join(dir, 'planned_parcels.shp'), src], {stdio: 'pipe'});
        const zip = path.join(dir, 'planned_parcels.zip');
        // Python's zipfile: Debian's gdal-bin depends on python3, and Node has no zip writer of its own.
        execFileSync('python3', ['-c', `
import glob, os, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(os.path.join(d, 'planned_parcels.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
    for f in sorted(glob.glob(os.path.join(d, 'planned_parcels.*'))):
        if not f.endswith('.zip'):
            z.write(f, os.path.basename(f))
`, dir], {stdio: 'pipe'});
        return {bytes: readFileSync(zip), epsg, wgs84};
    } finally {
        rmSync(dir, {recursive: true, force: true});
    }
}

/** The positions of a GeoJSON coordinates array of any depth. */
const positions = c => (typeof c[0] === 'number' ? [c] : c.flatMap(positions));

/** [w, s, e, n] of a FeatureCollection. */
export function bboxOf(fc) {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of fc.features) {
        for (const [x, y] of positions(f.geometry.coordinates)) {
            b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
        }
    }
    return b;
}
