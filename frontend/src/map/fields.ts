// What the popup shows for each tile layer: a title and labelled rows (Chinese first), with units and formatting.
import {inLang} from '../i18n';
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
/** Uses as the tiles spell them, with their Chinese names (`use.<value>` in src/i18n). */
const USES = new Set(['residential', 'commercial', 'industrial', 'public', 'mixed', 'farmland']);
const use = (v: unknown) => (typeof v === 'string' && USES.has(v) ? `${inLang('zh', `use.${v}`)} ${v}` : text(v));

/** A related record by name when the tiles gave us one, else by id. */
const ref = (name: unknown, id: unknown) => (name ? `${str(name as Scalar)} (#${text(id)})` : text(id));

function category(label: string, cats: Category[], v: unknown, withSwatch = true): Row {
    const c = cats.find(x => x.value === v);
    return {label, value: categoryLabel(cats, v), swatch: withSwatch ? c?.color : undefined};
}

/** Parcel area in both units; the tile's own area_mu wins over our conversion when present. */
export function areaBoth(p: Props): string {
    const sqm = num(p.area_m2);
    if (sqm === null) return '—';
    const mu = num(p.area_mu) ?? sqm / M2_PER_MU;
    return `${nf2.format(sqm)} m² (${nf2.format(mu)} 亩)`;
}

const CARDS: Record<string, (p: Props) => Card> = {
    buildings: p => ({
        kind: '房屋 Building',
        title: text(p.code),
        rows: [
            category('状态 Status', BUILDING_STATUS, p.status),
            {label: '户数 Households', value: int(p.households)},
            {label: '建筑面积 Floor area', value: m2(p.floor_area)},
            {label: '层数 Floors', value: int(p.floors)},
            {label: '用途 Use', value: use(p.use)},
            category('合法性 Legality', LEGALITY, p.legality, false),
            {label: '地块 Parcel', value: ref(p.parcel_code, p.parcel_id)},
            {label: '项目 Project', value: ref(p.project_name, p.project_id)},
        ],
    }),
    parcels: p => ({
        kind: '地块 Parcel',
        title: text(p.code),
        rows: [
            category('土地状态 Land status', LAND_STATUS, p.land_status),
            {label: '面积 Area', value: areaBoth(p)},
            {label: '用地性质 Land use', value: use(p.land_use)},
            {label: '项目 Project', value: ref(p.project_name, p.project_id)},
        ],
    }),
    projects: p => ({
        kind: `项目 Project · ${categoryLabel(PROJECT_KIND, p.kind)}`,
        title: text(p.name),
        rows: [
            {label: '编码 Code', value: text(p.code)},
            {label: '总户数 Households', value: int(p.households)},
            {label: '签约户数 Signed', value: int(p.signed)},
            {label: '签约率 Sign rate', value: pct(p.sign_rate)},
            {label: '腾空 Vacated', value: int(p.vacated)},
            {label: '拆除 Demolished', value: int(p.demolished)},
            {label: '总面积 Floor area', value: m2(p.floor_area)},
            {label: '开始 Start', value: text(p.start_date)},
            {label: '目标 Target', value: text(p.target_date)},
            {label: '所属区划 Region', value: text(p.region_code)},
        ],
    }),
    regions: p => ({
        kind: `行政区划 Region · ${categoryLabel(REGION_LEVEL, p.level)}`,
        title: text(p.name),
        rows: [
            {label: '区划代码 Code', value: text(p.code)},
            {label: '总户数 Households', value: int(p.households)},
            {label: '签约户数 Signed', value: int(p.signed)},
            {label: '签约率 Sign rate', value: pct(p.sign_rate)},
            {label: '项目数 Projects', value: int(p.projects)},
        ],
    }),
};

/** The popup card for a feature of tile layer `source`, or null for layers we do not describe. */
export function cardFor(source: string, props: Props): Card | null {
    const make = CARDS[source];
    return make ? make(props) : null;
}
