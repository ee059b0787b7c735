// A small map of a published project's area on its public page: the project's outline only (from /api/public/projects/CODE), over the optional basemap; loaded on demand.
import 'maplibre-gl/dist/maplibre-gl.css';
import type {LngLatBoundsLike} from 'maplibre-gl';
import {readConfig} from '../config';
import {zhText} from '../i18n';
import {BACKGROUND} from '../map/palette';
import {token} from '../tokens';
import {el} from '../ui/dom';
import type {Outline} from './api';
import {basemapStyle, chooseBasemap} from '../map/basemap';
import {fetchBasemaps} from '../site';

/** Every [lon, lat] of the outline, whichever of Polygon or MultiPolygon it is. */
function positions(o: Outline): number[][] {
    const polygons = o.type === 'Polygon' ? [o.coordinates] : o.coordinates;
    return polygons.flat(2);
}

function bounds(o: Outline): LngLatBoundsLike {
    const pts = positions(o);
    const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
    return [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
}

/** The card with the map; MapLibre is fetched only when a project page is opened. */
export function areaMap(outline: Outline, place: string): HTMLElement {
    const card = el('section', 'pub-card pub-area');
    card.setAttribute('aria-label', zhText('public.project.area'));
    const box = el('div', 'pub-area-map');
    card.append(el('h2', undefined, zhText('public.project.area')), box, el('p', 'pub-hint', [place, zhText('public.project.area_note')].filter(Boolean).join(' · ')));
    void (async () => {
        const [{Map: MlMap, setWorkerUrl}, {default: workerUrl}] = await Promise.all([
            import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl-worker.mjs?url'),
        ]);
        setWorkerUrl(new URL(workerUrl, location.href).href);
        const chosen = chooseBasemap((await fetchBasemaps()).basemaps, readConfig().basemap, null, false);
        const basemap = chosen ? basemapStyle(chosen) : {sources: {}, layers: []};
        const map = new MlMap({
            container: box,
            style: {
                version: 8,
                sources: {
                    area: {type: 'geojson', data: {type: 'Feature', properties: {}, geometry: outline}},
                    ...basemap.sources,
                },
                layers: [
                    {id: 'background', type: 'background', paint: {'background-color': BACKGROUND}},
                    ...basemap.layers,
                    {id: 'area-fill', type: 'fill', source: 'area', paint: {'fill-color': token('--om-red-530'), 'fill-opacity': 0.12}},
                    {id: 'area-line', type: 'line', source: 'area', paint: {'line-color': token('--om-red-530'), 'line-width': 2.5}},
                ],
            },
            bounds: bounds(outline),
            fitBoundsOptions: {padding: 24},
            attributionControl: false,
            cooperativeGestures: true,
            maxZoom: 19,
        });
        map.once('idle', () => { box.dataset.ready = 'true'; });
    })().catch(err => {
        console.warn('area map unavailable:', err);
        box.replaceChildren(el('p', 'om-empty', zhText('common.data_unavailable')));
    });
    return card;
}
