// The desk's two ways to hand households to a work group besides the map: a pasted list of building or household codes, and an XLSX of 房屋编号/户编号 with 工作组 (all or nothing, its rejected rows shown).
import {ApiError, errorSentence, refusal, type ErrorValues} from '../api/client';
import {fmtInt} from '../format';
import {zhText} from '../i18n';
import {assignedLine} from '../groups/assigned';
import {assignToGroup, importGroups, unassign, type WorkGroup} from '../groups/api';
import {el} from '../ui/dom';
import {Notice, button, field, input, select, textarea, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';

/** A rejected row of a group import, as the server reports rows (docs/errors.md). */
type RejectedRow = {row: number; id?: string | number | null; problem?: string; code?: string; values?: ErrorValues};

/** The codes of a pasted list: one per line, or separated by commas, spaces or tabs (a column copied from a spreadsheet). */
export const parseCodes = (text: string): string[] => [...new Set(text.split(/[\s,，;；、]+/).map(s => s.trim()).filter(Boolean))];

/** The rejected rows an import refusal carries, whichever list the answer names them in. */
function rejectedRows(err: ApiError): RejectedRow[] {
    try {
        const body = JSON.parse(err.body) as Record<string, unknown>;
        const values = body.values as Record<string, unknown> | undefined;
        const list = values?.rows ?? values?.rejected ?? body.rejected ?? body.rows;
        return Array.isArray(list) ? list as RejectedRow[] : [];
    } catch {
        return [];
    }
}

export class GroupAssign {
    readonly el = el('section', 'om-card dk-group-assign');
    private kind = select('code_kind', [{value: 'buildings', zh: zhText('desk.groups.kind_buildings')}, {value: 'households', zh: zhText('desk.groups.kind_households')}]);
    private group = select('assign_group', []);
    private codes = textarea('codes', {rows: 5, placeholder: zhText('desk.groups.codes_placeholder')});
    private listNotice = new Notice();
    private file = input('groups_file', {type: 'file', accept: '.xlsx'});
    private importNotice = new Notice();
    private report = el('div', 'dk-group-report');
    private project: string | null = null;

    /** `done` after every write that went through: the groups' figures are read again. */
    constructor(private done: () => void) {
        this.el.setAttribute('aria-label', zhText('desk.groups.assign_title'));
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, zhText('desk.groups.assign_title')));
        const assign = button(zhText('desk.groups.assign'), 'primary', 'submit');
        const remove = button(zhText('desk.groups.unassign'), 'quiet');
        const list = el('form', 'dk-group-list-form');
        list.setAttribute('aria-label', zhText('desk.groups.by_list'));
        const row = el('div', 'dk-form-row');
        row.append(field(zhText('desk.groups.code_kind'), this.kind), field(zhText('desk.groups.to_group'), this.group), assign, remove);
        list.append(el('h3', undefined, zhText('desk.groups.by_list')), field(zhText('desk.groups.codes'), this.codes, 'dk-grow'), row, this.listNotice.el);
        list.addEventListener('submit', e => { e.preventDefault(); void this.assign([assign, remove], false); });
        remove.addEventListener('click', () => void this.assign([assign, remove], true));

        const upload = el('form', 'dk-upload dk-group-import');
        upload.setAttribute('aria-label', zhText('desk.groups.by_import'));
        const send = button(zhText('desk.groups.import'), 'primary', 'submit');
        upload.append(el('h3', undefined, zhText('desk.groups.by_import')), el('p', 'om-hint', zhText('desk.groups.import_hint')),
            field(zhText('desk.groups.file'), this.file), send, this.importNotice.el, this.report);
        upload.addEventListener('submit', e => { e.preventDefault(); void this.import(send); });
        this.el.append(head, list, upload);
    }

    show(project: string, groups: WorkGroup[]): void {
        if (project !== this.project) {
            this.listNotice.clear();
            this.importNotice.clear();
            this.report.replaceChildren();
        }
        this.project = project;
        const chosen = this.group.value;
        this.group.replaceChildren(...groups.map(g => new Option(g.name, String(g.id))));
        if (groups.some(g => String(g.id) === chosen)) this.group.value = chosen;
    }

    private async assign(buttons: HTMLButtonElement[], remove: boolean): Promise<void> {
        const codes = parseCodes(this.codes.value);
        if (!codes.length) return this.listNotice.fail(zhText('desk.groups.codes_missing'));
        const id = Number(this.group.value);
        if (!remove && !id) return this.listNotice.fail(zhText('desk.groups.group_missing'));
        const target = this.kind.value === 'buildings' ? {buildings: codes} : {households: codes};
        this.listNotice.busy(zhText('desk.common.submitting'));
        try {
            const answer = await whileBusy(buttons, () => (remove ? unassign(target) : assignToGroup(id, target)));
            this.listNotice.ok(remove ? zhText('desk.groups.unassigned', {count: answer.assigned}) : assignedLine(answer, zhText));
            this.el.dataset.assigned = String(answer.assigned);
            this.done();
        } catch (err) {
            this.listNotice.fail(refusal(err));
        }
    }

    private async import(send: HTMLButtonElement): Promise<void> {
        const file = this.file.files?.[0];
        if (!file || !this.project) return this.importNotice.fail(zhText('desk.groups.file_missing'));
        const project = this.project;
        this.report.replaceChildren();
        this.importNotice.busy(zhText('desk.groups.importing'));
        try {
            const answer = await whileBusy([send], () => importGroups(project, file, (sent, total) => {
                if (total) this.importNotice.busy(`${zhText('desk.groups.importing')} ${Math.round((sent / total) * 100)}%`);
            }));
            this.importNotice.ok(assignedLine(answer, zhText));
            this.done();
        } catch (err) {
            const rows = err instanceof ApiError ? rejectedRows(err) : [];
            this.importNotice.fail(rows.length ? zhText('desk.groups.import_rejected', {count: fmtInt(rows.length)}) : refusal(err));
            if (rows.length) this.report.append(dataTable<RejectedRow>([
                {zh: zhText('import.report.row'), cell: r => String(r.row), className: 'om-num'},
                {zh: zhText('import.report.id'), cell: r => (r.id === null || r.id === undefined ? '—' : String(r.id))},
                {zh: zhText('import.report.problem'), cell: r => (r.code && errorSentence(r.code, r.values)) || r.problem || ''},
            ], rows, {rowData: r => ({row: String(r.row)})}));
        }
    }
}
