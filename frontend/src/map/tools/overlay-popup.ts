// Click a feature of a planner's overlay (map/overlays.ts): a popup with its attributes as the file has them.
import {Popup, type Map as MlMap, type MapGeoJSONFeature, type PointLike} from 'maplibre-gl';
import {t} from '../../i18n';
import {el} from '../../ui/dom';
import {DRAWING_CLASS} from './sketch';

/** Overlay layers are `overlay-<n>-fill|line|point`. */
const overlayLayers = (map: MlMap) => map.getStyle().layers.map(l => l.id).filter(id => /^overlay-\d+-(fill|line|point)$/.test(id));

/** The overlay features under a point, points and lines before areas. */
export function overlayHits(map: MlMap, point: PointLike): MapGeoJSONFeature[] {
    const layers = overlayLayers(map);
    if (!layers.length) return [];
    const order = (f: MapGeoJSONFeature) => (f.layer.id.endsWith('-point') ? 0 : f.layer.id.endsWith('-line') ? 1 : 2);
    return map.queryRenderedFeatures(point, {layers}).sort((a, b) => order(a) - order(b));
}

/** On the map's container while a mode takes the map's clicks for itself (the cockpit's 工作组 mode picks buildings). */
export const TAKES_CLICKS_CLASS = 'om-takes-clicks';

/** Whether a click at `point` is the map tools': drawing, a mode that takes clicks, or on an overlay's feature (its popup). */
export const toolTakesClick = (map: MlMap, point: PointLike): boolean =>
    map.getContainer().classList.contains(DRAWING_CLASS) || map.getContainer().classList.contains(TAKES_CLICKS_CLASS) || overlayHits(map, point).length > 0;

function card(f: MapGeoJSONFeature): HTMLElement {
    const root = el('div', 'om-card om-overlay-card');
    root.append(el('div', 'om-card-kind', t('maptools.overlay.feature')));
    const table = el('table');
    const entries = Object.entries(f.properties ?? {}).filter(([, v]) => v !== null && v !== '');
    for (const [key, value] of entries.slice(0, 40)) {
        const tr = table.insertRow();
        tr.append(el('th', undefined, key), el('td', undefined, typeof value === 'object' ? JSON.stringify(value) : String(value)));
    }
    if (!entries.length) root.append(el('p', 'om-hint', t('maptools.overlay.no_attributes')));
    root.append(table);
    return root;
}

export function installOverlayPopup(map: MlMap): void {
    const popup = new Popup({closeButton: true, closeOnClick: false, maxWidth: '360px', className: 'om-popup om-overlay-popup'});
    map.on('click', e => {
        if (map.getContainer().classList.contains(DRAWING_CLASS)) return;
        const [f] = overlayHits(map, e.point);
        if (f) popup.setLngLat(e.lngLat).setDOMContent(card(f)).addTo(map);
        else popup.remove();
    });
}
