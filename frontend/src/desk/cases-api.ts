// The 疑难个案 API (docs/cases.md) as typed fetchers: the board, a case with its timeline, its writes, the categories and the panel counts.
import {getJson, q, sendJson} from '../api/client';

export type CaseLevel = 'group' | 'command' | 'leader';
export type CaseOutcome = 'signed' | 'decision' | 'litigation' | 'withdrawn';
export type CaseRow = {
    id: number;
    project: {code: string; name: string};
    /** holder_name only for admins and operators */
    household: {id: number; code: string; building: string; holder_name: string | null; status?: string};
    category: string;
    category_name: string;
    group: {id: number; name: string} | null;
    level: CaseLevel;
    state: 'open' | 'closed';
    outcome: CaseOutcome | null;
    overdue: boolean;
    opened_at: string;
    due_at: string;
    level_due_at: string;
    closed_at: string | null;
    conferences?: number;
};
export type CaseEvent = {id: number; kind: 'opened' | 'conference' | 'escalated' | 'reassigned' | 'closed'; at: string; user: string | null; body: {to?: string; outcome?: string; decision?: string}};
export type Conference = {
    id: number; held_at: string; participants: string[]; outside_attendees: string[] | null;
    positions: string; decision: string; next_action: string; recorded_by: string | null;
};
export type CaseDetail = Omit<CaseRow, 'conferences'> & {
    note: string; close_note: string | null; opened_by: string | null; closed_by: string | null;
    events: CaseEvent[]; conferences: Conference[]; status_events: {id: number; from: string; to: string; at: string}[];
};
export type Board = {total: number; cases: CaseRow[]};
export type BoardQuery = {project?: string | null; state?: string; overdue?: string; category?: string; group?: string; limit?: number};
export type Category = {key: string; name: string; due_days: number};
export type CaseCounts = {open: number; overdue: number};
export type CaseSummary = CaseCounts & {
    escalated: number;
    by_category: (CaseCounts & {key: string; name: string})[];
    by_level: (CaseCounts & {level: CaseLevel})[];
    by_group: (CaseCounts & {id: number; name: string; project: string; project_name: string})[];
};

export const fetchBoard = (query: BoardQuery) => getJson<Board>(`/api/cases${q({...query, limit: query.limit ?? 100})}`);
export const fetchCase = (id: number) => getJson<CaseDetail>(`/api/cases/${id}`);
export const fetchCategories = () => getJson<{categories: Category[]}>('/api/case-categories').then(r => r.categories);
export const fetchCaseSummary = (scope: {project?: string; region?: string} = {}) => getJson<CaseSummary>(`/api/figures/cases${q(scope)}`);
export const openCase = (body: {household: string; category: string; note: string}) => sendJson<CaseDetail>('POST', '/api/cases', body);
export const confer = (id: number, body: {participants: string[]; outside_attendees: string[]; positions: string; decision: string; next_action: string}) =>
    sendJson<CaseDetail>('POST', `/api/cases/${id}/conferences`, body);
export const closeCase = (id: number, body: {outcome: string; note: string}) => sendJson<CaseDetail>('POST', `/api/cases/${id}/close`, body);
