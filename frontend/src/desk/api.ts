// The staff API of docs/households.md as typed fetchers: households, their files and uploads, funds, payment batches, objections.
import {getJson, q} from '../api/cockpit';
import {sendJson} from '../api/send';
import {uploadFile, type Progress} from '../api/upload';

const enc = encodeURIComponent;

/** A project as /api/figures/projects lists it (the figures themselves are not needed here). */
export type ProjectRef = {id: number; code: string; name: string; region_code: string | null};

export type HouseholdStatus = 'pending' | 'surveyed' | 'signed' | 'vacated' | 'demolished';

export type HouseholdRow = {
    id: number;
    code: string;
    project_code: string;
    project_name: string;
    building_code: string | null;
    holder_name: string;
    holder_id_number: string;
    members: number;
    recorded_area: number;
    status: HouseholdStatus;
    difficult: boolean;
    resettlement: 'monetary' | 'property_swap' | null;
    compensation_yuan: number | null;
    agreed_yuan: number | null;
    paid_yuan: number | null;
    /** A count in search results; the list itself in a household's file. */
    attachments: number | Attachment[];
};

export type CompensationLine = {key: string; zh: string; basis: string; yuan: number};
export type Override = {yuan: number; reason: string; by: string; at: string};
/** `projected`: not signed yet, so the incentive is the one for signing today. */
export type Compensation = {lines: CompensationLine[]; computed_yuan: number; override: Override | null; total_yuan: number; projected?: boolean; signed_on?: string | null};
export type Agreement = {yuan: number; signed_at: string; committed_yuan: number; paid_yuan: number};

export type AttachmentKind = 'id_card' | 'household_register' | 'agreement' | 'vacate_acceptance' | 'other';
export type Attachment = {
    id: number;
    kind: AttachmentKind;
    name: string;
    size: number;
    content_type: string;
    uploaded_by: string;
    uploaded_at: string;
};

export type HouseholdPayment = {id: number; batch_id: number; yuan: number; batch_status: BatchStatus};

export type ObjectionStatus = 'open' | 'answered' | 'closed';
export type Objection = {
    id: number;
    ticket: string;
    project_code: string;
    household_code: string | null;
    holder_name: string | null;
    body: string;
    status: ObjectionStatus;
    created_at: string;
    answer: string | null;
    answered_by: string | null;
    answered_at: string | null;
};

export type HouseholdFile = Omit<HouseholdRow, 'attachments'> & {
    compensation: Compensation;
    agreement: Agreement | null;
    attachments: Attachment[];
    payments: HouseholdPayment[];
    objections: Partial<Objection>[];
};

export type HouseholdQuery = {
    project: string;
    name?: string;
    id_number?: string;
    status?: string;
    difficult?: 'true' | 'false' | '';
    limit: number;
    offset: number;
};

export type FundWarning = {level: 'warn' | 'alarm'; code: string; zh: string; en: string};
export type Allocation = {id: number; yuan: number; received_on: string; note: string | null};
export type BatchStatus = 'submitted' | 'reviewed' | 'approved' | 'paid' | 'returned';
export type Batch = {
    id: number;
    status: BatchStatus;
    yuan: number;
    /** A count in the funds document; the payments themselves from GET /api/batches/{id}. */
    payments: number | BatchPayment[];
    note: string | null;
    submitted_by: string | null;
    submitted_at: string | null;
    reviewed_by: string | null;
    approved_by: string | null;
    paid_by: string | null;
    paid_at: string | null;
    reviewed_at?: string | null;
    approved_at?: string | null;
    returned_at?: string | null;
    returned_by: string | null;
    return_reason: string | null;
};
export type BatchPayment = {household_id: number; code: string; holder_name: string; yuan: number};
export type Payable = {household_id: number; code: string; holder_name: string; agreed_yuan: number; committed_yuan: number; remaining_yuan: number};
export type Funds = {
    budget_yuan: number;
    allocated_yuan: number;
    committed_yuan: number;
    paid_yuan: number;
    warnings: FundWarning[];
    allocations: Allocation[];
    batches: Batch[];
    payable: Payable[];
};

export type NewPayment = {household_id: number; yuan: number; idempotency_key: string};
export type BatchStep = 'review' | 'approve' | 'pay';

export const fetchProjects = () => getJson<{projects: ProjectRef[]}>('api/figures/projects').then(r => r.projects);

export const searchHouseholds = (query: HouseholdQuery) =>
    getJson<{total: number; households: HouseholdRow[]}>(`api/households${q(query)}`);
export const fetchHousehold = (id: number) => getJson<HouseholdFile>(`api/households/${id}`);
export const setOverride = (id: number, yuan: number | null, reason: string) =>
    sendJson<HouseholdFile>('POST', `api/households/${id}/compensation-override`, {yuan, reason});
export const uploadAttachment = (id: number, kind: AttachmentKind, file: File, onProgress?: Progress) =>
    uploadFile<Attachment>(`api/households/${id}/attachments`, file, onProgress, {kind});
export const attachmentPath = (id: number) => `api/attachments/${id}`;
export const agreementPath = (id: number) => `api/households/${id}/agreement.docx`;

export const fetchFunds = (code: string) => getJson<Funds>(`api/projects/${enc(code)}/funds`);
export const addAllocation = (code: string, a: {yuan: number; received_on: string; note: string}) =>
    sendJson<Allocation>('POST', `api/projects/${enc(code)}/allocations`, a);
export const submitBatch = (code: string, note: string, payments: NewPayment[]) =>
    sendJson<Batch>('POST', `api/projects/${enc(code)}/batches`, {note, payments});
export const fetchBatch = (id: number) => getJson<Batch>(`api/batches/${id}`);
export const stepBatch = (id: number, step: BatchStep) => sendJson<Batch>('POST', `api/batches/${id}/${step}`, {});
export const returnBatch = (id: number, reason: string) => sendJson<Batch>('POST', `api/batches/${id}/return`, {reason});

export const fetchObjections = (project: string | null, status: string) =>
    getJson<{objections: Objection[]}>(`api/objections${q({project, status})}`).then(r => r.objections);
export const answerObjection = (id: number, answer: string, close: boolean) =>
    sendJson<Objection>('POST', `api/objections/${id}/answer`, {answer, close});
