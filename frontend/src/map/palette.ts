// Colours and labels (zh and en) for every status the tiles carry; the legend, the layers and the popup all read them from here.
import {inLang, t, type MessageKey} from '../i18n';
import {token} from '../tokens';

/** A tile value with its colour; `key` names it in src/i18n (`category.<group>.<value>`), zh and en read from there (the legend shows both). */
export type Category = {value: string; color: string; key: MessageKey; zh: string; en: string};

function cat(group: string, value: string, color: string): Category {
    const key = `category.${group}.${value}` as MessageKey;
    return {value, color, key, zh: inLang('zh', key), en: inLang('en', key)};
}

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
    cat('building_status', 'pending', token('--om-oi-vermillion')),
    cat('building_status', 'surveyed', token('--om-oi-orange')),
    cat('building_status', 'signed', token('--om-oi-yellow')),
    cat('building_status', 'vacated', token('--om-oi-sky')),
    cat('building_status', 'demolished', token('--om-oi-blue')),
];

/** Parcel land status, drawn as light tints under the buildings, same warm-to-cool logic. */
export const LAND_STATUS: Category[] = [
    cat('land_status', 'pending', token('--om-oi-vermillion')),
    cat('land_status', 'acquired', token('--om-oi-orange')),
    cat('land_status', 'cleared', token('--om-oi-sky')),
    cat('land_status', 'delivered', token('--om-oi-green')),
];

export const PROJECT_KIND: Category[] = [
    cat('project_kind', 'house_expropriation', token('--om-oi-pink')),
    cat('project_kind', 'land_acquisition', token('--om-oi-pink')),
    cat('project_kind', 'shantytown', token('--om-oi-pink')),
    cat('project_kind', 'land_readiness', token('--om-oi-pink')),
];

/*
 * Project stage (项目阶段), in the order a project passes them: grey before the work reaches
 * residents, the warm colours while it is with them (survey → plan → decision → signing), the
 * cool ones once they have moved (relocation → handover), green when closed. Named by
 * `stage.<key>`, the one name of a stage on every page.
 */
export const STAGE_KEYS = ['preparation', 'survey', 'plan', 'decision', 'signing', 'relocation', 'handover', 'closed'] as const;
export type Stage = typeof STAGE_KEYS[number];
const STAGE_COLORS: Record<Stage, string> = {
    preparation: token('--om-gray-460'), survey: token('--om-oi-vermillion'), plan: token('--om-oi-orange'),
    decision: token('--om-oi-yellow'), signing: token('--om-oi-pink'), relocation: token('--om-oi-sky'),
    handover: token('--om-oi-blue'), closed: token('--om-oi-green'),
};
export const PROJECT_STAGE: Category[] = STAGE_KEYS.map(value => {
    const key = `stage.${value}` as MessageKey;
    return {value, color: STAGE_COLORS[value], key, zh: inLang('zh', key), en: inLang('en', key)};
});

export const REGION_LEVEL: Category[] = [
    cat('region_level', 'city', token('--om-gray-760')),
    cat('region_level', 'district', token('--om-gray-760')),
    cat('region_level', 'street', token('--om-gray-630')),
    cat('region_level', 'community', token('--om-gray-460')),
];

export const LEGALITY: Category[] = [
    cat('legality', 'legal', token('--om-black')),
    cat('legality', 'illegal', token('--om-black')),
];

/** Project outline and label colour: Okabe–Ito reddish purple, darkened for text on white. */
export const PROJECT_COLOR = token('--om-oi-pink');
export const PROJECT_TEXT = token('--om-pink-660');

/** Sign-rate choropleth stops (0 → 1), a light single-hue ramp kept subtle under the outlines. */
export const SIGN_RATE_STOPS: [number, string][] = [
    [0, token('--om-gray-020-c')],
    [0.5, token('--om-blue-250-b')],
    [1, token('--om-blue-580')],
];

export const BACKGROUND = token('--om-gray-060');

/** A MapLibre `match` expression colouring `input` (a property name, or an expression) by its categories. */
export function matchColor(input: string | unknown[], categories: Category[], fallback = token('--om-gray-260')): unknown[] {
    const expr: unknown[] = ['match', typeof input === 'string' ? ['get', input] : input];
    for (const c of categories) expr.push(c.value, c.color);
    expr.push(fallback);
    return expr;
}

/** "已签约" (Signed in English), or the raw value when it is not a known category. */
export function categoryLabel(categories: Category[], value: unknown): string {
    const c = categories.find(x => x.value === value);
    return c ? t(c.key) : `${(value ?? '—') as string | number | boolean}`;  // tile properties are scalars
}
