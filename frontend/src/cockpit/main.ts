// Entry point of the cockpit (/): logs in, builds the map, the docks and their panels, the drill-down, the live feed and the planners' tools; exposes state to tests.
import 'maplibre-gl/dist/maplibre-gl.css';
// The same shipped font for the page's own text (panels, popup) as for the map labels.
import '@fontsource-variable/noto-sans-sc';
import '../tokens.css';
import '../style.css';
import '../panels/panels.css';
import '../procedure/timeline.css';
import './cockpit.css';
import {AttributionControl, Map as MlMap, NavigationControl, ScaleControl, setWorkerUrl, type LngLatBoundsLike} from 'maplibre-gl';
// maplibre-gl 6 finds its worker next to its own module, which bundling moves; point it at our copy.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import {defaultDistrict, fetchTopRegions} from '../api/districts';
import {fetchTileJson, validBounds} from '../api/tilejson';
import {renewOnExpiry} from '../auth/expiry';
import {ensureSession} from '../auth/session';
import {userLine} from '../auth/userline';
import {Breadcrumb} from './breadcrumb';
import {Drill, type DrillView} from './drill';
import {buildLayout} from './layout';
import {EstateDrawer} from './estate-drawer';
import {installDrillClick} from './mapclick';
import {CockpitPanels} from './panels';
import {selectionUrl} from './url';
import {readConfig} from '../config';
import {langSwitch} from '../i18n';
import {startLive} from '../live/index';
import {LAYER} from '../map/layers';
import {installLabelPoints} from '../map/labelpoints';
import {LegendControl} from '../map/legend';
import {installPopup} from '../map/popup';
import {fitBbox, highlight, installSelectionLayers} from '../map/selection';
import {buildStyle} from '../map/style';
import {installMapTools} from '../map/tools/index';
import {installPlanners, type Planners} from '../planners/index';
import {installMapStatusWork} from '../status/map-panel';
import {installGroupMode, type GroupMode} from '../groups/map-mode';
import {showDay} from '../map/history';
import {AsOf, asOfFromUrl} from '../ui/asof';
import {TimeBar} from '../ui/timebar';
import {BasemapControl, chooseBasemap} from '../map/basemap';
import {fetchBasemaps} from '../site';

declare global {
    interface Window {
        __map?: MlMap;
        __mapReady?: boolean;
        __drill?: Drill;
        __asOf?: AsOf;
        __timebar?: TimeBar;
        __estates?: EstateDrawer;
    }
}

/** Where to look before anything is known: all of China, roughly. */
const CHINA: LngLatBoundsLike = [[73, 18], [135, 54]];

async function start(): Promise<void> {
    setWorkerUrl(new URL(workerUrl, location.href).href);
    const config = readConfig();
    // Every request but the page itself needs a session: log in before fetching anything.
    const user = await ensureSession(config.kiosk);
    const layout = buildLayout();
    const [top, projects, basemaps] = await Promise.all([
        fetchTopRegions().catch(err => { console.warn('regions unavailable:', err); return []; }),
        fetchTileJson('projects').catch(err => { console.warn('projects TileJSON unavailable:', err); return null; }),
        fetchBasemaps(),
    ]);
    const basemap = chooseBasemap(basemaps.basemaps, config.basemap);
    const districts = top.filter(d => d.level === 'district');
    const first = districts.find(d => d.code === config.region) ?? defaultDistrict(districts, null);
    const hadCamera = /^#\d/.test(location.hash);

    const map = new MlMap({
        container: 'map',
        style: buildStyle({basemap}),
        // Ignored when the URL hash (#zoom/lat/lon) already says where to look.
        bounds: first?.bounds ?? validBounds(projects) ?? CHINA,
        fitBoundsOptions: {padding: layout.padding()},
        hash: true,
        attributionControl: false,
        maxPitch: 0,
    });
    window.__map = map;

    // One time for the whole screen: live, or the past day in the URL (?as_of=), which the time bar changes.
    const asOf = new AsOf(asOfFromUrl());
    window.__asOf = asOf;
    let lastBbox = '';
    // Installed once the style has loaded; until then the drill-down has nothing to tell it.
    let planners: Planners | null = null;
    let groupMode: GroupMode | null = null;
    // A camera in the URL (a shared link, a test) wins over the first selection's extent, until
    // the selection changes.
    let keepCamera: string | null = hadCamera ? '' : null;
    const drill = new Drill(top, (v: DrillView) => {
        breadcrumb.show(v);
        panels.show(v);
        planners?.show(v);
        groupMode?.show(v);
        highlight(map, {region: v.selection.kind === 'region' ? v.selection.code : null, project: v.selection.kind === 'project' ? v.selection.id : null});
        history.replaceState(null, '', selectionUrl(v.selection));
        const key = JSON.stringify(v.selection.kind === 'region' ? v.selection.code : v.selection.kind === 'project' ? v.selection.id : null);
        if (keepCamera === '') keepCamera = key;
        if (keepCamera !== null && keepCamera !== key) keepCamera = null;
        const bbox = JSON.stringify(v.bbox);
        if (v.bbox && bbox !== lastBbox) {
            lastBbox = bbox;
            if (keepCamera === null) fitBbox(map, v.bbox, layout.padding());
        }
    }, () => asOf.day);
    window.__drill = drill;
    const breadcrumb = new Breadcrumb({root: () => drill.root(), region: (code, name) => void drill.region(code, name)});
    layout.crumbSlot.append(breadcrumb.el);
    layout.headerTools.append(langSwitch(), userLine(user));
    const panels = new CockpitPanels(layout, drill, asOf);
    const timebar = new TimeBar(asOf);
    window.__timebar = timebar;
    document.body.append(timebar.el);
    const reselect = () => highlight(map, {region: drill.view.selection.kind === 'region' ? drill.view.selection.code : null,
        project: drill.view.selection.kind === 'project' ? drill.view.selection.id : null});
    asOf.onChange(day => {
        drill.refresh();
        // switching tiles drops the feature-state, the selection's highlight with it
        if (window.__mapReady) showDay(map, day, reselect);
    });

    map.addControl(new NavigationControl({showCompass: false}), 'top-right');
    if (basemaps.basemaps.length) map.addControl(new BasemapControl(basemaps.basemaps, basemap), 'top-right');
    map.addControl(new ScaleControl({unit: 'metric'}), 'bottom-right');
    map.addControl(new AttributionControl({compact: true, customAttribution: 'onemap 征拆一张图'}), 'bottom-right');
    map.addControl(new LegendControl(false), 'bottom-left');
    installPopup(map, [LAYER.buildingsFill, LAYER.parcelsFill]);
    installLabelPoints(map);
    // Writers click a building or lasso several to change their households' status.
    const statusWork = installMapStatusWork(map, user);
    // a clicked estate (or a row of the housing panel) opens its 楼盘表 beside the map
    const estates = new EstateDrawer();
    window.__estates = estates;
    panels.housing.onEstate = code => void estates.open(code);
    installDrillClick(map, () => drill.view, {region: (code, name) => void drill.region(code, name), project: id => void drill.project(id),
        estate: code => void estates.open(code)});
    renewOnExpiry(map, config.kiosk);
    startLive(map, {
        heartbeat: config.heartbeat, kiosk: config.kiosk,
        onStatus: ev => { panels.status(ev); statusWork?.apply(ev); }, onProcedure: ev => panels.procedure(ev), onCase: ev => panels.case(ev),
        onUnit: ev => { estates.apply(ev); panels.housing.soon(); },
        onResync: () => { panels.resync(); estates.refresh(); }, onConnection: on => panels.ticker.setConnected(on),
        onGroups: ev => groupMode?.changed(ev.project_id),
        mapPaused: () => !asOf.live,
    });
    panels.start();

    // The project or region asked for, else the user's own region (a district's leader starts in it),
    // else the district with the most projects.
    const startAt = config.region ?? user.region_code ?? first?.code;
    if (config.project) void drill.project(config.project);
    else if (startAt) void drill.region(startAt);
    else drill.root();

    await map.once('load');
    installSelectionLayers(map);
    planners = installPlanners(map, user, layout.padding);
    // a wall's kiosk session may not search nor count inside a boundary: no tools to refuse it
    if (!config.kiosk) {
        installMapTools(map, {
            padding: layout.padding, project: id => void drill.project(id), region: (code, name) => void drill.region(code, name),
            onStart: () => statusWork?.close(),
        });
    }
    planners.show(drill.view);
    // 工作组: colour and filter by group; admins and operators assign clicked or lassoed buildings
    groupMode = installGroupMode(map, user, {project: id => void drill.project(id), onStart: () => statusWork?.close()});
    groupMode.show(drill.view);
    reselect();
    window.__mapReady = true;
    if (asOf.day) showDay(map, asOf.day, reselect);
}

start().catch(err => {
    console.error('onemap failed to start:', err);
});
