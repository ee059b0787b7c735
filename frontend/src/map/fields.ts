// What the popup shows for each tile layer: a title and labelled rows in the page's language, with units and formatting.
import {t, type MessageKey} from '../i18n';
import {
    BUILDING_STATUS, LAND_STATUS, LEGALITY, PROJECT_KIND, REGION_LEVEL, categoryLabel, type Category,
} from './palette';

type Props = Record<string, unknown>;
/** What a vector-tile property can hold (MVT has no objects or arrays). */
type Scalar = string | number | boolean;
const str = (v: Scalar) => String(v);
/** A formatted row; `swatch` puts a status colour before the value. */
export type Row = {label: string; value: string; swatch?: string};
export type Card = {kind: string; title: string; rows: Row[]};

/** 1 亩 (mu) = 10000/15 m² ≈ 666.67 m². */
export const M2_PER_MU = 10000 / 15;

const nf = new Intl.NumberFormat('zh-CN', {maximumFractionDigits: 0});
const nf2 = new Intl.NumberFormat('zh-CN', {maximumFractionDigits: 2});

const num = (v: unknown): number | null => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
const int = (v: unknown) => (num(v) === null ? '—' : nf.format(num(v)!));
const m2 = (v: unknown) => (num(v) === null ? '—' : `${nf2.format(num(v)!)} m²`);
const pct = (v: unknown) => (num(v) === null ? '—' : `${(num(v)! * 100).toFixed(1)}%`);
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : str(v as Scalar));
/** Uses as the tiles spell them, named by `use.<value>` in src/i18n. */
const USES = new Set(['residential', 'commercial', 'industrial', 'public', 'mixed', 'farmland']);
const use = (v: unknown) => (typeof v === 'string' && USES.has(v) ? t(`use.${v}` as MessageKey) : text(v));

/** A related record by name when the tiles gave us one, else by id. */
const ref = (name: unknown, id: unknown) => (name ? `${str(name as Scalar)} (#${text(id)})` : text(id));

/** A labelled row: `popup.<label>` in the page's language. */
const row = (label: string, value: string): Row => ({label: t(`popup.${label}` as MessageKey), value});

function category(label: string, cats: Category[], v: unknown, withSwatch = true): Row {
    const c = cats.find(x => x.value === v);
    return {...row(label, categoryLabel(cats, v)), swatch: withSwatch ? c?.color : undefined};
}

/** Parcel area in both units; the tile's own area_mu wins over our conversion when present. */
export function areaBoth(p: Props): string {
    const sqm = num(p.area_m2);
    if (sqm === null) return '—';
    const mu = num(p.area_mu) ?? sqm / M2_PER_MU;
    return t('popup.area_both', {m2: nf2.format(sqm), mu: nf2.format(mu)});
}

const CARDS: Record<string, (p: Props) => Card> = {
    buildings: p => ({
        kind: t('popup.kind.building'),
        title: text(p.code),
        rows: [
            category('status', BUILDING_STATUS, p.status),
            row('households', int(p.households)),
            row('floor_area', m2(p.floor_area)),
            row('floors', int(p.floors)),
            row('use', use(p.use)),
            category('legality', LEGALITY, p.legality, false),
            row('parcel', ref(p.parcel_code, p.parcel_id)),
            row('project', ref(p.project_name, p.project_id)),
        ],
    }),
    parcels: p => ({
        kind: t('popup.kind.parcel'),
        title: text(p.code),
        rows: [
            category('land_status', LAND_STATUS, p.land_status),
            row('area', areaBoth(p)),
            row('land_use', use(p.land_use)),
            row('project', ref(p.project_name, p.project_id)),
        ],
    }),
    projects: p => ({
        kind: `${t('popup.kind.project')} · ${categoryLabel(PROJECT_KIND, p.kind)}`,
        title: text(p.name),
        rows: [
            row('code', text(p.code)),
            row('total_households', int(p.households)),
            row('signed', int(p.signed)),
            row('sign_rate', pct(p.sign_rate)),
            row('vacated', int(p.vacated)),
            row('demolished', int(p.demolished)),
            row('total_floor_area', m2(p.floor_area)),
            row('start', text(p.start_date)),
            row('target', text(p.target_date)),
            row('region', text(p.region_code)),
        ],
    }),
    regions: p => ({
        kind: `${t('popup.kind.region')} · ${categoryLabel(REGION_LEVEL, p.level)}`,
        title: text(p.name),
        rows: [
            row('region_code', text(p.code)),
            row('total_households', int(p.households)),
            row('signed', int(p.signed)),
            row('sign_rate', pct(p.sign_rate)),
            row('projects', int(p.projects)),
        ],
    }),
};

/** The popup card for a feature of tile layer `source`, or null for layers we do not describe. */
export function cardFor(source: string, props: Props): Card | null {
    const make = CARDS[source];
    return make ? make(props) : null;
}
