// Entry point of the wall display (/wall/): kiosk login, dark map, region overview, rotating project spotlight, clock, live ticker.
import 'maplibre-gl/dist/maplibre-gl.css';
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../procedure/timeline.css';
import './wall.css';
import {Map as MlMap, setWorkerUrl, type PaddingOptions} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import {defaultDistrict, fetchTopRegions} from '../api/districts';
import {renewOnExpiry} from '../auth/expiry';
import {ensureSession} from '../auth/session';
import {fetchRecentEvents} from '../api/cockpit';
import {readConfig} from '../config';
import {t} from '../i18n';
import {startLive} from '../live/index';
import {TickerControl} from '../live/ticker';
import {darkStyle} from '../map/dark';
import {installLabelPoints} from '../map/labelpoints';
import {installSelectionLayers} from '../map/selection';
import {buildStyle} from '../map/style';
import {showDay} from '../map/history';
import {AsOf, asOfFromUrl} from '../ui/asof';
import {TimeBar} from '../ui/timebar';
import {el} from '../ui/dom';
import {WallClock} from './clock';
import {Overview} from './overview';
import {Spotlight} from './spotlight';
import {WallGroupRanking} from '../groups/wall';
import {token} from '../tokens';
import {chooseBasemap} from '../map/basemap';
import {fetchBasemaps} from '../site';

declare global {
    interface Window {
        __map?: MlMap;
        __mapReady?: boolean;
        __wall?: {spotlight: Spotlight; region: string | null};
        __asOf?: AsOf;
        __timebar?: TimeBar;
    }
}

/** 1 at 1080 pixels high, 2 on a 4K wall: map labels and chart fonts grow with the screen. */
const SCALE = Math.max(1, window.innerHeight / 1080);

async function start(): Promise<void> {
    setWorkerUrl(new URL(workerUrl, location.href).href);
    const config = readConfig();
    await ensureSession(config.kiosk);
    // the wall shows the basemap the server pins for it (`wall_basemap`), or `?basemap=`; no switcher
    const basemaps = await fetchBasemaps();
    const basemap = chooseBasemap(basemaps.basemaps, config.basemap, basemaps.wall, false);
    const top = await fetchTopRegions().catch(err => { console.warn('regions unavailable:', err); return []; });
    const region = config.region ?? defaultDistrict(top.filter(d => d.level === 'district'), null)?.code;
    const home = top.find(d => d.code === region);

    const bar = el('header', 'om-wall-top');
    const brand = el('div', 'om-wall-brand');
    brand.append(t('common.onemap'), el('small', undefined, t('wall.command_center')));
    const clock = new WallClock();
    bar.append(brand, clock.el);
    // The wall's one time: live, or the past day in the URL (?as_of=); the time bar replays day by day.
    const asOf = new AsOf(asOfFromUrl());
    window.__asOf = asOf;
    const timebar = new TimeBar(asOf);
    timebar.el.classList.add('om-wall-timebar');
    window.__timebar = timebar;
    const overview = region ? new Overview(region, asOf) : null;
    // the week's street ranking and today's work group ranking of the region: side by side along the
    // map's top edge between the columns, clear of the map's centre
    const groups = region ? new WallGroupRanking(region, asOf) : null;
    const ticker = new TickerControl(4);
    const tickerEl = ticker.onAdd();
    tickerEl.classList.add('om-wall-panel', 'om-wall-ticker');
    document.body.append(bar, ...(overview ? [overview.el, overview.rankingPanel] : []), ...(groups ? [groups.el] : []), tickerEl, timebar.el);

    const map = new MlMap({
        container: 'map',
        style: darkStyle(buildStyle({basemap}), SCALE),
        bounds: home?.bounds ?? [[73, 18], [135, 54]],
        fitBoundsOptions: {padding: 40},
        interactive: false,
        attributionControl: false,
        maxPitch: 0,
        // Tiles of views already left, per source. The spotlight comes back to a project only after
        // a full round (minutes later), so a bigger cache would only hold memory: this one keeps the
        // tiles a flight passes over, and the wall reaches its memory ceiling within two projects.
        maxTileCacheSize: 24,
    });
    window.__map = map;

    const padding = (): PaddingOptions => {
        const W = window.innerWidth, H = window.innerHeight, u = SCALE;
        const left = overview ? overview.el.getBoundingClientRect().right : 0;
        const right = spotlight.el.getBoundingClientRect().left || W;
        // below the two rankings along the map's top edge
        const top = Math.max(bar.getBoundingClientRect().bottom + 40 * u, (groups?.el.getBoundingClientRect().bottom ?? 0) + 24 * u,
            (overview?.rankingPanel.getBoundingClientRect().bottom ?? 0) + 24 * u);
        return {left: left + 40 * u, right: W - right + 40 * u, top,
            bottom: H - tickerEl.getBoundingClientRect().top + 30 * u};
    };
    const spotlight = new Spotlight(map, region ?? '', config.rotate, padding, SCALE);
    document.body.append(spotlight.el);
    window.__wall = {spotlight, region: region ?? null};

    installLabelPoints(map);
    renewOnExpiry(map, config.kiosk);
    startLive(map, {
        heartbeat: config.heartbeat,
        kiosk: config.kiosk,
        onStatus: ev => {
            ticker.add(ev);
            overview?.apply(ev);
            spotlight.apply(ev);
            groups?.status();
        },
        onProcedure: ev => {
            ticker.addProcedure(ev);
            overview?.procedure(ev);
        },
        onCase: () => overview?.cases.soon(),
        onUnit: () => overview?.housing.soon(),
        onResync: () => { overview?.resync(); groups?.reload(); },
        onGroups: () => groups?.reload(),
        onAlive: at => clock.alive(at),
        onConnection: on => {
            clock.connected(on);
            ticker.setConnected(on);
        },
        mapPaused: () => !asOf.live,
    });
    fetchRecentEvents(4).then(evs => [...evs].reverse().forEach(ev => ticker.add(ev))).catch(() => {});
    overview?.start();

    await map.once('load');
    installSelectionLayers(map, token('--om-amber-380'), SCALE);
    window.__mapReady = true;
    if (asOf.day) showDay(map, asOf.day);
    asOf.onChange(day => showDay(map, day));
    await spotlight.start();
}

start().catch(err => {
    console.error('onemap wall failed to start:', err);
});
