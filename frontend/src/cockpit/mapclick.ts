// Drill-down by clicking the map: a resettlement estate (its 楼盘表), else a sub-region of the selection, else one of its projects, else a region at the same level.
import type {MapGeoJSONFeature, MapMouseEvent, Map as MlMap} from 'maplibre-gl';
import {LAYER} from '../map/layers';
import {PICK_LAYER} from '../map/selection';
import {toolTakesClick} from '../map/tools/index';
import type {DrillView} from './drill';

/** `estate`: a resettlement estate was clicked (the cockpit opens its 楼盘表). */
export type ClickHandlers = {region: (code: string, name: string) => void; project: (id: number) => void; estate?: (code: string) => void};

const LEVEL_DEPTH: Record<string, number> = {city: 0, district: 1, street: 2, community: 3};

/** What a click on these features selects, given the view: first match of the rules above; null for nothing. */
export function pick(view: DrillView, hits: MapGeoJSONFeature[]): {region: string; name: string} | {project: number} | null {
    // Buildings and parcels open their popup instead.
    if (hits.some(f => f.layer.id === LAYER.buildingsFill || f.layer.id === LAYER.parcelsFill)) return null;
    const regions = hits.filter(f => f.layer.id === PICK_LAYER);
    const childCodes = new Set(view.children?.children.map(c => c.code) ?? []);
    const child = regions.find(f => childCodes.has(String(f.properties.code)));
    if (child) return {region: String(child.properties.code), name: String(child.properties.name ?? '')};
    const projectIds = new Set(view.children?.projects.map(p => p.id) ?? []);
    const project = hits.find(f => f.layer.id === LAYER.projectsFill && projectIds.has(Number(f.id)));
    if (project) return {project: Number(project.id)};
    const s = view.selection;
    if (s.kind === 'region' && s.level) {
        const level = s.level;
        // A neighbour of the selection: the deepest region hit at the selection's level.
        const same = regions
            .filter(f => LEVEL_DEPTH[String(f.properties.level)] === LEVEL_DEPTH[level] && String(f.properties.code) !== s.code);
        if (same[0]) return {region: String(same[0].properties.code), name: String(same[0].properties.name ?? '')};
    }
    return null;
}

export function installDrillClick(map: MlMap, view: () => DrillView, on: ClickHandlers): void {
    const hitsAt = (point: MapMouseEvent['point']) => {
        const layers = [PICK_LAYER, LAYER.projectsFill, LAYER.buildingsFill, LAYER.parcelsFill, LAYER.estatesFill].filter(id => map.getLayer(id));
        return map.queryRenderedFeatures(point, {layers});
    };
    map.on('click', (e: MapMouseEvent) => {
        if (toolTakesClick(map, e.point)) return;
        const hits = hitsAt(e.point);
        const estate = hits.find(f => f.layer.id === LAYER.estatesFill);
        if (estate && on.estate) {
            on.estate(String(estate.properties.code));
            return;
        }
        const target = pick(view(), hits);
        if (!target) return;
        if ('project' in target) on.project(target.project);
        else on.region(target.region, target.name);
    });

    // A pointer over whatever a click would select or inspect; one query per frame at most.
    let queued: MapMouseEvent | null = null;
    map.on('mousemove', (e: MapMouseEvent) => {
        if (!queued) requestAnimationFrame(() => {
            const hits = queued ? hitsAt(queued.point) : [];
            queued = null;
            const inspect = hits.some(f => f.layer.id === LAYER.buildingsFill || f.layer.id === LAYER.parcelsFill);
            const estate = hits.some(f => f.layer.id === LAYER.estatesFill);
            map.getCanvas().style.cursor = inspect || estate || pick(view(), hits) ? 'pointer' : '';
        });
        queued = e;
    });
}
