// The 信访 routes of docs/petitions.md as typed fetchers: the board, one petition, registering, deciding, assigning, replying, linking.
import {getJson, q, sendJson} from '../api/client';

export type Channel = 'online' | 'hotline' | 'letter' | 'visit' | 'box';
export type PetitionStatus = 'registered' | 'accepted' | 'rejected' | 'replied';
/** on_time / late once closed; overdue / open while open (its current due day passed, or not). */
export type Timeliness = 'on_time' | 'late' | 'overdue' | 'open';
export type Named = {id: number; name: string};

export type PetitionRow = {
    id: number;
    ticket: string;
    project_code: string;
    project_name: string;
    household_code: string | null;
    channel: Channel;
    category: string | null;
    petitioner_name: string | null;
    body: string;
    received_on: string;
    status: PetitionStatus;
    /** The due day of the step it waits for; null once closed. */
    due_on: string | null;
    timeliness: Timeliness;
    overdue: boolean;
    group_name: string | null;
    office: string | null;
    repeat_of: number | null;
};

export type Board = {petitions: PetitionRow[]; counts: {total: number; open: number; overdue: number}; categories: Named[]};

export type Brief = {id: number; ticket: string; channel: Channel; status: PetitionStatus; received_on: string; body: string};
export type Reply = {id: number; body: string; final: boolean; at: string; by: string | null};

export type Petition = Omit<PetitionRow, 'due_on' | 'body'> & {
    body: string;
    household_id: number | null;
    objection_id: number | null;
    category_id: number | null;
    petitioner_id_number: string | null;
    petitioner_phone: string | null;
    received_at: string;
    registered_by: string | null;
    group_id: number | null;
    decided_at: string | null;
    decided_by: string | null;
    reject_reason: string | null;
    replied_at: string | null;
    periods: {accept_n: number; accept_unit: string; handle_n: number; handle_unit: string};
    accept_due: string;
    decided_on: string | null;
    handle_due: string | null;
    replied_on: string | null;
    replies: Reply[];
    linked: Brief[];
    suggested_links: Brief[];
    groups: Named[];
    offices: string[];
    categories: Named[];
};

export type Counts = {total: number; on_time: number; late: number; overdue: number; open: number; on_time_rate: number | null};
export type Stats = {total: Counts; by_channel: (Counts & {channel: Channel})[]; by_category: (Counts & {category: string})[]};

export type BoardQuery = {project?: string | null; status?: string; channel?: string; timeliness?: string};

export const fetchBoard = (f: BoardQuery) => getJson<Board>(`/api/petitions${q(f)}`);
export const fetchStats = (project: string | null) => getJson<Stats>(`/api/petitions/stats${q({project})}`);
export const fetchPetition = (id: number) => getJson<Petition>(`/api/petitions/${id}`);
export const registerPetition = (body: Record<string, string | number | undefined>) => sendJson<Petition>('POST', '/api/petitions', body);
export const decidePetition = (id: number, body: {accept: boolean; reason?: string; category_id?: number}) =>
    sendJson<Petition>('POST', `/api/petitions/${id}/accept`, body);
export const replyPetition = (id: number, body: string, final: boolean) => sendJson<Petition>('POST', `/api/petitions/${id}/reply`, {body, final});
export const assignPetition = (id: number, body: {group_id?: number; office?: string}) => sendJson<Petition>('POST', `/api/petitions/${id}/assign`, body);
export const linkPetition = (id: number, repeatOf: number | null) => sendJson<Petition>('POST', `/api/petitions/${id}/link`, {repeat_of: repeatOf});
