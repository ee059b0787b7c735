// The admin page's API calls and their answers: accounts, kiosk tokens, the audit trail, disclosures and the compensation standard.
import {getJson, q, sendJson} from '../api/client';
import type {Role} from '../auth/api';

const enc = encodeURIComponent;

export type WriteScope = 'region' | 'group';
export type Account = {
    id: number; username: string; role: Role; write_scope: WriteScope; region_code: string | null; region_name: string | null;
    disabled: boolean; disabled_at: string | null; created_at: string; last_login_at: string | null;
    failures: number; locked: boolean;
};
/** A write's answer: the account as it is now and, when the server made one up, the password (shown once). */
export type AccountAnswer = {user: Account; password?: string | null};

export const fetchAccounts = () => getJson<{users: Account[]}>('api/users').then(r => r.users);
export const createAccount = (body: {username: string; role: Role; region_code: string | null; password: string | null}) =>
    sendJson<AccountAnswer>('POST', 'api/users', body);
export const changeAccount = (username: string, role: Role, region_code: string | null) =>
    sendJson<AccountAnswer>('PUT', `api/users/${enc(username)}`, {role, region_code});
export const setDisabled = (username: string, disabled: boolean) =>
    sendJson<AccountAnswer>('POST', `api/users/${enc(username)}/${disabled ? 'disable' : 'enable'}`, {});
export const resetPassword = (username: string, password: string | null) =>
    sendJson<AccountAnswer>('POST', `api/users/${enc(username)}/password`, {password});
/** An operator's writes: the whole region, or only the households of their work groups (docs/groups.md). */
export const setWriteScope = (id: number, write_scope: WriteScope) =>
    sendJson<AccountAnswer>('PATCH', `api/users/${id}`, {write_scope});
export const unlockAccount = (username: string) => sendJson<unknown>('POST', `api/users/${enc(username)}/unlock`, {});

export type KioskToken = {id: number; label: string; created_at: string; revoked_at: string | null; last_used_at: string | null};
export type IssuedToken = {label: string; token: string; wall_url: string};
export const fetchTokens = () => getJson<{tokens: KioskToken[]}>('api/kiosk-tokens').then(r => r.tokens);
export const issueToken = (label: string) => sendJson<IssuedToken>('POST', 'api/kiosk-tokens', {label});
export const rotateToken = (label: string) => sendJson<IssuedToken>('POST', `api/kiosk-tokens/${enc(label)}/rotate`, {});
export const revokeToken = (label: string) => sendJson<unknown>('POST', `api/kiosk-tokens/${enc(label)}/revoke`, {});

export type AuditFilter = {user?: string; action?: string; from?: string; to?: string; project?: string; limit?: number; offset?: number};
export type AuditLine = {
    id: string; at: string; at_beijing: string; username: string | null; action: string; subject: string;
    project: string | null; detail: Record<string, unknown>;
};
export const fetchAudit = (f: AuditFilter) => getJson<{total: number; lines: AuditLine[]}>(`api/audit${q(f)}`);
export const auditXlsxPath = (f: AuditFilter) => `api/audit.xlsx${q({...f, limit: undefined, offset: undefined})}`;

export type DocumentKind = 'overview' | 'policy' | 'compensation_plan' | 'announcement';
export type Disclosure = {id: number; kind: DocumentKind; title: string; body: string; published_at: string; username: string | null};
export const fetchDisclosures = (code: string) =>
    getJson<{published: boolean; documents: Disclosure[]}>(`api/projects/${enc(code)}/disclosures`);
export const publishDisclosure = (code: string, body: {kind: DocumentKind; title: string; body: string}) =>
    sendJson<Disclosure>('POST', `api/projects/${enc(code)}/disclosures`, body);

export type Rate = {use: string; legality: 'legal' | 'illegal'; yuan_per_m2: number};
export type Incentive = {until: string; yuan: number};
export type Standard = {
    rates: Rate[]; relocation_yuan: number; transition_yuan_per_m2_month: number; transition_months: number;
    incentives: Incentive[]; agreement_template: string | null;
};
export const fetchStandard = (code: string) => getJson<{standard: Standard}>(`api/projects/${enc(code)}/compensation-standard`).then(r => r.standard);
export const saveStandard = (code: string, s: Standard) =>
    sendJson<{standard: Standard}>('PUT', `api/projects/${enc(code)}/compensation-standard`, s).then(r => r.standard);

export type RegionRef = {code: string; name: string; level: string};
export const fetchRegions = () => getJson<{regions: RegionRef[]}>('api/figures/regions').then(r => r.regions);
export type ProjectRef = {code: string; name: string};
export const fetchProjects = () => getJson<{projects: ProjectRef[]}>('api/figures/projects').then(r => r.projects);

export type Closeout = {
    settled_at: string | null; settled_by: string | null; archived_at: string | null; archived_by: string | null;
    open: string[]; open_counts: {steps: number; households: number; parcels: number; batches: number; unpaid: number; objections: number};
};
export const fetchCloseout = (code: string) => getJson<Closeout>(`api/projects/${enc(code)}/closeout`);
export const settleProject = (code: string) => sendJson<Closeout>('POST', `api/projects/${enc(code)}/settle`, {});
export const archiveProject = (code: string) => sendJson<Closeout>('POST', `api/projects/${enc(code)}/archive`, {});
export const archiveZipPath = (code: string) => `api/projects/${enc(code)}/archive.zip`;
