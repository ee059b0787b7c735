// The admin page's calls for the procedure's rules: template versions (list, one, a new version), the holiday calendar (a year, its replacement) and the period calculator over the server's period_end.
import {getJson, q, sendJson} from '../api/client';

export type Kind = 'house_expropriation' | 'land_acquisition' | 'shantytown' | 'land_readiness';
export type Unit = 'days' | 'working_days' | 'months';

/** One version in the list: its size and use. */
export type TemplateVersion = {
    id: number; kind: Kind; version: number; name: string; note: string; created_at: string; created_by: string | null;
    steps: number; projects: number; newest: boolean;
};

/** A step of a version, every field; a new version's steps are sent in the same shape (order = seq). */
export type TemplateStep = {
    seq?: number; key: string; name: string; stage: string; legal_basis: string; produces: string;
    min_period: number | null; max_period: number | null; period_unit: Unit; clock_from: string | null; is_window: boolean;
    prerequisites: string[]; published: boolean; publishes: string[]; opens: string | null;
};

export type TemplateDetail = {template: Omit<TemplateVersion, 'steps'>; steps: TemplateStep[]};
export type NewTemplate = {kind: Kind; name: string; note: string; based_on: number; steps: TemplateStep[]};

export const fetchTemplates = () => getJson<{templates: TemplateVersion[]}>('api/procedure/templates').then(r => r.templates);
export const fetchTemplate = (id: number) => getJson<TemplateDetail>(`api/procedure/templates/${id}`);
export const createTemplate = (body: NewTemplate) => sendJson<TemplateDetail>('POST', 'api/procedure/templates', body);

export type CalendarDay = {day: string; working: boolean; name: string; weekday?: number};
export type CalendarYear = {year: number; days: CalendarDay[]; years: number[]};
export const fetchYear = (year: number) => getJson<CalendarYear>(`api/procedure/calendar${q({year})}`);
export const saveYear = (year: number, days: CalendarDay[]) =>
    sendJson<CalendarYear>('PUT', `api/procedure/calendar/${year}`, {days: days.map(d => ({day: d.day, working: d.working, name: d.name}))});

export type PeriodEnd = {start: string; n: number; unit: Unit; end: string; end_weekday: number; listed: CalendarDay[]};
export const fetchPeriodEnd = (start: string, n: number, unit: Unit) => getJson<PeriodEnd>(`api/procedure/period-end${q({start, n, unit})}`);
