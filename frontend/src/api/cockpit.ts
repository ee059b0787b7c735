// Fetchers for the cockpit API (figures, region tree, rankings, trend, alerts, recent events), one typed function each.
import type {StatusEvent} from '../live/types';
import {appUrl} from './base';
import type {Alert, Children, FiguresDoc, Rankings, RegionInfo, Trend} from './types';

/** A failed API call, with the path and HTTP status, for the panel's inline error. */
export class ApiError extends Error {
    constructor(readonly path: string, readonly status: number, readonly detail = '') {
        super(`${path}: ${status ? `HTTP ${status}` : 'unreachable'}${detail ? ` ${detail}` : ''}`);
    }
}

/** What the server said went wrong: the `message` of its `{"error", "message"}` body, else the body's start. */
export function errorDetail(body: string): string {
    try {
        const json = JSON.parse(body) as {message?: unknown; error?: unknown};
        if (typeof json.message === 'string' && json.message) return json.message;
        if (typeof json.error === 'string' && json.error) return json.error;
    } catch { /* not JSON: show the text */ }
    return body.slice(0, 120);
}

export async function getJson<T>(path: string): Promise<T> {
    let res: Response;
    try {
        res = await fetch(appUrl(path), {credentials: 'same-origin'});
    } catch {
        throw new ApiError(path, 0);
    }
    if (!res.ok) {
        const body = await res.text().catch(() => '');
        throw new ApiError(path, res.status, errorDetail(body));
    }
    return (await res.json()) as T;
}

/** "?a=1&b=2" from the parameters that have a value; "" when none has. */
export const q = (params: Record<string, string | number | null | undefined>) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') s.set(k, String(v));
    const text = s.toString();
    return text ? `?${text}` : '';
};
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
