// The 户档 tab: search a project's households (name, ID number, status, difficult), a paged results table, the chosen household's file beside it.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtYuan} from '../format';
import {BUILDING_STATUS} from '../map/palette';
import {RESETTLEMENT_ZH, chip, householdChip} from '../labels';
import {el} from '../ui/dom';
import {Notice, button, field, input, select} from '../ui/form';
import {Pager, dataTable} from '../ui/table';
import {searchHouseholds, type HouseholdQuery, type HouseholdRow} from './api';
import {HouseholdFileView} from './household-file';
import {go} from './route';

const PAGE = 50;

export class HouseholdsTab {
    readonly el = el('div', 'dk-households');
    private name = input('name', {placeholder: '姓名或其中几个字', autocomplete: 'off'});
    private idNumber = input('id_number', {placeholder: '完整号码或后 4 位以上', autocomplete: 'off', inputMode: 'text', maxLength: 18});
    private status = select('status', [{value: '', zh: '全部'}, ...BUILDING_STATUS.map(s => ({value: s.value, zh: s.zh}))]);
    private difficult = select('difficult', [{value: '', zh: '全部'}, {value: 'true', zh: '是'}, {value: 'false', zh: '否'}]);
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
        form.setAttribute('aria-label', '户档查询');
        const reset = button('重置', 'quiet');
        form.append(field('户主姓名', this.name), field('身份证号', this.idNumber), field('进度', this.status),
            field('困难户', this.difficult), button('查询', 'primary', 'submit'), reset);
        form.addEventListener('submit', e => { e.preventDefault(); void this.search(0); });
        reset.addEventListener('click', () => { form.reset(); void this.search(0); });

        const list = el('section', 'om-card dk-results');
        const head = el('header', 'om-card-head');
        const h2 = el('h2', undefined, '查询结果');
        h2.append(this.count);
        head.append(h2);
        list.append(head, form, this.notice.el, this.results, this.pager.el);
        this.el.append(list, this.file.el);
    }

    /** Shows project `project` (a new one starts with all its households) and opens household `id` if given. */
    show(project: string, id: number | null): void {
        if (project !== this.project) {
            this.project = project;
            void this.search(0);
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
            project: this.project, name: this.name.value.trim(), id_number: this.idNumber.value.trim().toUpperCase(),
            status: this.status.value, difficult: this.difficult.value as HouseholdQuery['difficult'], limit: PAGE, offset,
        };
        this.notice.busy('正在查询…');
        this.el.dataset.loading = 'true';
        try {
            const r = await searchHouseholds(query);
            if (generation !== this.generation) return;
            this.notice.clear();
            this.count.textContent = `共 ${r.total} 户`;
            this.renderRows(r.households);
            this.pager.show(offset, r.total);
        } catch (err) {
            if (generation !== this.generation) return;
            this.notice.fail(`查询失败：${refusal(err)}`);
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private renderRows(rows: HouseholdRow[]): void {
        this.results.replaceChildren(dataTable<HouseholdRow>([
            {zh: '户号', cell: h => h.code},
            {zh: '户主', cell: h => h.holder_name, className: 'dk-name'},
            {zh: '身份证号', cell: h => h.holder_id_number, className: 'om-mono'},
            {zh: '人口', cell: h => String(h.members), className: 'om-num'},
            {zh: '面积 m²', cell: h => String(h.recorded_area), className: 'om-num'},
            {zh: '进度', cell: h => householdChip(h.status)},
            {zh: '困难', cell: h => (h.difficult ? chip('困难户', 'difficult', 'bad') : '')},
            {zh: '安置', cell: h => (h.resettlement ? RESETTLEMENT_ZH[h.resettlement] ?? h.resettlement : '—')},
            {zh: '应补偿（元）', cell: h => fmtYuan(h.compensation_yuan), className: 'om-num'},
            {zh: '已支付（元）', cell: h => fmtYuan(h.paid_yuan), className: 'om-num'},
            {zh: '附件', cell: h => String(Array.isArray(h.attachments) ? h.attachments.length : h.attachments ?? 0), className: 'om-num'},
        ], rows, {
            empty: '没有符合条件的住户',
            rowData: h => ({id: String(h.id)}),
            onRow: h => go({household: h.id}),
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
