// The 户档 tab: search households (name, ID number, status, 疑难户) in the chosen project or in all the user's projects, a paged results table, the chosen household's file beside it.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtYuan} from '../format';
import {BUILDING_STATUS} from '../map/palette';
import {RESETTLEMENT_ZH, chip, householdChip} from '../labels';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, select} from '../ui/form';
import {Pager, dataTable} from '../ui/table';
import {searchHouseholds, type HouseholdQuery, type HouseholdRow} from './api';
import {HouseholdFileView} from './household-file';
import {go} from './route';

const PAGE = 50;

export class HouseholdsTab {
    readonly el = el('div', 'dk-households');
    private name = input('name', {placeholder: zhText('desk.households.name_placeholder'), autocomplete: 'off'});
    private idNumber = input('id_number', {placeholder: zhText('desk.households.id_placeholder'), autocomplete: 'off', inputMode: 'text', maxLength: 18});
    private status = select('status', [{value: '', zh: zhText('common.all')}, ...BUILDING_STATUS.map(s => ({value: s.value, zh: s.zh}))]);
    private difficult = select('difficult', [{value: '', zh: zhText('common.all')}, {value: 'true', zh: zhText('desk.common.yes')}, {value: 'false', zh: zhText('desk.common.no')}]);
    /** 本项目 or every project the user may see (the server keeps an operator inside their region). */
    private scope = select('household_scope', [{value: 'project', zh: zhText('desk.households.scope_project')}, {value: 'all', zh: zhText('desk.households.scope_all')}]);
    private results = el('div', 'dk-results-table');
    private count = el('small', 'om-card-note');
    private notice = new Notice();
    private pager = new Pager(PAGE, offset => void this.search(offset));
    private file: HouseholdFileView;
    private project: string | null = null;
    private generation = 0;

    constructor(user: User) {
        this.file = new HouseholdFileView(user, () => go({household: null}));
        const form = el('form', 'dk-search');
        form.setAttribute('aria-label', zhText('desk.households.search'));
        const reset = button(zhText('desk.common.reset'), 'quiet');
        form.append(field(zhText('desk.households.scope'), this.scope), field(zhText('desk.common.holder_name'), this.name),
            field(zhText('list.column.id_number'), this.idNumber), field(zhText('desk.common.progress'), this.status),
            field(zhText('desk.file.difficult'), this.difficult), button(zhText('desk.common.search'), 'primary', 'submit'), reset);
        form.addEventListener('submit', e => { e.preventDefault(); void this.search(0); });
        reset.addEventListener('click', () => { form.reset(); void this.search(0); });
        // A person's ID number is looked for wherever they live: typing one widens the search to every project (it can be narrowed again).
        this.idNumber.addEventListener('input', () => { if (this.idNumber.value.trim()) this.scope.value = 'all'; });

        const list = el('section', 'om-card dk-results');
        const head = el('header', 'om-card-head');
        const h2 = el('h2', undefined, zhText('desk.households.results'));
        h2.append(this.count);
        head.append(h2);
        list.append(head, form, this.notice.el, this.results, this.pager.el);
        this.el.append(list, this.file.el);
    }

    /** Shows project `project` (a new one starts with all its households; a search across projects stays) and opens household `id` if given. */
    show(project: string, id: number | null): void {
        if (project !== this.project) {
            const first = this.project === null;
            this.project = project;
            if (first || this.scope.value === 'project') void this.search(0);
        }
        if (id === null && this.file.id !== null) this.file.clear();
        // On a narrow screen the file is under the list: bring it into view once it is drawn (a
        // short "loading" line could not be scrolled to the top).
        if (id !== null && id !== this.file.id) void this.file.open(id, matchMedia('(max-width: 1199px)').matches);
        this.markOpen();
    }

    private async search(offset: number): Promise<void> {
        if (!this.project) return;
        const generation = ++this.generation;
        const query: HouseholdQuery = {
            project: this.scope.value === 'all' ? undefined : this.project, name: this.name.value.trim(), id_number: this.idNumber.value.trim().toUpperCase(),
            status: this.status.value, difficult: this.difficult.value as HouseholdQuery['difficult'], limit: PAGE, offset,
        };
        this.notice.busy(zhText('desk.common.searching'));
        this.el.dataset.loading = 'true';
        try {
            const r = await searchHouseholds(query);
            if (generation !== this.generation) return;
            this.notice.clear();
            this.count.textContent = zhText('desk.households.total', {count: r.total});
            this.renderRows(r.households);
            this.pager.show(offset, r.total);
        } catch (err) {
            if (generation !== this.generation) return;
            this.notice.fail(zhText('desk.common.search_failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private renderRows(rows: HouseholdRow[]): void {
        const across = this.scope.value === 'all';
        this.results.replaceChildren(dataTable<HouseholdRow>([
            {zh: zhText('desk.common.household_code'), cell: h => h.code},
            ...(across ? [{zh: zhText('desk.households.project'), cell: (h: HouseholdRow) => h.project_name, className: 'dk-project-name'}] : []),
            {zh: zhText('list.column.holder'), cell: h => h.holder_name, className: 'dk-name'},
            {zh: zhText('list.column.id_number'), cell: h => h.holder_id_number, className: 'om-mono'},
            {zh: zhText('list.column.members'), cell: h => String(h.members), className: 'om-num'},
            {zh: zhText('desk.households.area'), cell: h => String(h.recorded_area), className: 'om-num'},
            {zh: zhText('desk.common.progress'), cell: h => householdChip(h.status)},
            {zh: zhText('desk.households.difficult'), cell: h => (h.difficult ? chip(zhText('desk.file.difficult'), 'difficult', 'bad') : '')},
            {zh: zhText('desk.households.resettlement'), cell: h => (h.resettlement ? RESETTLEMENT_ZH[h.resettlement] ?? h.resettlement : '—')},
            {zh: zhText('desk.households.compensation'), cell: h => fmtYuan(h.compensation_yuan), className: 'om-num'},
            {zh: zhText('desk.households.paid'), cell: h => fmtYuan(h.paid_yuan), className: 'om-num'},
            {zh: zhText('desk.households.attachments'), cell: h => String(Array.isArray(h.attachments) ? h.attachments.length : h.attachments ?? 0), className: 'om-num'},
        ], rows, {
            empty: zhText('desk.households.none'),
            rowData: h => ({id: String(h.id)}),
            // a household of another project opens with its project chosen (funds and objections follow)
            onRow: h => go({project: h.project_code, household: h.id}),
        }));
        this.markOpen();
    }

    /** Highlights the row of the open household. */
    private markOpen(): void {
        for (const tr of this.results.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
            if (tr.dataset.id === String(this.file.id)) tr.setAttribute('aria-current', 'true');
            else tr.removeAttribute('aria-current');
        }
    }
}
