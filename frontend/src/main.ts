// Entry point of the map page: logs in, builds the map, its controls, the live feed and the initial view; exposes the map to tests.
import 'maplibre-gl/dist/maplibre-gl.css';
// The same shipped font for the page's own text (legend, popup) as for the map labels.
import '@fontsource-variable/noto-sans-sc';
import './style.css';
import {AttributionControl, Map as MlMap, NavigationControl, ScaleControl, setWorkerUrl, type LngLatBoundsLike} from 'maplibre-gl';
// maplibre-gl 6 finds its worker next to its own module, which bundling moves; point it at our copy.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import {defaultDistrict, fetchDistricts, type District} from './api/districts';
import {fetchTileJson, validBounds} from './api/tilejson';
import {renewOnExpiry} from './auth/expiry';
import {ensureSession} from './auth/session';
import {userLine} from './auth/userline';
import {readConfig} from './config';
import {GaugesControl} from './live/gauges';
import {startLive} from './live/index';
import {TickerControl} from './live/ticker';
import {installLabelPoints} from './map/labelpoints';
import {LegendControl} from './map/legend';
import {installPopup} from './map/popup';
import {buildStyle} from './map/style';
import {DistrictSwitcher} from './ui/districts';

declare global {
    interface Window {
        __map?: MlMap;
        __mapReady?: boolean;
    }
}

/** Where to look before anything is known: all of China, roughly. */
const CHINA: LngLatBoundsLike = [[73, 18], [135, 54]];

/** Where to open: the default district, else all projects, else China. The URL hash wins over all. */
async function initialView(wanted: string | null): Promise<{bounds: LngLatBoundsLike; districts: District[]; first?: District}> {
    const [districts, projects] = await Promise.all([
        fetchDistricts().catch(err => { console.warn('districts unavailable:', err); return []; }),
        fetchTileJson('projects').catch(err => { console.warn('projects TileJSON unavailable:', err); return null; }),
    ]);
    const first = defaultDistrict(districts, wanted);
    const bounds = (first?.bounds ?? validBounds(projects) ?? CHINA) as LngLatBoundsLike;
    return {bounds, districts, first};
}

async function start(): Promise<void> {
    setWorkerUrl(new URL(workerUrl, location.href).href);
    const config = readConfig();
    // Every request but the page itself needs a session: log in before fetching anything.
    const user = await ensureSession(config.kiosk);
    const {bounds, districts, first} = await initialView(config.district);

    const map = new MlMap({
        container: 'map',
        style: buildStyle({basemap: config.basemap}),
        // Ignored when the URL hash (#zoom/lat/lon) already says where to look.
        bounds,
        fitBoundsOptions: {padding: 48},
        hash: true,
        attributionControl: false,
        maxPitch: 0,
    });
    window.__map = map;

    // The gauges follow the district the header marks; they keep the last one while the map is elsewhere.
    const gauges = new GaugesControl();
    const ticker = new TickerControl();
    const districtName = (code: string) => districts.find(d => d.code === code)?.name;
    map.addControl(new DistrictSwitcher(districts, userLine(user), code => {
        if (code) void gauges.setRegion(code, districtName(code));
    }), 'top-left');
    map.addControl(gauges, 'top-left');
    const gaugeRegion = first?.code ?? user.region_code;
    if (gaugeRegion && !gauges.region) void gauges.setRegion(gaugeRegion, districtName(gaugeRegion));
    map.addControl(new NavigationControl({showCompass: false}), 'top-right');
    map.addControl(ticker, 'top-right');
    map.addControl(new ScaleControl({unit: 'metric'}), 'bottom-right');
    map.addControl(new AttributionControl({compact: true, customAttribution: 'onemap 征拆一张图'}), 'bottom-right');
    map.addControl(new LegendControl(), 'bottom-left');
    installPopup(map);
    installLabelPoints(map);
    renewOnExpiry(map, config.kiosk);
    startLive(map, {heartbeat: config.heartbeat, kiosk: config.kiosk, gauges, ticker});

    await map.once('load');
    window.__mapReady = true;
}

start().catch(err => {
    console.error('onemap failed to start:', err);
});
