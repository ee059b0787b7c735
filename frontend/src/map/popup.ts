// Click a feature: highlight it with feature-state and show its properties in a popup.
import {Popup, type Map as MlMap, type MapGeoJSONFeature, type MapMouseEvent} from 'maplibre-gl';
import {cardFor, type Card} from './fields';
import {withLiveState} from '../live/apply';
import {INTERACTIVE_LAYERS} from './layers';
import {toolTakesClick} from './tools/overlay-popup';

type Selection = {source: string; sourceLayer?: string; id: string | number};

function render(card: Card): HTMLElement {
    const root = document.createElement('div');
    root.className = 'om-card';
    const kind = document.createElement('div');
    kind.className = 'om-card-kind';
    kind.textContent = card.kind;
    const title = document.createElement('div');
    title.className = 'om-card-title';
    title.textContent = card.title;
    const table = document.createElement('table');
    for (const row of card.rows) {
        const tr = table.insertRow();
        const th = document.createElement('th');
        th.textContent = row.label;
        const td = tr.insertCell();
        if (row.swatch) {
            const sw = document.createElement('span');
            sw.className = 'om-swatch';
            sw.style.background = row.swatch;
            td.append(sw);
        }
        td.append(row.value);
        tr.prepend(th);
    }
    root.append(kind, title, table);
    return root;
}

/**
 * Names for the ids a feature refers to (its project, its parcel), read from the tiles already
 * loaded: MVT feature ids are the database ids, so no request is needed. Absent when not loaded.
 */
function withRelated(map: MlMap, props: Record<string, unknown>): Record<string, unknown> {
    const lookup = (source: string, id: unknown, prop: string) => {
        if (id === null || id === undefined || !map.getSource(source)) return undefined;
        const [f] = map.querySourceFeatures(source, {sourceLayer: source, filter: ['==', ['id'], Number(id)]});
        return f?.properties?.[prop] as unknown;
    };
    return {
        ...props,
        project_name: lookup('projects', props.project_id, 'name'),
        parcel_code: lookup('parcels', props.parcel_id, 'code'),
    };
}

/** Lower is more specific: buildings before parcels before projects, a community before its street. */
function rank(f: MapGeoJSONFeature): number {
    const layer = (INTERACTIVE_LAYERS as readonly string[]).indexOf(f.layer.id);
    return layer * 10 + (f.properties?.level === 'street' ? 1 : 0);
}

/**
 * Wires click-to-inspect on the interactive layers (or only `inspect`, when clicks on the others
 * mean something else, like drilling down); returns nothing, state lives in the closure.
 */
export function installPopup(map: MlMap, inspect: readonly string[] = INTERACTIVE_LAYERS): void {
    const popup = new Popup({closeButton: true, closeOnClick: false, maxWidth: '340px', className: 'om-popup'});
    let current: Selection | null = null;

    const select = (next: Selection | null) => {
        if (current) map.setFeatureState(current, {selected: false});
        current = next;
        if (current) map.setFeatureState(current, {selected: true});
    };
    popup.on('close', () => select(null));

    map.on('click', (e: MapMouseEvent) => {
        // drawing, or an overlay's feature (its own popup): not a building's
        if (toolTakesClick(map, e.point)) return;
        const layers = inspect.filter(id => map.getLayer(id));
        const hits: MapGeoJSONFeature[] = map.queryRenderedFeatures(e.point, {layers});
        // queryRenderedFeatures lists top layers first; our order makes "most specific" explicit.
        hits.sort((a, b) => rank(a) - rank(b));
        const f = hits[0];
        const card = f && cardFor(f.source, withRelated(map, withLiveState(f.properties ?? {}, f.state)));
        if (!f || !card) {
            popup.remove();
            return;
        }
        // addTo() closes an open popup first, which clears the old selection: select afterwards.
        popup.setLngLat(e.lngLat).setDOMContent(render(card)).addTo(map);
        select(f.id === undefined ? null : {source: f.source, sourceLayer: f.sourceLayer, id: f.id});
    });

    for (const id of inspect) {
        map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
        map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
    }
}
