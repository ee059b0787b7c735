// The payment batches of a project, newest first: status, the approval chain each follows with who took which step and when, and the step or 退回 the current user may take.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime, fmtYuan} from '../format';
import {batchChip, chip} from '../labels';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {fetchBatch, returnBatch, stepBatch, type Batch, type BatchPayment, type ChainStep} from './api';
import {holderZh} from './chain';

export class BatchList {
    readonly el = el('section', 'om-card dk-batches');
    readonly notice = new Notice();
    private list = el('div', 'dk-batch-list');

    /** `onChanged` reloads the funds after a step: the gauges and the payable list move with it. */
    constructor(private user: User, private onChanged: () => void) {
        this.el.setAttribute('aria-label', zhText('desk.batches.title'));
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, zhText('desk.batches.title')));
        this.el.append(head, this.notice.el, this.list);
    }

    show(batches: Batch[]): void {
        const rows = [...batches].sort((a, b) => b.id - a.id);
        this.list.replaceChildren(...rows.map(b => this.item(b)));
        if (rows.length === 0) this.list.append(el('p', 'om-empty', zhText('desk.batches.empty')));
    }

    private item(b: Batch): HTMLElement {
        const card = el('article', 'dk-batch');
        card.dataset.batch = String(b.id);
        card.dataset.status = b.status;
        if (b.next_step) card.dataset.next = b.next_step.key;
        const top = el('div', 'dk-batch-top');
        const count = typeof b.payments === 'number' ? b.payments : b.payments.length;
        // In flight, the chip says which step the batch waits at.
        const status = b.next_step ? chip(zhText('desk.batches.waiting_at', {step: b.next_step.name}), b.status, 'wait') : batchChip(b.status);
        top.append(el('strong', 'dk-batch-id', zhText('desk.batches.batch', {id: b.id})), status,
            el('span', 'dk-batch-yuan', zhText('desk.common.yuan', {amount: fmtYuan(b.yuan)})), el('span', 'dk-batch-count', zhText('desk.batches.payment_count', {count})),
            el('small', 'dk-batch-chain', zhText(b.chain.project_specific ? 'desk.batches.chain_project' : 'desk.batches.chain_default', {version: b.chain.version})));
        card.append(top);
        if (b.note) card.append(el('p', 'dk-batch-note', b.note));
        card.append(this.trail(b));
        if (b.return_reason) card.append(el('p', 'dk-return-reason', zhText('desk.batches.return_reason', {reason: b.return_reason})));

        const notice = new Notice();
        const actions = el('div', 'dk-batch-actions');
        const details = button(zhText('desk.batches.details'), 'quiet');
        const paymentsBox = el('div', 'dk-batch-payments');
        details.addEventListener('click', () => void this.toggleDetails(b.id, paymentsBox, notice));
        actions.append(details);
        const next = b.next_step;
        if (next && b.may_take_next) {
            const go = button(zhText('desk.batches.take', {step: next.name}), 'primary');
            go.dataset.step = next.key;
            const done = next.position === b.steps.length ? zhText('batch.status.paid') : zhText('desk.batches.step_done', {step: next.name});
            go.addEventListener('click', () => void this.run(notice, [go], () => stepBatch(b.id, next.key), done));
            actions.append(go);
        }
        if (next && b.may_send_back) actions.append(this.returnControl(b, notice));
        if (next && !b.may_take_next) actions.append(el('small', 'dk-own', this.whyNotMine(b, next)));
        card.append(actions, notice.el, paymentsBox);
        return card;
    }

    /** The chain as a row of steps: 提交, then each step done (who, when), the one it waits at, and those to come. */
    private trail(b: Batch): HTMLElement {
        const trail = el('ol', 'dk-trail');
        trail.setAttribute('aria-label', zhText('desk.batches.trail', {id: b.id}));
        const line = (zh: string, state: string, who: string | null, at: string | null, key?: string) => {
            const li = el('li', 'dk-trail-step');
            li.dataset.state = state;
            if (key) li.dataset.key = key;
            li.append(el('span', 'dk-trail-name', zh));
            if (who || at) li.append(el('span', 'dk-trail-who', who ?? zhText('desk.batches.system')));
            if (at) li.append(el('time', undefined, fmtTime(at)));
            trail.append(li);
            return li;
        };
        line(zhText('desk.chain.start'), 'done', b.submitted_by, b.submitted_at);
        // the step it waits at, or was sent back from
        const pending = b.status === 'paid' ? null : b.steps_taken + 1;
        for (const s of b.steps) {
            const state = s.at ? 'done' : s.position !== pending ? 'todo' : b.status === 'returned' ? 'returned' : 'next';
            const li = line(s.name, state, s.by, s.at, s.key);
            if (!s.at && b.status === 'submitted') li.append(el('span', 'dk-trail-who', holderZh(s)));
        }
        if (b.status === 'returned') {
            const at = b.steps.find(s => s.position === pending)?.name;
            line(at ? zhText('desk.batches.returned_at', {step: at}) : zhText('desk.batches.return'), 'returned', b.returned_by, b.returned_at);
        }
        return trail;
    }

    /** Why the signed-in user sees no step button on a batch in flight. */
    private whyNotMine(b: Batch, next: ChainStep): string {
        const me = this.user.username;
        if (b.submitted_by === me) return zhText('desk.batches.own_submission');
        if (b.steps.some(s => s.by === me)) return zhText('desk.batches.own_step');
        return zhText('desk.batches.awaiting_holder', {holder: holderZh(next)});
    }

    /** 退回: a button that opens an inline reason field (required) with 确认退回 / 取消. */
    private returnControl(b: Batch, notice: Notice): HTMLElement {
        const wrap = el('span', 'dk-return');
        const open = button(zhText('desk.batches.return'), 'danger');
        open.dataset.step = 'return';
        const form = el('form', 'dk-return-form');
        form.hidden = true;
        const reason = input('return_reason', {placeholder: zhText('desk.batches.reason_placeholder'), required: true, maxLength: 500});
        reason.setAttribute('aria-label', zhText('desk.batches.reason_label', {id: b.id}));
        const confirm = button(zhText('desk.batches.confirm_return'), 'danger', 'submit');
        const cancel = button(zhText('desk.common.cancel'), 'quiet');
        form.append(reason, confirm, cancel);
        open.addEventListener('click', () => { form.hidden = false; open.hidden = true; reason.focus(); });
        cancel.addEventListener('click', () => { form.hidden = true; open.hidden = false; notice.clear(); });
        form.addEventListener('submit', e => {
            e.preventDefault();
            const why = reason.value.trim();
            if (!why) return notice.fail(zhText('desk.batches.reason_missing'));
            void this.run(notice, [confirm, cancel], () => returnBatch(b.id, why), zhText('batch.status.returned'));
        });
        wrap.append(open, form);
        return wrap;
    }

    private async run(notice: Notice, buttons: HTMLButtonElement[], work: () => Promise<Batch>, done: string): Promise<void> {
        notice.busy(zhText('desk.common.busy'));
        try {
            const b = await whileBusy(buttons, work);
            this.notice.ok(zhText('desk.batches.done', {id: b.id, done}));
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
                {zh: zhText('desk.common.household_code'), cell: p => p.code},
                {zh: zhText('list.column.holder'), cell: p => p.holder_name},
                {zh: zhText('desk.common.yuan_column'), cell: p => fmtYuan(p.yuan), className: 'om-num'},
            ], payments, {empty: zhText('desk.batches.no_payments')}));
        } catch (err) {
            notice.fail(refusal(err));
        }
    }
}
