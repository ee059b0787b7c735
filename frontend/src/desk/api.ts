// The staff API of docs/households.md as typed fetchers: households, their files and uploads, funds, payment batches and their approval chains, objections.
import {getJson, q, sendJson, uploadFile, type Progress} from '../api/client';
import type {Message} from '../i18n';

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
    /** The last day of the reply deadline (filed + reply_days, Beijing days); overdue: still open after it. */
    due_on: string;
    overdue: boolean;
};

export type HouseholdFile = Omit<HouseholdRow, 'attachments'> & {
    compensation: Compensation;
    agreement: Agreement | null;
    attachments: Attachment[];
    payments: HouseholdPayment[];
    objections: Partial<Objection>[];
};

export type HouseholdQuery = {
    /** Absent: every project the user may see. */
    project?: string;
    name?: string;
    id_number?: string;
    status?: string;
    difficult?: 'true' | 'false' | '';
    limit: number;
    offset: number;
};

export type FundWarning = {level: 'warn' | 'alarm'; code: string; message: Message};
export type Allocation = {id: number; yuan: number; received_on: string; note: string | null};
/** In flight ('submitted', at whatever step of its chain), paid by the chain's last step, or sent back. */
export type BatchStatus = 'submitted' | 'paid' | 'returned';
/** Who may take a step: an admin, or an operator of the project's region (admins too); and the office, when one is named. */
export type StepRole = 'admin' | 'operator';
export type ChainStep = {position: number; key: string; name: string; role: StepRole; office: string | null};
/** A step of a batch's chain with who took it and when (null while not taken; `by` null in generated history). */
export type BatchStep = ChainStep & {by: string | null; at: string | null};
export type Batch = {
    id: number;
    status: BatchStatus;
    yuan: number;
    /** A count in the funds document; the payments themselves from GET /api/batches/{id}. */
    payments: number | BatchPayment[];
    note: string | null;
    submitted_by: string | null;
    submitted_at: string | null;
    paid_by: string | null;
    paid_at: string | null;
    returned_by: string | null;
    returned_at: string | null;
    return_reason: string | null;
    /** The chain version the batch was submitted under: it keeps it when the project's chain changes. */
    chain: {id: number; version: number; project_specific: boolean};
    steps: BatchStep[];
    steps_taken: number;
    next_step: ChainStep | null;
    /** For the signed-in user, as the database will judge it: holds the next step and took no step of this batch. */
    may_take_next: boolean;
    may_send_back: boolean;
};
/** A version of an approval chain: the project's own, or the default. */
export type ApprovalChain = {
    id: number;
    version: number;
    project_specific: boolean;
    created_by: string | null;
    created_at: string;
    steps: ChainStep[];
    in_flight_on_earlier_versions: number;
};
export type StepEdit = {key: string; name: string; role: StepRole; office: string | null};
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
    /** The chain new batches follow. */
    approval_chain: ApprovalChain;
};

export type NewPayment = {household_id: number; yuan: number; idempotency_key: string};

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
/** Takes the step whose key is `key` (the next one; the server refuses any other). */
export const stepBatch = (id: number, key: string) => sendJson<Batch>('POST', `api/batches/${id}/${enc(key)}`, {});
export const returnBatch = (id: number, reason: string) => sendJson<Batch>('POST', `api/batches/${id}/return`, {reason});
export const saveChain = (code: string, steps: StepEdit[]) =>
    sendJson<ApprovalChain>('PUT', `api/projects/${enc(code)}/approval-chain`, {steps});

export const fetchObjections = (project: string | null, status: string) =>
    getJson<{objections: Objection[]; reply_days: number}>(`api/objections${q({project, status})}`);
export const answerObjection = (id: number, answer: string, close: boolean) =>
    sendJson<Pick<Objection, 'id' | 'ticket' | 'status' | 'answer' | 'answered_at'>>('POST', `api/objections/${id}/answer`, {answer, close});
