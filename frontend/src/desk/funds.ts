// The 资金 tab: a project's fund gauges and warnings, its allocations (拨入), its approval chain (审批流程), a new payment batch and the batches moving along their chains.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtPct, fmtTime, fmtWan, fmtYuan} from '../format';
import {inLang, zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {addAllocation, fetchFunds, type Allocation, type Funds} from './api';
import {BatchForm} from './batch-form';
import {BatchList} from './batches';
import {ChainCard} from './chain';

/** Today in Beijing, YYYY-MM-DD: the default day an allocation arrived. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export class FundsTab {
    readonly el = el('div', 'dk-funds');
    private gauges = el('section', 'om-card dk-gauges');
    private warnings = el('ul', 'dk-warnings');
    private allocations = el('section', 'om-card dk-allocations');
    private batchSlot = el('div', 'dk-batch-slot');
    private batches: BatchList;
    private chain: ChainCard;
    private status = new Notice();
    private project: string | null = null;
    private generation = 0;

    constructor(private user: User) {
        this.batches = new BatchList(user, () => void this.load());
        this.chain = new ChainCard(user, () => void this.load());
        this.gauges.setAttribute('aria-label', zhText('desk.funds.overview'));
        const left = el('div', 'dk-col');
        left.append(this.gauges, this.allocations);
        const right = el('div', 'dk-col');
        right.append(this.chain.el, this.batchSlot, this.batches.el);
        this.el.append(this.status.el, left, right);
    }

    show(project: string): void {
        if (project !== this.project) {
            this.project = project;
            this.batches.notice.clear();
        }
        void this.load();
    }

    private async load(): Promise<void> {
        const project = this.project;
        if (!project) return;
        const generation = ++this.generation;
        this.el.dataset.loading = 'true';
        try {
            const f = await fetchFunds(project);
            if (generation !== this.generation) return;
            this.status.clear();
            this.renderGauges(f);
            this.renderAllocations(project, f.allocations);
            this.chain.show(project, f.approval_chain);
            this.batchSlot.replaceChildren(new BatchForm(project, f.payable, b => {
                this.batches.notice.ok(zhText('desk.batch_form.submitted', {id: b.id, step: b.next_step?.name ?? zhText('desk.chain.step.review')}));
                void this.load();
            }).el);
            this.batches.show(f.batches);
        } catch (err) {
            if (generation !== this.generation) return;
            this.status.fail(zhText('desk.funds.failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private renderGauges(f: Funds): void {
        const rate = f.budget_yuan > 0 ? f.paid_yuan / f.budget_yuan : null;
        const gauge = (key: string, zh: string, value: number | null, main: string, sub: string) => {
            const g = el('div', 'dk-gauge');
            g.dataset.gauge = key;
            g.dataset.value = String(value ?? '');
            const v = el('dd', 'dk-gauge-v', main);
            g.append(el('dt', undefined, zh), v, el('dd', 'dk-gauge-sub', sub));
            return g;
        };
        const money = (key: string, zh: string, yuan: number) => gauge(key, zh, yuan, zhText('desk.funds.wan', {amount: fmtWan(yuan)}), zhText('desk.common.yuan', {amount: fmtYuan(yuan)}));
        const grid = el('dl', 'dk-gauge-grid');
        grid.append(
            money('budget', zhText('desk.funds.budget'), f.budget_yuan),
            money('allocated', zhText('desk.funds.allocated'), f.allocated_yuan),
            money('committed', zhText('desk.batch_form.committed'), f.committed_yuan),
            money('paid', zhText('desk.common.paid'), f.paid_yuan),
            gauge('paid_rate', zhText('figure.funds_paid_rate.name'), rate, fmtPct(rate), zhText('desk.funds.paid_rate_note')),
        );
        // the desk has no language switch (yet): its texts are Chinese whatever the cockpit chose
        this.warnings.replaceChildren(...f.warnings.map(w => {
            const li = el('li', `dk-warning dk-warning-${w.level}`, inLang('zh', w.message.key, w.message.values));
            li.dataset.code = w.code;
            li.dataset.level = w.level;
            li.prepend(el('strong', undefined, w.level === 'alarm' ? zhText('desk.funds.alarm') : zhText('desk.funds.warning')));
            return li;
        }));
        if (f.warnings.length === 0) this.warnings.append(el('li', 'dk-warning dk-warning-none', zhText('desk.funds.no_warnings')));
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, zhText('desk.funds.overview')));
        this.gauges.replaceChildren(head, grid, this.warnings);
    }

    private renderAllocations(project: string, rows: Allocation[]): void {
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, zhText('figure.funds_allocated.name')));
        const sorted = [...rows].sort((a, b) => b.received_on.localeCompare(a.received_on) || b.id - a.id);
        this.allocations.replaceChildren(head, dataTable<Allocation>([
            {zh: zhText('desk.funds.received_on'), cell: a => fmtTime(a.received_on)},
            {zh: zhText('desk.common.yuan_column'), cell: a => fmtYuan(a.yuan), className: 'om-num'},
            {zh: zhText('desk.funds.note'), cell: a => a.note ?? ''},
        ], sorted, {empty: zhText('desk.funds.no_allocations'), rowData: a => ({id: String(a.id)})}));
        if (this.user.role === 'admin') this.allocations.append(...this.allocationForm(project));
    }

    private allocationForm(project: string): HTMLElement[] {
        const form = el('form', 'dk-form-row');
        form.setAttribute('aria-label', zhText('desk.funds.add_label'));
        const yuan = input('allocation_yuan', {type: 'number', step: '0.01', min: '0.01', required: true});
        const day = input('received_on', {type: 'date', required: true, value: today()});
        const note = input('allocation_note', {placeholder: zhText('desk.funds.note_placeholder'), maxLength: 200});
        const add = button(zhText('desk.funds.add'), 'primary', 'submit');
        const notice = new Notice();
        form.append(field(zhText('desk.common.yuan_column'), yuan), field(zhText('desk.funds.received_on'), day), field(zhText('desk.funds.note'), note, 'dk-grow'), add);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            const amount = Number(yuan.value);
            if (!(amount > 0)) return notice.fail(zhText('desk.common.amount_missing'));
            notice.busy(zhText('desk.funds.adding'));
            try {
                await whileBusy([add], () => addAllocation(project, {yuan: amount, received_on: day.value, note: note.value.trim()}));
                await this.load();
            } catch (err) {
                notice.fail(refusal(err));
            }
        })());
        return [form, notice.el];
    }
}
