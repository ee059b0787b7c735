// Fetchers for the cockpit API (figures, region tree, rankings, trend, alerts, recent events), one typed function each.
import type {StatusEvent} from '../live/types';
import {getJson, q} from './client';
import type {Alert, Children, FiguresDoc, Rankings, RegionInfo, Trend} from './types';

const enc = encodeURIComponent;

/** What a panel shows figures for: a region by code or a project by id. */
export type Target = {kind: 'region'; code: string} | {kind: 'project'; id: number};

export const fetchFigures = (t: Target, asOf: string | null = null) => getJson<FiguresDoc>(
    t.kind === 'region' ? `api/figures/regions/${enc(t.code)}${q({as_of: asOf})}` : `api/figures/projects/${t.id}${q({as_of: asOf})}`,
);
export const fetchRegion = (code: string) => getJson<RegionInfo>(`api/regions/${enc(code)}`);
export const fetchChildren = (code: string, asOf: string | null = null) =>
    getJson<Children>(`api/regions/${enc(code)}/children${q({as_of: asOf})}`);
/** Where and when a ranking or the alerts look: a region's subtree (null: the city) as of a past day (null: now). */
export type Scope = {region?: string | null; asOf?: string | null};
export const fetchRankings = (level: 'street' | 'project', scope: Scope = {}) =>
    getJson<Rankings>(`api/rankings${q({level, region: scope.region, as_of: scope.asOf})}`);
export const fetchTrend = (t: Target, days = 30, asOf: string | null = null) =>
    getJson<Trend>(`api/trend${q(t.kind === 'region' ? {region: t.code, days, as_of: asOf} : {project: t.id, days, as_of: asOf})}`);
export const fetchAlerts = (scope: Scope = {}) =>
    getJson<{alerts: Alert[]; funds_included: boolean}>(`api/alerts${q({region: scope.region, as_of: scope.asOf})}`);
/** The days a screen may show as of: from the first day of the history to today. */
export const fetchHistorySpan = () => getJson<{first_day: string | null; today: string}>('api/history');
export const fetchRecentEvents = (limit = 20) => getJson<{events: StatusEvent[]}>(`api/events/recent${q({limit})}`).then(r => r.events);
