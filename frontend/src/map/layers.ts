// The style layers, bottom to top: region choropleth, parcels, buildings, resettlement estates, project and region outlines, then labels.
import type {ExpressionSpecification, LayerSpecification} from 'maplibre-gl';
import {LABEL_FONT} from './fonts';
import {LABEL_SOURCE} from './labelpoints';
import {
    BUILDING_STATUS, LAND_STATUS, PROJECT_COLOR, PROJECT_TEXT, SIGN_RATE_STOPS, matchColor,
} from './palette';
import {token} from '../tokens';

/** Layer ids the rest of the app (popup, tests) refers to. */
export const LAYER = {
    buildingsFill: 'buildings-fill',
    parcelsFill: 'parcels-fill',
    projectsFill: 'projects-fill',
    regionsHit: 'regions-hit',
    estatesFill: 'estates-fill',
} as const;

/** Clickable layers, most specific first: a click reports the first one hit. */
export const INTERACTIVE_LAYERS = [LAYER.buildingsFill, LAYER.parcelsFill, LAYER.projectsFill, LAYER.regionsHit];

const expr = (e: unknown) => e as ExpressionSpecification;
/** A property as the live feed last set it (feature-state, see live/apply.ts), else as the tile has it. */
export const live = (property: string) => ['coalesce', ['feature-state', property], ['get', property]];
const selected = (on: number | string, off: number | string) =>
    expr(['case', ['boolean', ['feature-state', 'selected'], false], on, off]);
const level = (...levels: string[]) => expr(['in', ['get', 'level'], ['literal', levels]]);
/** Width that grows with zoom: [zoom, width] pairs, exponential so it feels constant on screen. */
const widthByZoom = (...stops: [number, number][]) => expr(['interpolate', ['exponential', 1.4], ['zoom'], ...stops.flat()]);

const fadeAbove15 = expr(['interpolate', ['linear'], ['zoom'], 14, 0.9, 16, 0.45]);

const signRateFill = expr([
    'case', ['==', live('sign_rate'), null], token('--om-black-a00'),
    ['interpolate', ['linear'], ['to-number', live('sign_rate')], ...SIGN_RATE_STOPS.flat()],
]);

function regionFill(id: string, lvl: string, minzoom: number, maxzoom: number, opacity: number): LayerSpecification {
    return {
        id, type: 'fill', source: 'regions', 'source-layer': 'regions', minzoom, maxzoom,
        filter: level(lvl),
        paint: {'fill-color': signRateFill, 'fill-opacity': opacity, 'fill-antialias': false},
    };
}

/** A label layer over the computed label points (one per feature, see labelpoints.ts). */
function label(id: string, kind: string, minzoom: number, maxzoom: number, size: number, color: string, spacing = 0): LayerSpecification {
    return {
        id, type: 'symbol', source: LABEL_SOURCE, minzoom, maxzoom,
        filter: ['==', ['get', 'kind'], kind],
        layout: {
            'text-field': ['get', 'name'],
            'text-font': [LABEL_FONT],
            'text-size': size,
            'text-max-width': 8,
            'text-padding': 4,
            'text-letter-spacing': spacing,
        },
        paint: {'text-color': color, 'text-halo-color': token('--om-white-a92'), 'text-halo-width': 1.6},
    };
}

export function mapLayers(): LayerSpecification[] {
    return [
        // Sign-rate choropleth: districts when zoomed far out, streets at city scale, communities at
        // street scale (where the cockpit lists them), gone once buildings show.
        regionFill('regions-fill-district', 'district', 0, 10, 0.45),
        regionFill('regions-fill-street', 'street', 10, 12.5, 0.35),
        regionFill('regions-fill-community', 'community', 12.5, 15, 0.35),
        // Invisible fill so a click anywhere inside a community/street reports its region.
        {
            id: LAYER.regionsHit, type: 'fill', source: 'regions', 'source-layer': 'regions',
            filter: level('street', 'community'),
            paint: {'fill-color': token('--om-black'), 'fill-opacity': 0},
        },
        {
            id: LAYER.projectsFill, type: 'fill', source: 'projects', 'source-layer': 'projects',
            paint: {'fill-color': PROJECT_COLOR, 'fill-opacity': expr(['interpolate', ['linear'], ['zoom'], 10, 0.22, 15, 0.06])},
        },
        {
            id: LAYER.parcelsFill, type: 'fill', source: 'parcels', 'source-layer': 'parcels',
            paint: {'fill-color': expr(matchColor(live('land_status'), LAND_STATUS)), 'fill-opacity': 0.2},
        },
        {
            id: 'parcels-line', type: 'line', source: 'parcels', 'source-layer': 'parcels',
            paint: {
                'line-color': expr(matchColor(live('land_status'), LAND_STATUS)),
                'line-opacity': 0.85,
                'line-width': selected(3, 0.8),
            },
        },
        {
            id: LAYER.buildingsFill, type: 'fill', source: 'buildings', 'source-layer': 'buildings',
            paint: {'fill-color': expr(matchColor(live('status'), BUILDING_STATUS)), 'fill-opacity': 0.9},
        },
        {
            id: 'buildings-line', type: 'line', source: 'buildings', 'source-layer': 'buildings',
            paint: {
                'line-color': selected(token('--om-black'), token('--om-gray-770')),
                'line-width': selected(2.5, 0.5),
                'line-opacity': expr(['interpolate', ['linear'], ['zoom'], 15, 0.35, 17, 0.7]),
            },
        },
        {
            // 疑难个案: a building with a household's open case gets a red dashed ring (the tile carries a flag only)
            id: 'buildings-case', type: 'line', source: 'buildings', 'source-layer': 'buildings',
            filter: ['==', ['get', 'case_open'], true],
            paint: {'line-color': token('--om-red-530'), 'line-width': 2.5, 'line-dasharray': [2, 1]},
        },
        {
            // 安置小区: hatched in one colour, whatever their units' statuses (the 楼盘表 shows those)
            id: LAYER.estatesFill, type: 'fill', source: 'estates', 'source-layer': 'estates',
            paint: {'fill-color': token('--om-oi-pink'), 'fill-opacity': expr(['interpolate', ['linear'], ['zoom'], 10, 0.5, 16, 0.25])},
        },
        {
            id: 'estates-line', type: 'line', source: 'estates', 'source-layer': 'estates',
            paint: {'line-color': token('--om-oi-pink'), 'line-width': selected(4, 2)},
        },
        {
            id: 'projects-line', type: 'line', source: 'projects', 'source-layer': 'projects',
            layout: {'line-join': 'round'},
            paint: {'line-color': PROJECT_TEXT, 'line-width': selected(4, 1.8), 'line-opacity': 0.9},
        },
        {
            id: 'regions-line-community', type: 'line', source: 'regions', 'source-layer': 'regions', minzoom: 12,
            filter: level('community'),
            paint: {'line-color': token('--om-gray-460'), 'line-width': selected(3, 0.7), 'line-dasharray': [3, 2], 'line-opacity': fadeAbove15},
        },
        {
            id: 'regions-line-street', type: 'line', source: 'regions', 'source-layer': 'regions',
            filter: level('street'),
            // Boundaries matter at city scale; over buildings they recede.
            paint: {'line-color': token('--om-gray-630'), 'line-width': selected(3.5, 1.2), 'line-opacity': fadeAbove15},
        },
        {
            id: 'regions-line-district', type: 'line', source: 'regions', 'source-layer': 'regions',
            filter: level('city', 'district'),
            layout: {'line-join': 'round'},
            paint: {'line-color': token('--om-gray-820'), 'line-width': widthByZoom([6, 1.5], [12, 3], [16, 4])},
        },
        // Labels, least important first so that district names win collisions.
        label('regions-label-community', 'community', 13, 24, 12, token('--om-gray-670')),
        label('projects-label', 'project', 12, 24, 13, PROJECT_TEXT),
        label('estates-label', 'estate', 12, 24, 13, token('--om-oi-pink')),
        label('regions-label-street', 'street', 10, 15, 14, token('--om-gray-800')),
        label('regions-label-district', 'district', 0, 12, 20, token('--om-gray-930'), 0.2),
    ];
}
