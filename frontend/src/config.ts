// Run-time options read from the page URL: everything optional, nothing fetched from the internet unless asked for.

export type AppConfig = {
    /** XYZ raster template drawn under the data (`?basemap=https://…/{z}/{x}/{y}.png`); off by default. */
    basemap: string | null;
    /** Region code of the district to open on (`?district=430702`); default: the one with the most projects. */
    district: string | null;
};

export function readConfig(search = location.search): AppConfig {
    const q = new URLSearchParams(search);
    const basemap = q.get('basemap');
    return {
        basemap: basemap && /\{z\}/.test(basemap) ? basemap : null,
        district: q.get('district'),
    };
}

