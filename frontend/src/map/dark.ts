// The wall display's dark variant of the map style: deep navy ground, light outlines and labels, labels scaled for a 4K wall.
import type {LayerSpecification, StyleSpecification} from 'maplibre-gl';

export const DARK_BACKGROUND = '#081423';

/** Sign-rate choropleth on a dark ground: from barely-there navy to a bright blue. */
const DARK_RATE: [number, string][] = [[0, '#132a45'], [0.5, '#1f5f96'], [1, '#3da5f0']];

const LINE_COLORS: Record<string, string> = {
    'regions-line-district': '#9cc3ea',
    'regions-line-street': '#5f88b0',
    'regions-line-community': '#3e5e80',
    'projects-line': '#f0a6d2',
    'buildings-line': '#081423',
    'parcels-line': '#c9d4e3',
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
        paint['text-color'] = l.id.startsWith('projects') ? '#ffc8e8' : '#e8f0fa';
        paint['text-halo-color'] = 'rgba(4, 10, 20, 0.92)';
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
