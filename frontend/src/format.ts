// Formatting figures for the screen: counts, rates, areas in m² and 亩, paces, dates and the on-track flag.
import type {Figure} from './api/types';
import {tr} from './i18n';

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
        return v ? {text: tr('按期', 'On track'), unit: '', tone: 'good'} : {text: tr('滞后', 'Behind'), unit: '', tone: 'bad'};
    }
    if (typeof v === 'string') return {text: v, unit: ''};
    switch (f.unit) {
        case '%': return {text: (v * 100).toFixed(1), unit: '%'};
        case '亩': return {text: one.format(v), unit: tr('亩', 'mu')};
        case '户/日': return {text: one.format(v), unit: tr('户/日', '/day')};
        case '户': return {text: int.format(v), unit: tr('户', '')};
        // Chinese dashboards count large areas in 万 m² (10,000 m²).
        case 'm²': return v >= 1e5 && tr('zh', 'en') === 'zh' ? {text: one.format(v / 1e4), unit: '万m²'} : {text: int.format(v), unit: 'm²'};
        default: return {text: Number.isInteger(v) ? int.format(v) : one.format(v), unit: f.unit ?? ''};
    }
}

/** "征收 8,763 户" style plain text of a figure. */
export function figureString(f: Figure): string {
    const {text, unit} = figureText(f);
    return unit === '%' ? `${text}%` : unit ? `${text} ${unit}` : text;
}

export const figureName = (f: Figure): string => tr(f.zh, f.en);
export const figureDefinition = (f: Figure): string => tr(f.definition_zh, f.definition_en);

/** "HH:MM:SS" on a 24-hour clock. */
export const clockTime = (d: Date): string => d.toLocaleTimeString('zh-CN', {hour12: false});
