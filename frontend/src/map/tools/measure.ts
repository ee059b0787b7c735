// Distance and area measuring on the map: a line's length in m/km, a polygon's area in m², 亩 and 公顷 (with its perimeter), live while drawing.
import type {Map as MlMap} from 'maplibre-gl';
import {t} from '../../i18n';
import {M2_PER_HA, M2_PER_MU, pathLength, ringArea, type LngLat} from './geodesic';
import {Sketch, type SketchKind} from './sketch';

const number = (v: number, digits: number) => v.toLocaleString('zh-CN', {minimumFractionDigits: digits, maximumFractionDigits: digits});

/** "856.3 m" below a kilometre, else "12.48 km". */
export const lengthText = (m: number): string => (m < 1000 ? `${number(m, 1)} m` : `${number(m / 1000, 2)} km`);

/** "12,345 m² · 18.52 亩 · 1.23 公顷" (English: mu, ha). */
export const areaText = (m2: number): string =>
    t('maptools.measure.area_units', {m2: number(m2, 0), mu: number(m2 / M2_PER_MU, 2), ha: number(m2 / M2_PER_HA, 2)});

/** The measure of a sketch so far, as one line of text ('' before there is one). */
export function measureText(kind: SketchKind, points: LngLat[]): string {
    if (kind === 'line') return points.length >= 2 ? t('maptools.measure.length', {length: lengthText(pathLength(points))}) : '';
    if (points.length < 3) return '';
    const ring = [...points, points[0]];
    return t('maptools.measure.area', {area: areaText(ringArea(ring)), perimeter: lengthText(pathLength(ring))});
}

/** Measures one line or polygon at a time; `show` gets the text as it changes. */
export class Measure {
    private sketches: Record<SketchKind, Sketch>;
    private kind: SketchKind = 'line';

    constructor(map: MlMap, private show: (text: string, done: boolean) => void) {
        const events = (kind: SketchKind) => ({
            change: (points: LngLat[], pointer: LngLat | null) => this.show(measureText(kind, pointer ? [...points, pointer] : points), false),
            finish: (shape: LngLat[]) => this.show(measureText(kind, kind === 'polygon' ? shape.slice(0, -1) : shape), true),
            cancel: () => this.show('', true),
        });
        this.sketches = {line: new Sketch(map, 'measure-line', 'line', events('line')), polygon: new Sketch(map, 'measure-area', 'polygon', events('polygon'))};
    }

    start(kind: SketchKind): void {
        this.clear();
        this.kind = kind;
        this.sketches[kind].start();
    }

    get drawing(): boolean {
        return this.sketches[this.kind].drawing;
    }

    clear(): void {
        this.sketches.line.clear();
        this.sketches.polygon.clear();
    }
}
