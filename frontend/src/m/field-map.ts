// The field screen's small map: the worker's area, buildings coloured by status; tap one to open it.
import 'maplibre-gl/dist/maplibre-gl.css';
import {Map as MlMap, NavigationControl, setWorkerUrl, type LngLatBoundsLike} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import {fetchRegion} from '../api/cockpit';
import {fetchTileJson} from '../api/tilejson';
import {readConfig} from '../config';
import {LAYER} from '../map/layers';
import {buildStyle} from '../map/style';
import {BUILDINGS_FROM_ZOOM} from '../status/lasso';
import {chooseBasemap} from '../map/basemap';
import {fetchBasemaps} from '../site';

declare global {
    interface Window {
        __fieldMap?: MlMap;
    }
}

export class FieldMap {
    readonly el = document.createElement('div');
    private map: MlMap | null = null;
    private picked: number | null = null;
    /** A building found before the map was opened: the map starts there. */
    private pending: {id: number; lon: number; lat: number} | null = null;

    constructor(private regionCode: string | null, private onBuilding: (id: number) => void, private onTooFar: () => void) {
        this.el.className = 'om-field-map';
    }

    /** Creates the map the first time it is shown (MapLibre needs a sized container). */
    async start(): Promise<void> {
        if (this.map) {
            this.map.resize();
            return;
        }
        setWorkerUrl(new URL(workerUrl, location.href).href);
        const region = this.regionCode ? await fetchRegion(this.regionCode).catch(() => null) : null;
        const tiles = region?.bbox ? null : await fetchTileJson('buildings').catch(() => null);
        const bounds = (region?.bbox ? [[region.bbox[0], region.bbox[1]], [region.bbox[2], region.bbox[3]]] : null) as LngLatBoundsLike | null;
        const basemap = chooseBasemap((await fetchBasemaps()).basemaps, readConfig().basemap);
        const map = new MlMap({
            container: this.el,
            style: buildStyle({basemap}),
            ...(this.pending ? {center: [this.pending.lon, this.pending.lat], zoom: 17}
                : bounds ? {bounds} : {center: [tiles?.center?.[0] ?? 116.4, tiles?.center?.[1] ?? 39.9], zoom: tiles?.center?.[2] ?? 12}),
            attributionControl: false, maxPitch: 0, dragRotate: false, pitchWithRotate: false, touchPitch: false,
        });
        map.touchZoomRotate.disableRotation();
        map.addControl(new NavigationControl({showCompass: false}), 'top-right');
        map.on('click', e => {
            if (!map.getLayer(LAYER.buildingsFill)) return;
            if (map.getZoom() < BUILDINGS_FROM_ZOOM) return this.onTooFar();
            // a finger is wide: look in a small box around the tap
            const {x, y} = e.point;
            const hit = map.queryRenderedFeatures([[x - 8, y - 8], [x + 8, y + 8]], {layers: [LAYER.buildingsFill]}).find(f => f.id !== undefined);
            if (hit) this.onBuilding(Number(hit.id));
        });
        this.map = map;
        window.__fieldMap = map;
        const first = this.pending;
        if (first) map.once('load', () => this.mark(first.id));
    }

    /** Centres the map on a building found by code and outlines it. */
    focus(id: number, lon: number, lat: number): void {
        const map = this.map;
        if (!map) {
            this.pending = {id, lon, lat};
            return;
        }
        map.jumpTo({center: [lon, lat], zoom: Math.max(map.getZoom(), 17)});
        this.mark(id);
    }

    /** Outlines building `id` (the one open below the map). */
    mark(id: number): void {
        const map = this.map;
        if (!map) return;
        const at = (b: number) => ({source: 'buildings', sourceLayer: 'buildings', id: b});
        if (this.picked !== null) map.setFeatureState(at(this.picked), {selected: false});
        this.picked = id;
        map.setFeatureState(at(id), {selected: true});
    }
}
