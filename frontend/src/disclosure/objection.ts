// Residents' objections (申诉): the form that returns a ticket number, and the box that follows a ticket's progress.
import {ApiError} from '../api/client';
import {fmtTime} from '../format';
import {OBJECTION_STATUS_ZH, objectionChip} from '../labels';
import {el} from '../ui/dom';
import {Notice, button, field, input, textarea, whileBusy} from '../ui/form';
import {fetchTicket, fileObjection} from './api';
import {idProblem, normaliseId} from './id-number';
import {publicRefusal, type Resident} from './lookup';

export class ObjectionBox {
    readonly el = el('section', 'pub-card pub-objection');
    private name = input('objection_name', {autocomplete: 'name', required: true, maxLength: 30});
    private idNumber = input('objection_id_number', {autocomplete: 'off', required: true, maxLength: 20});
    private household = input('household_code', {required: true, maxLength: 40, placeholder: '可先“查询本户”自动填入'});
    private body = textarea('objection_body', {required: true, maxLength: 2000, rows: 4, placeholder: '请写明对哪一项（面积、补偿、名单等）有异议及理由'});
    private send = button('提交申诉', 'primary', 'submit');
    private notice = new Notice();

    constructor(private onTicket: (ticket: string) => void) {
        this.el.id = 'objection';
        this.el.setAttribute('aria-label', '提出申诉');
        const form = el('form', 'pub-form');
        form.append(field('户主姓名', this.name), field('身份证号', this.idNumber), field('户号', this.household),
            field('申诉内容', this.body, 'pub-wide'), this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.el.append(el('h2', undefined, '提出申诉'), el('p', 'pub-hint', '对公示内容或本户补偿有异议的，可在此提出。提交后请保存申诉编号，用于查询办理进度。'),
            form, this.notice.el);
    }

    /** Fills in who is objecting after a look-up and brings the form into view. */
    prefill(r: Resident): void {
        this.name.value = r.name;
        this.idNumber.value = r.id_number;
        this.household.value = r.household_code;
        this.el.scrollIntoView({block: 'start', behavior: 'smooth'});
        this.body.focus({preventScroll: true});
    }

    private async run(): Promise<void> {
        const id = normaliseId(this.idNumber.value);
        if (!this.name.value.trim()) return this.notice.fail('请输入户主姓名');
        const problem = idProblem(id);
        if (problem) return this.notice.fail(problem);
        if (!this.household.value.trim()) return this.notice.fail('请输入户号');
        if (!this.body.value.trim()) return this.notice.fail('请填写申诉内容');
        this.notice.busy('正在提交…');
        try {
            const r = await whileBusy([this.send], () => fileObjection({
                name: this.name.value.trim(), id_number: id, household_code: this.household.value.trim(), body: this.body.value.trim(),
            }));
            this.body.value = '';
            this.notice.ok(`申诉已受理，编号 ${r.ticket}。请妥善保存，可凭编号查询办理进度。`);
            this.el.dataset.ticket = r.ticket;
            this.onTicket(r.ticket);
        } catch (err) {
            this.notice.fail(publicRefusal(err, '姓名、身份证号与户号不相符，或该户不属于已公开项目，请核对后重试。'));
        }
    }
}

export class TicketBox {
    readonly el = el('section', 'pub-card pub-ticket');
    private ticket = input('ticket', {required: true, maxLength: 40, placeholder: '申诉编号', autocomplete: 'off'});
    private send = button('查询进度', 'primary', 'submit');
    private notice = new Notice();
    private result = el('div', 'pub-ticket-result');

    constructor() {
        this.el.id = 'ticket';
        this.el.setAttribute('aria-label', '查询申诉进度');
        const form = el('form', 'pub-form pub-form-inline');
        form.append(field('申诉编号', this.ticket, 'pub-grow'), this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.el.append(el('h2', undefined, '查询申诉进度'), form, this.notice.el, this.result);
    }

    /** After an objection was filed: its ticket is ready to follow. */
    set(ticket: string): void {
        this.ticket.value = ticket;
    }

    private async run(): Promise<void> {
        const ticket = this.ticket.value.trim();
        this.result.replaceChildren();
        if (!ticket) return this.notice.fail('请输入申诉编号');
        this.notice.busy('正在查询…');
        try {
            const o = await whileBusy([this.send], () => fetchTicket(ticket));
            this.notice.clear();
            const card = el('article', 'pub-record');
            card.dataset.ticket = o.ticket;
            const top = el('div', 'pub-ticket-top');
            top.append(el('strong', undefined, o.ticket), objectionChip(o.status), el('small', undefined, `提交于 ${fmtTime(o.created_at)}`));
            card.append(top, el('p', 'pub-objection-body', o.body));
            card.append(o.answer
                ? el('p', 'pub-answer', `答复（${fmtTime(o.answered_at)}）：${o.answer}`)
                : el('p', 'pub-hint', `当前状态：${OBJECTION_STATUS_ZH[o.status] ?? o.status}，正在办理，请耐心等待。`));
            this.result.append(card);
        } catch (err) {
            if (err instanceof ApiError && err.status === 404) return this.notice.fail('未找到该申诉编号，请核对后重试。');
            if (err instanceof ApiError && err.status === 429) return this.notice.fail('查询过于频繁，请稍后再试。');
            this.notice.fail('查询失败，请稍后再试。');
        }
    }
}
