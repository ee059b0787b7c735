// A new payment batch (提交支付批次): payable households with a checkbox and an amount (default: what remains), one idempotency key per line.
import {ApiError, refusal} from '../api/client';
import {fmtYuan} from '../format';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {submitBatch, type Batch, type Payable} from './api';
import {newKey} from './keys';

type Line = {payable: Payable; pick: HTMLInputElement; amount: HTMLInputElement; key: string};

export class BatchForm {
    readonly el = el('section', 'om-card dk-batch-form');
    private notice = new Notice();
    private total = el('span', 'dk-batch-total');
    private note = input('batch_note', {placeholder: zhText('desk.batch_form.note_placeholder'), maxLength: 200});
    private send = button(zhText('desk.batch_form.submit'), 'primary', 'submit');
    private lines: Line[];
    private spent = false;

    /**
     * The keys are made once, when the form is built: a double click, or a retry after a lost
     * answer, sends the same keys and the server refuses the repeat (409) instead of paying twice.
     * A successful batch reloads the funds, which builds a new form with new keys.
     */
    constructor(private project: string, payable: Payable[], private onSubmitted: (b: Batch) => void) {
        this.el.setAttribute('aria-label', zhText('desk.batch_form.title'));
        const head = el('header', 'om-card-head');
        const title = el('h2', undefined, zhText('desk.batch_form.title'));
        head.append(title);
        this.lines = payable.map(p => ({
            payable: p,
            pick: input('pick', {type: 'checkbox'}),
            amount: input('amount', {type: 'number', step: '0.01', min: '0.01', max: String(p.remaining_yuan), value: p.remaining_yuan.toFixed(2)}),
            key: newKey(),
        }));
        for (const l of this.lines) {
            l.pick.setAttribute('aria-label', zhText('desk.batch_form.pick_label', {code: l.payable.code, holder: l.payable.holder_name}));
            l.amount.setAttribute('aria-label', zhText('desk.batch_form.amount_label', {code: l.payable.code}));
            l.pick.addEventListener('change', () => this.sum());
            l.amount.addEventListener('input', () => { if (!l.pick.checked) l.pick.checked = true; this.sum(); });
        }
        const all = input('pick_all', {type: 'checkbox'});
        all.setAttribute('aria-label', zhText('desk.batch_form.all'));
        // 全选 takes the rows in view: with a filter typed, only those that match.
        all.addEventListener('change', () => {
            for (const l of this.lines) if (!l.pick.closest('tr')?.hidden) l.pick.checked = all.checked;
            this.sum();
        });

        const table = dataTable<Line>([
            {zh: zhText('desk.batch_form.pick'), cell: l => l.pick, className: 'dk-pick'},
            {zh: zhText('desk.common.household_code'), cell: l => l.payable.code},
            {zh: zhText('list.column.holder'), cell: l => l.payable.holder_name},
            // The amount right after the name: on a phone it is in view without scrolling the table.
            {zh: zhText('desk.batch_form.amount'), cell: l => l.amount, className: 'dk-amount'},
            {zh: zhText('desk.batch_form.remaining'), cell: l => fmtYuan(l.payable.remaining_yuan), className: 'om-num'},
            {zh: zhText('desk.common.agreement_amount'), cell: l => fmtYuan(l.payable.agreed_yuan), className: 'om-num'},
            {zh: zhText('desk.batch_form.committed'), cell: l => fmtYuan(l.payable.committed_yuan), className: 'om-num'},
        ], this.lines, {empty: zhText('desk.batch_form.none'), rowData: l => ({household: String(l.payable.household_id)})});
        table.querySelector('thead th')?.replaceChildren(all);
        table.classList.add('dk-payable');

        // Hundreds of households can be payable: narrow the rows by code or name (checked ones stay).
        const filter = input('payable_filter', {type: 'search', placeholder: zhText('desk.batch_form.filter_placeholder'), autocomplete: 'off'});
        filter.setAttribute('aria-label', zhText('desk.batch_form.filter_label'));
        filter.addEventListener('input', () => {
            const needle = filter.value.trim();
            for (const tr of table.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
                const line = this.lines.find(l => String(l.payable.household_id) === tr.dataset.household);
                tr.hidden = !!needle && !!line && !line.pick.checked && !`${line.payable.code} ${line.payable.holder_name}`.includes(needle);
            }
        });
        title.append(el('small', 'om-card-note', zhText('desk.batch_form.count', {count: this.lines.length})));
        head.append(filter);
        filter.hidden = this.lines.length < 10;

        const form = el('form', 'dk-form-row dk-batch-submit');
        form.setAttribute('aria-label', zhText('desk.batch_form.submit'));
        form.append(field(zhText('desk.batch_form.batch_note'), this.note, 'dk-grow'), this.total, this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.submit(); });
        this.el.append(head, table, form, this.notice.el);
        form.hidden = this.lines.length === 0;
        this.sum();
    }

    private picked(): Line[] {
        return this.lines.filter(l => l.pick.checked);
    }

    private sum(): void {
        const picked = this.picked();
        const yuan = picked.reduce((s, l) => s + (Number(l.amount.value) || 0), 0);
        this.total.textContent = zhText('desk.batch_form.total', {count: picked.length, amount: fmtYuan(yuan)});
    }

    private async submit(): Promise<void> {
        // A form whose batch went through is spent: a late second click must not even try again.
        if (this.spent) return;
        const picked = this.picked();
        if (picked.length === 0) return this.notice.fail(zhText('desk.batch_form.none_picked'));
        for (const l of picked) {
            const v = Number(l.amount.value);
            if (!(v > 0)) return this.notice.fail(zhText('desk.batch_form.amount_missing', {code: l.payable.code}));
            if (v > l.payable.remaining_yuan + 0.001) return this.notice.fail(zhText('desk.batch_form.amount_over', {code: l.payable.code, amount: fmtYuan(l.payable.remaining_yuan)}));
        }
        const payments = picked.map(l => ({household_id: l.payable.household_id, yuan: Math.round(Number(l.amount.value) * 100) / 100, idempotency_key: l.key}));
        this.notice.busy(zhText('desk.common.submitting'));
        try {
            const batch = await whileBusy([this.send], () => submitBatch(this.project, this.note.value.trim(), payments));
            this.spent = true;
            this.send.disabled = true;
            this.notice.ok(zhText('desk.batch_form.submitted', {id: batch.id, step: batch.next_step?.name ?? zhText('desk.chain.step.review')}));
            this.onSubmitted(batch);
        } catch (err) {
            // 409: these payments' keys were used already, i.e. this form's batch reached the server
            // before (an answer lost on the way, a resend): nothing was paid twice.
            const repeated = err instanceof ApiError && err.code === 'payment_paid_once';
            this.notice.fail(repeated ? zhText('desk.batch_form.repeated') : zhText('desk.common.submit_failed', {reason: refusal(err)}));
        }
    }
}
