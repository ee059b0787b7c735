// 审计日志 tab: the audit trail filtered by who, what, when (Beijing days) and project, newest first, 50 lines a page, and the same filter as XLSX.
import {appUrl, refusal} from '../api/client';
import {t, type MessageKey} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, link, select} from '../ui/form';
import {Pager, dataTable} from '../ui/table';
import {auditXlsxPath, fetchAccounts, fetchAudit, type AuditFilter, type AuditLine} from './api';
import {Fields, adminForm} from './fields';
import {allProjects} from './regions';
import type {View} from './main';

/** Every action the service audits (backend: audit.rs and its callers, auth/, admin/), in the filter's order. */
export const ACTIONS = [
    'status_changed', 'user_created', 'user_updated', 'user_disabled', 'user_enabled', 'user_password_reset',
    'login', 'login_failed', 'login_locked', 'login_unlocked', 'logout', 'kiosk_issued', 'kiosk_rotated', 'kiosk_revoked',
    'compensation_standard', 'compensation_override', 'disclosure', 'allocation', 'batch_submitted', 'batch_step', 'batch_return',
    'approval_chain', 'offices', 'objection_filed', 'objection_answered', 'attachment_uploaded', 'household_ledger_imported',
    'procedure_template', 'holiday_calendar',
    'project_settled', 'project_archived', 'project_archive_exported',
] as const;

const PAGE = 50;

/** The text of `key` in the page's language, or `fallback` when this build has no such key. */
const named = (key: string, fallback: string): string => {
    const text = t(key as MessageKey);
    return text === key ? fallback : text;
};

/** An action's name in the page's language; one this build does not know shows as its code. */
export const actionName = (action: string): string => named(`audit.action.${action}`, action);

/** "户 502", "项目 P001": the subject's kind in the page's language, its id as stored. */
function subjectText(subject: string): string {
    const [kind, ...rest] = subject.split(' ');
    return rest.length ? `${named(`audit.subject.${kind}`, kind)} ${rest.join(' ')}` : subject;
}

/** A line's detail, short: "surveyed → signed" for a status, else "key: value; …". */
function detailText(l: AuditLine): string {
    const d = l.detail ?? {};
    if (l.action === 'status_changed') {
        const name = (s: unknown) => named(`category.building_status.${String(s)}`, String(s));
        return `${name(d.from)} → ${name(d.to)}${typeof d.reason === 'string' && d.reason ? ` · ${d.reason}` : ''}`;
    }
    return Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join('; ');
}

export class AuditTab implements View {
    readonly el = el('section', 'ad-audit');
    private card = new Card('admin.audit.title', 'ad-trail');
    private fields = new Fields();
    private user = input('user', {autocomplete: 'off', spellcheck: false, placeholder: t('admin.audit.anyone')});
    private users = el('datalist');
    private action = select('action', [{value: '', zh: t('common.all')}, ...ACTIONS.map(a => ({value: a, zh: actionName(a)}))]);
    private from = input('from', {type: 'date'});
    private to = input('to', {type: 'date'});
    private project = select('project', [{value: '', zh: t('common.all')}]);
    private exportLink = link(t('admin.audit.export'), '#', 'om-btn om-btn-quiet');
    private notice = new Notice();
    private table = el('div');
    private pager = new Pager(PAGE, offset => void this.load(offset));
    private started = false;

    constructor() {
        this.users.id = 'ad-audit-users';
        this.user.setAttribute('list', this.users.id);
        const form = adminForm('dk-form-row ad-filter');
        form.setAttribute('aria-label', t('admin.audit.filter'));
        const search = button(t('admin.audit.search'), 'primary', 'submit');
        this.exportLink.setAttribute('download', '');
        form.append(
            this.fields.add('user', 'admin.audit.who', this.user), this.fields.add('action', 'admin.audit.what', this.action),
            this.fields.add('from', 'admin.audit.from', this.from), this.fields.add('to', 'admin.audit.to', this.to),
            this.fields.add('project', 'admin.audit.project', this.project, 'ad-project-field'), search, this.exportLink, this.users,
        );
        form.addEventListener('submit', e => { e.preventDefault(); void this.load(0); });
        this.card.body.append(form, el('p', 'ad-hint', t('admin.audit.hint')), this.notice.el, this.table, this.pager.el);
        this.el.append(this.card.el);
    }

    /** `who`: a username to filter by (the users tab links here with one). */
    show(who: string | null): void {
        if (who !== null) this.user.value = who;
        if (!this.started) {
            this.started = true;
            void fetchAccounts().then(list => this.users.replaceChildren(...list.map(a => new Option(a.username, a.username))), () => {});
            void allProjects().then(list => this.project.append(...list.map(p => new Option(`${p.name}（${p.code}）`, p.code))), () => {});
        }
        void this.load(0);
    }

    private filter(): AuditFilter {
        return {user: this.user.value.trim() || undefined, action: this.action.value || undefined, from: this.from.value || undefined,
            to: this.to.value || undefined, project: this.project.value || undefined};
    }

    private async load(offset: number): Promise<void> {
        this.fields.clear();
        this.notice.clear();
        const f = this.filter();
        if (f.from && f.to && f.from > f.to) return this.fields.fail('to', t('admin.audit.to_before_from'));
        this.exportLink.href = appUrl(auditXlsxPath(f));
        try {
            const page = await fetchAudit({...f, limit: PAGE, offset});
            this.card.setNote(t('admin.audit.count', {total: page.total}));
            this.table.replaceChildren(dataTable<AuditLine>([
                {zh: t('admin.audit.at'), cell: l => l.at_beijing},
                {zh: t('admin.audit.who'), cell: l => l.username ?? t('admin.audit.system')},
                {zh: t('admin.audit.what'), cell: l => actionName(l.action)},
                {zh: t('admin.audit.subject'), cell: l => subjectText(l.subject)},
                {zh: t('admin.audit.project'), cell: l => l.project ?? '—'},
                {zh: t('admin.audit.detail'), cell: l => detailText(l), className: 'ad-detail-cell'},
            ], page.lines, {empty: t('admin.audit.none'), rowData: l => ({id: l.id, action: l.action, username: l.username ?? ''})}));
            this.pager.show(offset, page.total);
        } catch (err) {
            if (!this.fields.failFrom(err)) this.notice.fail(refusal(err));
        }
    }
}
