// The procedure ledger's API (docs/procedure.md) as typed fetchers: the ledger, step writes, the plan proposal, the people picker and step documents.
import {getJson, sendJson, uploadFile, type Progress} from '../api/client';

const enc = encodeURIComponent;

export type StepState = 'not_started' | 'in_progress' | 'done' | 'waived';
/** The state a step shows: overdue once its due day has passed undone; a window's not_started / open / closed. */
export type ShownState = StepState | 'overdue' | 'open' | 'closed';
export type Stage = 'preparation' | 'survey' | 'plan' | 'decision' | 'signing' | 'relocation' | 'handover' | 'closed';
export const STAGES: Stage[] = ['preparation', 'survey', 'plan', 'decision', 'signing', 'relocation', 'handover', 'closed'];

export type StepDocument = {id: number; file_name: string; content_type: string; size_bytes: number; sha256: string; public: boolean; uploaded_at: string};

export type Step = {
    key: string;
    seq: number;
    name: string;
    stage: Stage;
    legal_basis: string;
    produces: string;
    min_period: number | null;
    max_period: number | null;
    period_unit: 'days' | 'working_days' | 'months';
    clock_from: string | null;
    is_window: boolean;
    prerequisites: string[];
    published: boolean;
    publishes: string[];
    opens: string | null;
    state: StepState;
    shown_state: ShownState;
    version: number;
    planned_start: string | null;
    planned_end: string | null;
    actual_start: string | null;
    actual_end: string | null;
    clock_start: string | null;
    earliest_end: string | null;
    legal_due: string | null;
    due_on: string | null;
    responsible: {id: number; username: string} | null;
    note: string | null;
    waive_reason: string | null;
    documents: StepDocument[];
};

export type Ledger = {
    project: {code: string; name: string; kind: string; stage: Stage; start_date: string; target_date: string};
    template: {id: number; kind: string; version: number; name: string};
    today: string;
    steps: Step[];
};

export type Proposal = {key: string; planned_start: string; planned_end: string};
export type Person = {id: number; username: string; role: 'admin' | 'operator'};

/** What a step write may carry: a field left out keeps its value, null clears it. */
export type StepChange = {
    version: number;
    state?: StepState;
    planned_start?: string | null;
    planned_end?: string | null;
    actual_start?: string | null;
    actual_end?: string | null;
    responsible?: number | null;
    note?: string | null;
    waive_reason?: string;
    reason?: string;
};

export const fetchLedger = (code: string) => getJson<Ledger>(`api/projects/${enc(code)}/procedure`);
export const changeStep = (code: string, key: string, change: StepChange) =>
    sendJson<Ledger>('PATCH', `api/projects/${enc(code)}/procedure/steps/${enc(key)}`, change);
/** The planned dates proposed for the steps without any; `apply` writes them. */
export const planSteps = (code: string, apply: boolean) =>
    sendJson<Ledger & {proposed: Proposal[]}>('POST', `api/projects/${enc(code)}/procedure/plan`, {apply});
export const fetchPeople = (code: string) => getJson<{people: Person[]}>(`api/projects/${enc(code)}/procedure/people`).then(r => r.people);
export const uploadStepDocument = (code: string, key: string, file: File, isPublic: boolean, onProgress?: Progress) =>
    uploadFile<StepDocument>(`api/projects/${enc(code)}/procedure/steps/${enc(key)}/documents`, file, onProgress, {public: String(isPublic)});
export const setDocumentPublic = (id: number, isPublic: boolean) => sendJson<StepDocument>('PATCH', `api/procedure/documents/${id}`, {public: isPublic});
export const documentPath = (id: number) => `api/procedure/documents/${id}`;
