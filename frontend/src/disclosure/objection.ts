// Residents' objections (申诉): the form that returns a ticket number, and the box that follows a ticket's progress.
import {ApiError} from '../api/client';
import {fmtTime} from '../format';
import {OBJECTION_STATUS_ZH, objectionChip} from '../labels';
import {zhText} from '../i18n';
import {el, keepDatesWhole} from '../ui/dom';
import {Notice, button, field, input, textarea, whileBusy} from '../ui/form';
import {fetchTicket, fileObjection} from './api';
import {idProblem, normaliseId} from './id-number';
import {publicRefusal, type Resident} from './lookup';

export class ObjectionBox {
    readonly el = el('section', 'pub-card pub-objection');
    private name = input('objection_name', {autocomplete: 'name', required: true, maxLength: 30});
    private idNumber = input('objection_id_number', {autocomplete: 'off', required: true, maxLength: 20});
    private household = input('household_code', {required: true, maxLength: 40, placeholder: zhText('public.objection.household_placeholder')});
    private body = textarea('objection_body', {required: true, maxLength: 2000, rows: 4, placeholder: zhText('public.objection.body_placeholder')});
    private send = button(zhText('public.objection.submit'), 'primary', 'submit');
    private notice = new Notice();

    constructor(private onTicket: (ticket: string) => void) {
        this.el.id = 'objection';
        this.el.setAttribute('aria-label', zhText('public.objection.title'));
        const form = el('form', 'pub-form');
        form.append(field(zhText('public.lookup.name'), this.name), field(zhText('list.column.id_number'), this.idNumber), field(zhText('public.objection.household'), this.household),
            field(zhText('public.objection.body'), this.body, 'pub-wide'), this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.el.append(el('h2', undefined, zhText('public.objection.title')), el('p', 'pub-hint', zhText('public.objection.hint')),
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
        if (!this.name.value.trim()) return this.notice.fail(zhText('public.lookup.name_missing'));
        const problem = idProblem(id);
        if (problem) return this.notice.fail(problem);
        if (!this.household.value.trim()) return this.notice.fail(zhText('public.objection.household_missing'));
        if (!this.body.value.trim()) return this.notice.fail(zhText('public.objection.body_missing'));
        this.notice.busy(zhText('public.objection.submitting'));
        try {
            const r = await whileBusy([this.send], () => fileObjection({
                name: this.name.value.trim(), id_number: id, household_code: this.household.value.trim(), body: this.body.value.trim(),
            }));
            this.body.value = '';
            this.notice.ok(zhText('public.objection.filed', {ticket: r.ticket}));
            this.el.dataset.ticket = r.ticket;
            this.onTicket(r.ticket);
        } catch (err) {
            this.notice.fail(publicRefusal(err, zhText('public.objection.mismatch')));
        }
    }
}

export class TicketBox {
    readonly el = el('section', 'pub-card pub-ticket');
    private ticket = input('ticket', {required: true, maxLength: 40, placeholder: zhText('public.objection.ticket'), autocomplete: 'off', autocapitalize: 'characters', spellcheck: false});
    private send = button(zhText('public.objection.track'), 'primary', 'submit');
    private notice = new Notice();
    private result = el('div', 'pub-ticket-result');

    constructor() {
        this.el.id = 'ticket';
        this.el.setAttribute('aria-label', zhText('public.objection.track_title'));
        const form = el('form', 'pub-form pub-form-inline');
        form.append(field(zhText('public.objection.ticket'), this.ticket, 'pub-grow'), this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.el.append(el('h2', undefined, zhText('public.objection.track_title')), form, this.notice.el, this.result);
    }

    /** After an objection was filed: its ticket is ready to follow. */
    set(ticket: string): void {
        this.ticket.value = ticket;
    }

    private async run(): Promise<void> {
        // typed in any case, perhaps in groups: the server ignores case, spaces and dashes too
        const ticket = this.ticket.value.replace(/[\s-]+/g, '').toUpperCase();
        this.result.replaceChildren();
        if (!ticket) return this.notice.fail(zhText('public.objection.ticket_missing'));
        this.notice.busy(zhText('public.lookup.busy'));
        try {
            const o = await whileBusy([this.send], () => fetchTicket(ticket));
            this.notice.clear();
            const card = el('article', 'pub-record');
            card.dataset.ticket = o.ticket;
            const top = el('div', 'pub-ticket-top');
            const filed = el('small');
            filed.append(...keepDatesWhole(zhText('public.objection.filed_at', {at: fmtTime(o.created_at)})));
            top.append(el('strong', undefined, o.ticket), objectionChip(o.status), filed);
            card.append(top, el('p', 'pub-objection-body', o.body));
            // the petition's step and its due day, then every reply in order (the last is the answer)
            const step = o.petition_status === 'registered' ? zhText('public.ticket.accept_due', {due: o.accept_due})
                : o.petition_status === 'accepted' && o.handle_due ? zhText('public.ticket.handle_due', {due: o.handle_due}) : null;
            if (step) {
                const line = el('p', 'pub-hint pub-ticket-step');
                line.append(...keepDatesWhole(step));
                card.append(line);
            }
            if (o.reject_reason) card.append(el('p', 'pub-answer', zhText('public.ticket.rejected', {reason: o.reject_reason})));
            for (const r of o.replies) {
                const reply = el('p', 'pub-answer', zhText('public.objection.answer', {at: fmtTime(r.at), answer: r.body}));
                reply.dataset.final = String(r.final);
                card.append(reply);
            }
            if (!o.replies.length && !o.reject_reason) {
                card.append(el('p', 'pub-hint', zhText('public.objection.pending', {status: OBJECTION_STATUS_ZH[o.status] ?? o.status})));
            }
            this.result.append(card);
        } catch (err) {
            if (err instanceof ApiError && err.status === 404) return this.notice.fail(zhText('public.objection.ticket_unknown'));
            if (err instanceof ApiError && err.status === 429) return this.notice.fail(zhText('public.objection.too_many'));
            this.notice.fail(zhText('public.lookup.failed'));
        }
    }
}
