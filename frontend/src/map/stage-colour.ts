// Colours the projects by their procedure stage (项目阶段) or in the one project colour, as the layer switcher chooses; the legend follows.
import type {ExpressionSpecification, Map as MlMap} from 'maplibre-gl';
import {LAYER, live} from './layers';
import {PROJECT_COLOR, PROJECT_STAGE, PROJECT_TEXT, matchColor} from './palette';

export type ProjectColouring = 'plain' | 'stage';

const listeners = new Set<(mode: ProjectColouring) => void>();
let current: ProjectColouring = 'plain';
/** The style's own paint, put back when the colouring returns to plain. */
const styled = new WeakMap<MlMap, Record<string, unknown>>();

type Paint = 'fill-color' | 'fill-opacity' | 'line-color';
const PAINT: [string, Paint][] = [[LAYER.projectsFill, 'fill-color'], [LAYER.projectsFill, 'fill-opacity'], ['projects-line', 'line-color']];

export function projectColouring(): ProjectColouring {
    return current;
}

/** Calls `listener` on every change of the colouring; returns the unsubscribe. */
export function onProjectColouring(listener: (mode: ProjectColouring) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** Paints the projects by stage (the live `stage`, see live/apply.ts) or back in the plain project colour. */
export function setProjectColouring(map: MlMap, mode: ProjectColouring): void {
    if (!map.getLayer(LAYER.projectsFill)) return;
    if (!styled.has(map)) styled.set(map, Object.fromEntries(PAINT.map(([id, p]) => [`${id}|${p}`, map.getPaintProperty(id, p)])));
    const original = styled.get(map)!;
    const put = (id: string, property: Paint, value: unknown) => map.setPaintProperty(id, property, value as ExpressionSpecification);
    if (mode === 'stage') {
        // the stage as the live feed last set it (feature-state), else as the tile has it
        const byStage = matchColor(live('stage'), PROJECT_STAGE, PROJECT_COLOR);
        put(LAYER.projectsFill, 'fill-color', byStage);
        // strong enough to read the stage, light enough to see the buildings under it
        put(LAYER.projectsFill, 'fill-opacity', ['interpolate', ['linear'], ['zoom'], 10, 0.6, 15, 0.2]);
        put('projects-line', 'line-color', byStage);
    } else {
        for (const [id, p] of PAINT) put(id, p, original[`${id}|${p}`] ?? (p === 'line-color' ? PROJECT_TEXT : undefined));
    }
    map.getCanvas().dataset.projectColouring = mode;
    current = mode;
    for (const listener of listeners) listener(mode);
}
