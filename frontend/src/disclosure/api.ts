// The public API (/api/public/*, no login, published projects only): projects, documents, the five lists, self-query and objections.
import {getJson, q, sendJson} from '../api/client';

const enc = encodeURIComponent;

export type PublicProject = {
    code: string;
    name: string;
    /** The project's own region (a village or community), and the city, district and street above it. */
    region: string | null;
    city?: string | null;
    district?: string | null;
    street?: string | null;
    kind: string;
    start_date: string | null;
    target_date: string | null;
    households: number;
    signed: number;
    sign_rate: number | null;
    /** Also sent by the server, though not in docs/households.md: shown when present. */
    vacated?: number;
    demolished?: number;
    floor_area?: number;
};

export type PublicDocument = {kind: string; title: string; body: string; published_at: string | null};

export type ListKey = 'survey' | 'signed' | 'paid' | 'incentives' | 'progress';
/** The five lists in the order the page shows them; their names are `list.<key>` in src/i18n. */
export const LISTS: ListKey[] = ['survey', 'signed', 'paid', 'incentives', 'progress'];

export type Cell = string | number | boolean | null;
/** Columns by key: their heads are `list.column.<key>` in src/i18n. */
export type PublicList = {list: ListKey; columns: {key: string}[]; total: number; rows: (Record<string, Cell> | Cell[])[]};

export type PublicObjection = {ticket: string; status: string; body: string; answer: string | null; created_at: string; answered_at: string | null};
/** A ticket as /api/public/objections/{ticket} answers: every 信访 petition has one (an objection's is its own); replies without who wrote them. */
export type PublicTicket = PublicObjection & {
    petition_status: 'registered' | 'accepted' | 'rejected' | 'replied';
    reject_reason: string | null;
    accept_due: string;
    handle_due: string | null;
    replies: {body: string; final: boolean; at: string}[];
};

export type OwnHousehold = {
    project_code: string;
    project_name: string;
    code: string;
    building_code: string | null;
    status: string;
    recorded_area: number;
    compensation: {lines?: {key: string; zh: string; basis: string; yuan: number}[]; computed_yuan?: number; total_yuan?: number; projected?: boolean} | null;
    /** docs/households.md names `signed_at`; the server sends the day as `signed_on`: either is read. */
    agreement: {yuan: number; signed_at?: string; signed_on?: string; committed_yuan?: number; paid_yuan?: number} | null;
    /** In the docs; the server puts it in `agreement.paid_yuan` only, which is read when this is missing. */
    paid_yuan?: number | null;
    objections: PublicObjection[];
};

/** A published step of the project's procedure (程序公开): public state and its words, dates, public documents. */
export type PublicStep = {
    key: string;
    name: string;
    stage: string;
    is_window: boolean;
    /** not_started, in_progress, done, waived; a window's not_started, open, closed */
    state: string;
    state_name: string;
    planned_start: string | null;
    planned_end: string | null;
    actual_start: string | null;
    actual_end: string | null;
    /** a window's span, or a running announcement's minimum period (公示期) */
    period_from: string | null;
    period_to: string | null;
    documents: {id: number; name: string; type: string; size_bytes: number; url: string}[];
};

/** One of the nine items (九公开): the steps that publish it, whether it is out, and what is still missing. */
export type NineItem = {
    item: string;
    steps: {key: string; name: string; state: string; done_on: string | null}[];
    documents: number;
    disclosures: number;
    published: boolean;
    missing: {steps: {key: string; name: string; state: string; planned_end: string | null}[]; document: boolean};
};

/** One page of the published projects: `total` match the query of `all`; the cities to filter by, and the districts of the city asked for. */
export type PublicProjectsPage = {projects: PublicProject[]; total: number; all: number; offset: number; limit: number; cities: string[]; districts: string[]};
export type ProjectsQuery = {q?: string; city?: string; district?: string; offset?: number; limit?: number};
export const fetchPublicProjects = (query: ProjectsQuery = {}) => getJson<PublicProjectsPage>(`api/public/projects${q(query)}`);
/** The project's boundary (GeoJSON geometry only: no building, parcel or person). */
export type Outline = {type: 'MultiPolygon'; coordinates: number[][][][]} | {type: 'Polygon'; coordinates: number[][][]};

export const fetchPublicProject = (code: string) =>
    getJson<{project: PublicProject; outline?: Outline | null; documents: PublicDocument[]; steps?: PublicStep[]; nine?: NineItem[]}>(
        `api/public/projects/${enc(code)}`);
export const fetchPublicList = (code: string, list: ListKey, limit: number, offset: number) =>
    getJson<PublicList>(`api/public/projects/${enc(code)}/lists/${list}${q({limit, offset})}`);
export const fetchTicket = (ticket: string) => getJson<PublicTicket>(`api/public/objections/${enc(ticket)}`);

export const lookup = (name: string, id_number: string) => sendJson<{households: OwnHousehold[]}>('POST', 'api/public/lookup', {name, id_number});
export const fileObjection = (o: {name: string; id_number: string; household_code: string; body: string}) =>
    sendJson<{ticket: string}>('POST', 'api/public/objections', o);
