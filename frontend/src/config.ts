// Run-time options read from the page URL: everything optional, nothing fetched from the internet unless asked for.

export type AppConfig = {
    /** XYZ raster template drawn under the data (`?basemap=https://…/{z}/{x}/{y}.png`); off by default. */
    basemap: string | null;
    /** Region code of the district to open on (`?district=430702`); default: the one with the most projects. */
    district: string | null;
    /** Kiosk token for unattended wall displays (`?kiosk=TOKEN`): logs in without a form. */
    kiosk: string | null;
    /** Seconds between live-feed heartbeats (`?heartbeat=5`, 1–60, default 15); the stale warning waits 2.5 of them. */
    heartbeat: number;
};

export function readConfig(search = location.search): AppConfig {
    const q = new URLSearchParams(search);
    const basemap = q.get('basemap');
    const heartbeat = Math.round(Number(q.get('heartbeat') ?? 15));
    return {
        basemap: basemap && /\{z\}/.test(basemap) ? basemap : null,
        district: q.get('district'),
        kiosk: q.get('kiosk') || null,
        heartbeat: Number.isFinite(heartbeat) && heartbeat >= 1 && heartbeat <= 60 ? heartbeat : 15,
    };
}
