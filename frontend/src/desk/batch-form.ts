// A new payment batch (提交支付批次): payable households with a checkbox and an amount (default: what remains), one idempotency key per line.
import {ApiError, refusal} from '../api/client';
import {fmtYuan} from '../format';
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
    private note = input('batch_note', {placeholder: '如：第 3 批货币补偿款', maxLength: 200});
    private send = button('提交支付批次', 'primary', 'submit');
    private lines: Line[];
    private spent = false;

    /**
     * The keys are made once, when the form is built: a double click, or a retry after a lost
     * answer, sends the same keys and the server refuses the repeat (409) instead of paying twice.
     * A successful batch reloads the funds, which builds a new form with new keys.
     */
    constructor(private project: string, payable: Payable[], private onSubmitted: (b: Batch) => void) {
        this.el.setAttribute('aria-label', '新建支付批次');
        const head = el('header', 'om-card-head');
        const title = el('h2', undefined, '新建支付批次');
        head.append(title);
        this.lines = payable.map(p => ({
            payable: p,
            pick: input('pick', {type: 'checkbox'}),
            amount: input('amount', {type: 'number', step: '0.01', min: '0.01', max: String(p.remaining_yuan), value: p.remaining_yuan.toFixed(2)}),
            key: newKey(),
        }));
        for (const l of this.lines) {
            l.pick.setAttribute('aria-label', `选择 ${l.payable.code} ${l.payable.holder_name}`);
            l.amount.setAttribute('aria-label', `${l.payable.code} 本次支付金额`);
            l.pick.addEventListener('change', () => this.sum());
            l.amount.addEventListener('input', () => { if (!l.pick.checked) l.pick.checked = true; this.sum(); });
        }
        const all = input('pick_all', {type: 'checkbox'});
        all.setAttribute('aria-label', '全选');
        // 全选 takes the rows in view: with a filter typed, only those that match.
        all.addEventListener('change', () => {
            for (const l of this.lines) if (!l.pick.closest('tr')?.hidden) l.pick.checked = all.checked;
            this.sum();
        });

        const table = dataTable<Line>([
            {zh: '选择', cell: l => l.pick, className: 'dk-pick'},
            {zh: '户号', cell: l => l.payable.code},
            {zh: '户主', cell: l => l.payable.holder_name},
            // The amount right after the name: on a phone it is in view without scrolling the table.
            {zh: '本次支付（元）', cell: l => l.amount, className: 'dk-amount'},
            {zh: '待支付', cell: l => fmtYuan(l.payable.remaining_yuan), className: 'om-num'},
            {zh: '协议金额', cell: l => fmtYuan(l.payable.agreed_yuan), className: 'om-num'},
            {zh: '已纳入批次', cell: l => fmtYuan(l.payable.committed_yuan), className: 'om-num'},
        ], this.lines, {empty: '没有待支付的已签约住户', rowData: l => ({household: String(l.payable.household_id)})});
        table.querySelector('thead th')?.replaceChildren(all);
        table.classList.add('dk-payable');

        // Hundreds of households can be payable: narrow the rows by code or name (checked ones stay).
        const filter = input('payable_filter', {type: 'search', placeholder: '按户号或户主筛选', autocomplete: 'off'});
        filter.setAttribute('aria-label', '筛选待支付住户');
        filter.addEventListener('input', () => {
            const needle = filter.value.trim();
            for (const tr of table.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
                const line = this.lines.find(l => String(l.payable.household_id) === tr.dataset.household);
                tr.hidden = !!needle && !!line && !line.pick.checked && !`${line.payable.code} ${line.payable.holder_name}`.includes(needle);
            }
        });
        title.append(el('small', 'om-card-note', `${this.lines.length} 户待支付`));
        head.append(filter);
        filter.hidden = this.lines.length < 10;

        const form = el('form', 'dk-form-row dk-batch-submit');
        form.setAttribute('aria-label', '提交支付批次');
        form.append(field('批次说明', this.note, 'dk-grow'), this.total, this.send);
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
        this.total.textContent = `已选 ${picked.length} 户，合计 ${fmtYuan(yuan)} 元`;
    }

    private async submit(): Promise<void> {
        // A form whose batch went through is spent: a late second click must not even try again.
        if (this.spent) return;
        const picked = this.picked();
        if (picked.length === 0) return this.notice.fail('请勾选要支付的住户');
        for (const l of picked) {
            const v = Number(l.amount.value);
            if (!(v > 0)) return this.notice.fail(`${l.payable.code}：请填写大于 0 的金额`);
            if (v > l.payable.remaining_yuan + 0.001) return this.notice.fail(`${l.payable.code}：超过待支付金额 ${fmtYuan(l.payable.remaining_yuan)} 元`);
        }
        const payments = picked.map(l => ({household_id: l.payable.household_id, yuan: Math.round(Number(l.amount.value) * 100) / 100, idempotency_key: l.key}));
        this.notice.busy('正在提交…');
        try {
            const batch = await whileBusy([this.send], () => submitBatch(this.project, this.note.value.trim(), payments));
            this.spent = true;
            this.send.disabled = true;
            this.notice.ok(`已提交支付批次 #${batch.id}，等待${batch.next_step?.name ?? '审核'}`);
            this.onSubmitted(batch);
        } catch (err) {
            // 409: these payments' keys were used already, i.e. this form's batch reached the server
            // before (an answer lost on the way, a resend): nothing was paid twice.
            const repeated = err instanceof ApiError && err.status === 409 && /idempotency|重复/i.test(err.detail);
            this.notice.fail(repeated ? `该批次已提交过，重复提交已被拒绝，未重复支付。请在“支付批次”中查看。（${err.detail}）` : `提交失败：${refusal(err)}`);
        }
    }
}
