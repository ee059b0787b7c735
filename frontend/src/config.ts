// Run-time options read from the page URL: everything optional, nothing fetched from the internet unless asked for.

export type AppConfig = {
    /** The basemap drawn under the data: a configured one's id (`?basemap=tdt-img`) or an XYZ template (`?basemap=https://…/{z}/{x}/{y}.png`); off by default. */
    basemap: string | null;
    /** Region code of the district to open on (`?district=430702`); default: the one with the most projects. */
    district: string | null;
    /** Kiosk token for unattended wall displays (`?kiosk=TOKEN`): logs in without a form. */
    kiosk: string | null;
    /** Seconds between live-feed heartbeats (`?heartbeat=5`, 1–60, default 15); the stale warning waits 2.5 of them. */
    heartbeat: number;
    /** Region to select first (`?region=430702001`); `?district=` is its older name. */
    region: string | null;
    /** Project to select first (`?project=12`). */
    project: number | null;
    /** Wall display: seconds per project in the spotlight (`?rotate=20`, 3–600). */
    rotate: number;
};

export function readConfig(search = location.search): AppConfig {
    const q = new URLSearchParams(search);
    const basemap = q.get('basemap');
    const heartbeat = Math.round(Number(q.get('heartbeat') ?? 15));
    const project = Number(q.get('project'));
    const rotate = Number(q.get('rotate') ?? 20);
    return {
        basemap: basemap || null,
        district: q.get('district'),
        kiosk: q.get('kiosk') || null,
        heartbeat: Number.isFinite(heartbeat) && heartbeat >= 1 && heartbeat <= 60 ? heartbeat : 15,
        region: q.get('region') || q.get('district'),
        project: Number.isInteger(project) && project > 0 ? project : null,
        rotate: Number.isFinite(rotate) && rotate >= 3 && rotate <= 600 ? rotate : 20,
    };
}
