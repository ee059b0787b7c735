// Formatting figures for the screen: counts, rates, areas in m² and 亩, paces, dates, money in 元 and 万元, file sizes.
import type {Figure} from './api/types';
import {getLang, inLang, t} from './i18n';
import {cityZone} from './site';

const int = new Intl.NumberFormat('zh-CN', {maximumFractionDigits: 0});
const one = new Intl.NumberFormat('zh-CN', {minimumFractionDigits: 1, maximumFractionDigits: 1});

export const fmtInt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : int.format(v));
export const fmtPct = (v: number | null | undefined, digits = 1): string =>
    v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;

/** A figure's value and unit as shown: {text: "53.4", unit: "%"}; "—" when there is no value. */
export function figureText(f: Pick<Figure, 'value' | 'unit' | 'key'>): {text: string; unit: string; tone?: 'good' | 'bad'} {
    const v = f.value;
    if (v === null || v === undefined) return {text: '—', unit: ''};
    if (typeof v === 'boolean') {
        return v ? {text: t('figure.on_track'), unit: '', tone: 'good'} : {text: t('common.behind'), unit: '', tone: 'bad'};
    }
    if (typeof v === 'string') return {text: v, unit: ''};
    switch (f.unit) {
        case '%': return {text: (v * 100).toFixed(1), unit: '%'};
        case '亩': return {text: one.format(v), unit: t('figure.unit.mu')};
        case '户/日': return {text: one.format(v), unit: t('figure.unit.per_day')};
        // English shows a count of households bare (the figure's name says what is counted)
        case '户': return {text: int.format(v), unit: getLang() === 'en' ? '' : t('figure.unit.households')};
        // Chinese dashboards count large areas in 万 m² (10,000 m²).
        case 'm²': return v >= 1e5 && getLang() === 'zh' ? {text: one.format(v / 1e4), unit: '万m²'} : {text: int.format(v), unit: 'm²'};
        // 万元 (10,000 yuan) reads as millions of yuan in English
        case '万元': return getLang() === 'zh' ? {text: one.format(v), unit: '万元'} : {text: one.format(v / 100), unit: t('figure.unit.million_yuan')};
        default: return {text: Number.isInteger(v) ? int.format(v) : one.format(v), unit: f.unit ?? ''};
    }
}

/** "征收 8,763 户" style plain text of a figure. */
export function figureString(f: Figure): string {
    const {text, unit} = figureText(f);
    return unit === '%' ? `${text}%` : unit ? `${text} ${unit}` : text;
}

/** A figure's name and definition by its key (`figure.<key>.name`, `.definition`); a key this build does not know shows as itself. */
export const figureName = (f: Pick<Figure, 'key'>): string => inLang(getLang(), `figure.${f.key}.name`);
export const figureDefinition = (f: Pick<Figure, 'key'>): string => inLang(getLang(), `figure.${f.key}.definition`);

/** "HH:MM:SS" on a 24-hour clock, in the city's zone. */
export const clockTime = (d: Date): string => inZone('clock').format(d);

const yuan = new Intl.NumberFormat('zh-CN', {minimumFractionDigits: 2, maximumFractionDigits: 2});

/** Money as the ledgers write it: "1,234,567.89" (yuan, two decimals); "—" when unknown. */
export const fmtYuan = (v: number | string | null | undefined): string => {
    const n = typeof v === 'string' ? Number(v) : v;
    return n === null || n === undefined || !Number.isFinite(n) ? '—' : yuan.format(n);
};

/** Large sums in 万元 (10,000 yuan), as Chinese finance reports head them: "1,234.57". */
export const fmtWan = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : yuan.format(v / 1e4));

// The city's time (Beijing by default, `--time-zone`) whatever the computer's zone: the ledgers,
// agreements and notices all say 北京时间, and a wall PC set to UTC must not show 01:05 for 09:05.
const PARTS: Record<string, Intl.DateTimeFormatOptions> = {
    minute: {year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false},
    day: {year: 'numeric', month: '2-digit', day: '2-digit'},
    clock: {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false},
    weekday: {weekday: 'short'},
};
const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter of `what` in the city's zone (sv-SE writes ISO order: 2026-11-20 14:03), made once per zone. */
function inZone(what: keyof typeof PARTS): Intl.DateTimeFormat {
    const key = `${cityZone()} ${what}`;
    let f = formats.get(key);
    if (!f) {
        f = new Intl.DateTimeFormat(what === 'weekday' ? 'en-US' : 'sv-SE', {...PARTS[what], timeZone: cityZone()});
        formats.set(key, f);
    }
    return f;
}

/** The city's calendar day of `d` as YYYY-MM-DD (today by default). */
export const cityDay = (d: Date = new Date()): string => inZone('day').format(d);

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The city's day of the week of `d`, 0 = Sunday. */
export const cityWeekday = (d: Date): number => WEEKDAY.indexOf(inZone('weekday').format(d));

/** An ISO timestamp as "2026-11-20 14:03" in the city's time; a plain date passes through. */
export function fmtTime(iso: string | null | undefined): string {
    if (!iso) return '—';
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : inZone('minute').format(d);
}

/**
 * When a live change happened, in the city's time: "09:02:11" today, "11-19 17:59" earlier this year,
 * "2025-12-31 17:59" before that, so yesterday's change never reads as today's.
 */
export function eventTime(iso: string, now: Date = new Date()): string {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    const day = cityDay(d);
    const today = cityDay(now);
    if (day === today) return clockTime(d);
    const hm = inZone('minute').format(d).slice(11, 16);
    return day.slice(0, 4) === today.slice(0, 4) ? `${day.slice(5)} ${hm}` : `${day} ${hm}`;
}

/** A file size: "812 B", "34.5 KB", "2.1 MB". */
export function fmtBytes(n: number | null | undefined): string {
    if (n === null || n === undefined || !Number.isFinite(n)) return '—';
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
