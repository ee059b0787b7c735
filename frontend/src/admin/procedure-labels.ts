// The words of the procedure's rules on the admin page: kinds, stages, outputs, units, gates, the nine public items (九公开), a step's time limit ("≥ 30 日") and weekday names.
import {t, type MessageKey} from '../i18n';
import type {Kind, TemplateStep, Unit} from './procedure-api';

export const KINDS: Kind[] = ['house_expropriation', 'land_acquisition', 'shantytown', 'land_readiness'];
export const STAGES = ['preparation', 'survey', 'plan', 'decision', 'signing', 'relocation', 'handover'] as const;
export const OUTPUTS = ['announcement', 'report', 'decision', 'list', 'agreement', 'record'] as const;
export const UNITS: Unit[] = ['days', 'working_days', 'months'];
export const GATES = ['signing', 'compensation_decision', 'demolition'] as const;
export const ITEMS = ['overview', 'policy', 'compensation_plan', 'announcement', 'survey_results', 'appraisal_results',
    'compensation_results', 'staff', 'supervision'] as const;

export const kindName = (k: string) => t(`category.project_kind.${k}` as MessageKey);
export const stageName = (s: string) => t(`admin.procedure.stage.${s}` as MessageKey);
export const outputName = (o: string) => t(`admin.procedure.output.${o}` as MessageKey);
export const unitName = (u: string) => t(`admin.procedure.unit.${u}` as MessageKey);
export const gateName = (g: string) => t(`admin.procedure.gate.${g}` as MessageKey);
export const itemName = (i: string) => t(`admin.procedure.item.${i}` as MessageKey);
/** ISO weekday 1–7 → 周一…周日. */
export const weekdayName = (n: number) => t(`admin.calendar.weekday.${n}` as MessageKey);

/** A step's time limit: "≥ 30 日", "≤ 15 个工作日", "10–30 日", or "—". */
export function periodText(s: Pick<TemplateStep, 'min_period' | 'max_period' | 'period_unit'>): string {
    const unit = unitName(s.period_unit);
    if (s.min_period !== null && s.max_period !== null) return t('admin.procedure.period_between', {min: s.min_period, max: s.max_period, unit});
    if (s.min_period !== null) return t('admin.procedure.period_min', {n: s.min_period, unit});
    if (s.max_period !== null) return t('admin.procedure.period_max', {n: s.max_period, unit});
    return '—';
}
