// Shows or hides everything drawn from one tile layer (fills, outlines, labels), for the planners' layer switcher.
import type {Map as MlMap} from 'maplibre-gl';
import type {TileLayer} from '../api/tilejson';
import {LABEL_SOURCE} from './labelpoints';
import {LAYER} from './layers';
import {PICK_LAYER} from './selection';

/*
 * The transparent hit layers stay on: the drill-down by clicking still finds regions under a
 * hidden choropleth. The selection outlines (selection-*) stay on too: they say what is selected.
 */
const ALWAYS_ON = new Set<string>([LAYER.regionsHit, PICK_LAYER]);

/** The style layers drawing tile layer `group`: its own source's, and its labels (named `{group}-label…`). */
export function groupLayers(map: MlMap, group: TileLayer): string[] {
    return map.getStyle().layers
        .filter(l => 'source' in l && !ALWAYS_ON.has(l.id) && !l.id.startsWith('selection-'))
        .filter(l => {
            const source = (l as {source: string}).source;
            return source === group || (source === LABEL_SOURCE && l.id.startsWith(`${group}-`));
        })
        .map(l => l.id);
}

export function setGroupVisible(map: MlMap, group: TileLayer, visible: boolean): void {
    for (const id of groupLayers(map, group)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

export function isGroupVisible(map: MlMap, group: TileLayer): boolean {
    return groupLayers(map, group).some(id => map.getLayoutProperty(id, 'visibility') !== 'none');
}
