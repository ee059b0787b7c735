// The wall display's dark variant of the map style: deep navy ground, light outlines and labels, labels scaled for a 4K wall.
import type {LayerSpecification, StyleSpecification} from 'maplibre-gl';
import {token} from '../tokens';

export const DARK_BACKGROUND = token('--om-navy-920');

/** Sign-rate choropleth on a dark ground: from barely-there navy to a bright blue. */
const DARK_RATE: [number, string][] = [[0, token('--om-navy-830-b')], [0.5, token('--om-blue-650')], [1, token('--om-blue-410')]];

const LINE_COLORS: Record<string, string> = {
    'regions-line-district': token('--om-blue-240'),
    'regions-line-street': token('--om-blue-470'),
    'regions-line-community': token('--om-blue-630'),
    'projects-line': token('--om-pink-200'),
    'buildings-line': token('--om-navy-920'),
    'parcels-line': token('--om-slate-160'),
};

function recolorRamp(expr: unknown): unknown {
    // The fill expression ends with the interpolate's stops: replace its colour stops in place.
    if (!Array.isArray(expr)) return expr;
    if (expr[0] === 'interpolate' && Array.isArray(expr[2]) && expr[2][0] === 'to-number') {
        return ['interpolate', expr[1], expr[2], ...DARK_RATE.flat()];
    }
    return expr.map(recolorRamp);
}

/** A line width times `scale`: numbers directly, zoom curves stop by stop (zoom must stay on top), others wrapped. */
function scaleWidth(w: unknown, scale: number): unknown {
    if (typeof w === 'number') return w * scale;
    if (Array.isArray(w) && w[0] === 'interpolate') {
        const a = w as unknown[];
        return [...a.slice(0, 3), ...a.slice(3).map((v, i) => (i % 2 === 1 && typeof v === 'number' ? v * scale : v))];
    }
    return w === undefined ? w : ['*', scale, w];
}

function darkLayer(layer: LayerSpecification, scale: number): LayerSpecification {
    const l = structuredClone<LayerSpecification & {paint?: Record<string, unknown>; layout?: Record<string, unknown>}>(layer);
    const paint = (l.paint ??= {});
    if (l.id === 'background') paint['background-color'] = DARK_BACKGROUND;
    if (l.id.startsWith('regions-fill')) {
        paint['fill-color'] = recolorRamp(paint['fill-color']);
        paint['fill-opacity'] = 0.6;
    }
    if (l.id === 'projects-fill') paint['fill-opacity'] = 0.12;
    if (l.id === 'parcels-fill') paint['fill-opacity'] = 0.12;
    if (LINE_COLORS[l.id] && l.type === 'line') paint['line-color'] = LINE_COLORS[l.id];
    if (l.type === 'line' && scale !== 1) paint['line-width'] = scaleWidth(paint['line-width'], scale);
    if (l.type === 'symbol') {
        paint['text-color'] = l.id.startsWith('projects') ? token('--om-pink-110') : token('--om-slate-050');
        paint['text-halo-color'] = token('--om-navy-950-a92');
        paint['text-halo-width'] = 2 * scale;
        const layout = (l.layout ??= {});
        if (typeof layout['text-size'] === 'number') layout['text-size'] = layout['text-size'] * scale;
    }
    return l;
}

/** The style with every layer restyled for a dark wall; `scale` multiplies label sizes and line widths (2 on a 4K wall). */
export function darkStyle(style: StyleSpecification, scale = 1): StyleSpecification {
    return {...style, layers: style.layers.map(l => darkLayer(l, scale))};
}
