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
export const fetchChildren = (code: string) => getJson<Children>(`api/regions/${enc(code)}/children`);
export const fetchRankings = (level: 'street' | 'project', from?: string, to?: string) =>
    getJson<Rankings>(`api/rankings${q({level, from, to})}`);
export const fetchTrend = (t: Target, days = 30) =>
    getJson<Trend>(`api/trend${q(t.kind === 'region' ? {region: t.code, days} : {project: t.id, days})}`);
export const fetchAlerts = () => getJson<{alerts: Alert[]}>('api/alerts').then(r => r.alerts);
export const fetchRecentEvents = (limit = 20) => getJson<{events: StatusEvent[]}>(`api/events/recent${q({limit})}`).then(r => r.events);
