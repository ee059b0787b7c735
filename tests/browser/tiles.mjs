// Web Mercator tile numbering for the browser tests that write basemap files: which XYZ tiles cover a longitude/latitude box.

/** Tile x/y of a longitude/latitude at zoom z (Web Mercator, XYZ numbering). */
function tileOf(lon, lat, z) {
    const n = 2 ** z;
    const rad = lat * Math.PI / 180;
    return [Math.floor((lon + 180) / 360 * n), Math.floor((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2 * n)];
}

/** Every tile [z, x, y] (XYZ: rows from the north) covering [west, south, east, north] at zooms `from`–`to`. */
export function tilesOver([west, south, east, north], from, to) {
    const tiles = [];
    for (let z = from; z <= to; z++) {
        const [x0, y0] = tileOf(west, north, z);
        const [x1, y1] = tileOf(east, south, z);
        for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) tiles.push([z, x, y]);
    }
    return tiles;
}
