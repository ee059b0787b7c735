// The payment batches of a project, newest first: status chip, who did each step, and the step buttons the current user may press.
import {refusal} from '../api/send';
import type {User} from '../auth/api';
import {fmtTime, fmtYuan} from '../format';
import {batchChip} from '../labels';
import {el} from '../ui/dom';
import {Notice, button, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {fetchBatch, returnBatch, stepBatch, type Batch, type BatchPayment, type BatchStep} from './api';

/** The one forward step a batch in `status` can take, with its button text. */
const NEXT: Record<string, {step: BatchStep; zh: string} | undefined> = {
    submitted: {step: 'review', zh: '审核'},
    reviewed: {step: 'approve', zh: '审批'},
    approved: {step: 'pay', zh: '支付'},
};
const RETURNABLE = new Set(['submitted', 'reviewed']);

export class BatchList {
    readonly el = el('section', 'om-card dk-batches');
    readonly notice = new Notice();
    private list = el('div', 'dk-batch-list');

    /** `onChanged` reloads the funds after a step: the gauges and the payable list move with it. */
    constructor(private user: User, private onChanged: () => void) {
        this.el.setAttribute('aria-label', '支付批次');
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, '支付批次'));
        this.el.append(head, this.notice.el, this.list);
    }

    show(batches: Batch[]): void {
        const rows = [...batches].sort((a, b) => b.id - a.id);
        this.list.replaceChildren(...rows.map(b => this.item(b)));
        if (rows.length === 0) this.list.append(el('p', 'om-empty', '暂无支付批次'));
    }

    private item(b: Batch): HTMLElement {
        const card = el('article', 'dk-batch');
        card.dataset.batch = String(b.id);
        card.dataset.status = b.status;
        const top = el('div', 'dk-batch-top');
        const count = typeof b.payments === 'number' ? b.payments : b.payments.length;
        top.append(el('strong', 'dk-batch-id', `批次 #${b.id}`), batchChip(b.status),
            el('span', 'dk-batch-yuan', `${fmtYuan(b.yuan)} 元`), el('span', 'dk-batch-count', `${count} 笔`));
        card.append(top);
        if (b.note) card.append(el('p', 'dk-batch-note', b.note));

        const trail = el('ol', 'dk-trail');
        const stepLine = (zh: string, who: string | null, at?: string | null) => {
            if (!who) return;
            const li = el('li', undefined, `${zh}：${who}`);
            if (at) li.append(' · ', el('time', undefined, fmtTime(at)));
            trail.append(li);
        };
        stepLine('提交', b.submitted_by, b.submitted_at);
        stepLine('审核', b.reviewed_by, b.reviewed_at);
        stepLine('审批', b.approved_by, b.approved_at);
        stepLine('支付', b.paid_by, b.paid_at);
        stepLine('退回', b.returned_by, b.returned_at);
        card.append(trail);
        if (b.return_reason) card.append(el('p', 'dk-return-reason', `退回理由：${b.return_reason}`));

        const notice = new Notice();
        const actions = el('div', 'dk-batch-actions');
        const details = button('明细', 'quiet');
        const paymentsBox = el('div', 'dk-batch-payments');
        details.addEventListener('click', () => void this.toggleDetails(b.id, paymentsBox, notice));
        actions.append(details);

        // The reviewer must not be the submitter (docs/households.md): an admin sees no buttons on their own batch.
        const mayStep = this.user.role === 'admin' && b.submitted_by !== this.user.username;
        const next = NEXT[b.status];
        if (mayStep && next) {
            const go = button(next.zh, 'primary');
            go.dataset.step = next.step;
            go.addEventListener('click', () => void this.run(notice, [go], () => stepBatch(b.id, next.step), `已${next.zh}`));
            actions.append(go);
        }
        if (mayStep && RETURNABLE.has(b.status)) actions.append(this.returnControl(b, notice));
        if (this.user.role === 'admin' && b.submitted_by === this.user.username && (next || RETURNABLE.has(b.status))) {
            actions.append(el('small', 'dk-own', '本人提交，须由其他管理员审核'));
        }
        card.append(actions, notice.el, paymentsBox);
        return card;
    }

    /** 退回: a button that opens an inline reason field (required) with 确认退回 / 取消. */
    private returnControl(b: Batch, notice: Notice): HTMLElement {
        const wrap = el('span', 'dk-return');
        const open = button('退回', 'danger');
        open.dataset.step = 'return';
        const form = el('form', 'dk-return-form');
        form.hidden = true;
        const reason = input('return_reason', {placeholder: '退回理由（必填）', required: true, maxLength: 500});
        reason.setAttribute('aria-label', `批次 #${b.id} 退回理由`);
        const confirm = button('确认退回', 'danger', 'submit');
        const cancel = button('取消', 'quiet');
        form.append(reason, confirm, cancel);
        open.addEventListener('click', () => { form.hidden = false; open.hidden = true; reason.focus(); });
        cancel.addEventListener('click', () => { form.hidden = true; open.hidden = false; notice.clear(); });
        form.addEventListener('submit', e => {
            e.preventDefault();
            const why = reason.value.trim();
            if (!why) return notice.fail('请填写退回理由');
            void this.run(notice, [confirm, cancel], () => returnBatch(b.id, why), '已退回');
        });
        wrap.append(open, form);
        return wrap;
    }

    private async run(notice: Notice, buttons: HTMLButtonElement[], work: () => Promise<Batch>, done: string): Promise<void> {
        notice.busy('正在处理…');
        try {
            const b = await whileBusy(buttons, work);
            this.notice.ok(`批次 #${b.id} ${done}`);
            this.onChanged();
        } catch (err) {
            notice.fail(refusal(err));
        }
    }

    private async toggleDetails(id: number, box: HTMLElement, notice: Notice): Promise<void> {
        if (box.childElementCount) return box.replaceChildren();
        try {
            const b = await fetchBatch(id);
            const payments = Array.isArray(b.payments) ? b.payments : [];
            box.replaceChildren(dataTable<BatchPayment>([
                {zh: '户号', cell: p => p.code},
                {zh: '户主', cell: p => p.holder_name},
                {zh: '金额（元）', cell: p => fmtYuan(p.yuan), className: 'om-num'},
            ], payments, {empty: '该批次没有支付明细'}));
        } catch (err) {
            notice.fail(refusal(err));
        }
    }
}
