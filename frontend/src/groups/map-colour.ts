// The buildings coloured by work group instead of status, filtered to one group (or the unassigned), and the legend's list of the shown project's groups; a building's new group shows at once (feature-state) until its tile is fetched again.
import type {ExpressionSpecification, FilterSpecification, Map as MlMap} from 'maplibre-gl';
import {LAYER} from '../map/layers';
import {refetchTiles} from '../map/refetch';
import {GROUP_COLORS, NO_GROUP_COLOR} from './palette';

export type BuildingColouring = 'status' | 'group';
/** A group as the legend names it. */
export type LegendGroup = {id: number; name: string; color: string};

const listeners = new Set<() => void>();
let current: BuildingColouring = 'status';
let legend: {groups: LegendGroup[]; unassigned: boolean} = {groups: [], unassigned: true};
/** The style's own building colour and filters, put back when the colouring returns to status. */
const styled = new WeakMap<MlMap, {color: unknown; filters: Record<string, unknown>}>();
/** Buildings whose group was set as feature-state, per map: dropped when the tiles come again. */
const stated = new WeakMap<MlMap, Set<number>>();
const FILTERED = [LAYER.buildingsFill, 'buildings-line'];

export const buildingColouring = (): BuildingColouring => current;
export const legendGroups = () => legend;

/** Calls `listener` on every change of the colouring or of the groups named; returns the unsubscribe. */
export function onBuildingColouring(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** The building's group: as just assigned (feature-state), else as the tile has it; 0 for none. */
const GROUP = ['to-number', ['coalesce', ['feature-state', 'group_id'], ['get', 'group_id'], 0]];

/** A colour per group: the project's groups as listed, others by id, none grey. */
function colourExpression(groups: LegendGroup[]): unknown {
    const byId = ['case', ['>', GROUP, 0], ['to-color', ['at', ['%', GROUP, GROUP_COLORS.length], ['literal', GROUP_COLORS]]], NO_GROUP_COLOR];
    if (!groups.length) return byId;
    return ['match', GROUP, ...groups.flatMap(g => [g.id, g.color]), byId];
}

function remember(map: MlMap): {color: unknown; filters: Record<string, unknown>} {
    let s = styled.get(map);
    if (!s) {
        s = {color: map.getPaintProperty(LAYER.buildingsFill, 'fill-color'), filters: {}};
        styled.set(map, s);
    }
    return s;
}

/** Paints the buildings by group (`groups`: the shown project's, for the legend) or back by status. */
export function setBuildingColouring(map: MlMap, mode: BuildingColouring, groups: LegendGroup[] = legend.groups): void {
    if (!map.getLayer(LAYER.buildingsFill)) return;
    const s = remember(map);
    legend = {groups, unassigned: true};
    map.setPaintProperty(LAYER.buildingsFill, 'fill-color', (mode === 'group' ? colourExpression(groups) : s.color) as ExpressionSpecification);
    map.getCanvas().dataset.buildingColouring = mode;
    current = mode;
    for (const listener of listeners) listener();
}

/**
 * Shows only the buildings of group `id` (0: those held by no group; null lifts it), on top of
 * whatever filter the layers had (the status filter), which comes back when it is lifted.
 * Filters read the tile's group: a building assigned a moment ago follows once its tile is
 * fetched again (assignment does that).
 */
export function filterBuildingGroup(map: MlMap, id: number | null): void {
    const s = remember(map);
    for (const layer of FILTERED) {
        if (!map.getLayer(layer)) continue;
        if (!(layer in s.filters)) s.filters[layer] = map.getFilter(layer) ?? null;
        const before = s.filters[layer] as FilterSpecification | null;
        if (id === null) {
            map.setFilter(layer, before);
            delete s.filters[layer];
            continue;
        }
        const mine = ['==', ['to-number', ['coalesce', ['get', 'group_id'], 0]], id];
        map.setFilter(layer, (before ? ['all', before, mine] : mine) as FilterSpecification);
    }
    map.getCanvas().dataset.groupFilter = id === null ? '' : String(id);
}

/** The group `group` (null: none) drawn on these buildings at once, before their tiles come again. */
export function showAssigned(map: MlMap, buildingIds: number[], group: number | null): void {
    const set = stated.get(map) ?? new Set<number>();
    stated.set(map, set);
    for (const id of buildingIds) {
        map.setFeatureState({source: 'buildings', sourceLayer: 'buildings', id}, {group_id: group ?? 0});
        set.add(id);
    }
}

/**
 * Assignments changed (one's own, or the live feed's `groups`): fetch the buildings' tiles again,
 * which carry the new groups. Each building's state is dropped once its tile has come with the
 * group the state holds (the tile's own group wins again from then on); a tile that still has
 * the old group (its eviction on the way) keeps the state until the next refetch.
 */
export function refetchGroups(map: MlMap): void {
    if (!map.getSource('buildings')) return;
    refetchTiles(map, 'buildings');
    const set = stated.get(map);
    if (!set?.size) return;
    map.once('idle', () => {
        const tiles = new Map(map.queryRenderedFeatures({layers: [LAYER.buildingsFill]}).map(f => [Number(f.id), (f.properties as {group_id?: number}).group_id]));
        for (const id of [...set]) {
            const state = (map.getFeatureState({source: 'buildings', sourceLayer: 'buildings', id}) as {group_id?: number}).group_id;
            if (!tiles.has(id) || (tiles.get(id) ?? 0) !== (state ?? 0)) continue;
            map.removeFeatureState({source: 'buildings', sourceLayer: 'buildings', id}, 'group_id');
            set.delete(id);
        }
    });
}
