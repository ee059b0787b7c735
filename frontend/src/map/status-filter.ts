// Shows only the buildings in the chosen statuses, without breaking their live (feature-state) colours.
import type {ExpressionSpecification, FilterSpecification, Map as MlMap} from 'maplibre-gl';
import {LAYER, live} from './layers';

/** The buildings' layers and the paint property that fades each one. */
const FADE: Record<string, 'fill-opacity' | 'line-opacity'> = {[LAYER.buildingsFill]: 'fill-opacity', 'buildings-line': 'line-opacity'};

/** Each map's opacities as the style defined them, to put back when the filter is lifted. */
const styled = new WeakMap<MlMap, Record<string, unknown>>();

/** `value` where `cond` holds, else 0; a zoom curve keeps `zoom` outermost, as MapLibre requires. */
function onlyWhere(cond: unknown, value: unknown): unknown {
    if (Array.isArray(value) && value[0] === 'interpolate' && JSON.stringify(value[2]) === '["zoom"]') {
        const a = value as unknown[];
        return [...a.slice(0, 3), ...a.slice(3).map((v, i) => (i % 2 === 1 ? ['case', cond, v, 0] : v))];
    }
    return ['case', cond, value ?? 1, 0];
}

/**
 * `statuses` null (or all of them) lifts the filter. MapLibre filters cannot read feature-state,
 * so the filter uses the status the tile was cut with; the opacity then also checks the live
 * status, so a building the feed moved out of the chosen statuses disappears at once. (One moved
 * into them appears when its tile is fetched again: the server has already rebuilt it.)
 */
export function filterBuildingStatus(map: MlMap, statuses: string[] | null): void {
    let original = styled.get(map);
    if (!original) {
        original = Object.fromEntries(Object.entries(FADE).filter(([id]) => map.getLayer(id))
            .map(([id, prop]) => [id, map.getPaintProperty(id, prop)]));
        styled.set(map, original);
    }
    for (const [id, prop] of Object.entries(FADE)) {
        if (!map.getLayer(id)) continue;
        if (statuses === null) {
            map.setFilter(id, null);
            map.setPaintProperty(id, prop, original[id] as ExpressionSpecification);
            continue;
        }
        const chosen = ['literal', statuses];
        map.setFilter(id, ['in', ['get', 'status'], chosen] as unknown as FilterSpecification);
        map.setPaintProperty(id, prop, onlyWhere(['in', ['to-string', live('status')], chosen], original[id]) as ExpressionSpecification);
    }
}
