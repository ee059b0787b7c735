// The 申诉 tab: residents' objections filtered by project and status, each with its reply deadline (overdue flagged), its answer or an answer form that asks to confirm.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime} from '../format';
import {OBJECTION_STATUS_ZH, chip, objectionChip} from '../labels';
import {zhText} from '../i18n';
import {el, keepDatesWhole} from '../ui/dom';
import {Notice, button, field, input, select, textarea, whileBusy} from '../ui/form';
import {answerObjection, fetchObjections, type Objection} from './api';

export class ObjectionsTab {
    readonly el = el('section', 'om-card dk-objections');
    private scope = select('scope', [{value: 'project', zh: zhText('desk.objections.this_project')}, {value: 'all', zh: zhText('desk.objections.all_projects')}]);
    private status = select('objection_status', [{value: '', zh: zhText('common.all')}, ...Object.entries(OBJECTION_STATUS_ZH).map(([value, zh]) => ({value, zh}))], 'open');
    private list = el('div', 'dk-objection-list');
    private count = el('small', 'om-card-note');
    private notice = new Notice();
    private project: string | null = null;
    private generation = 0;

    constructor(private user: User) {
        this.el.setAttribute('aria-label', zhText('desk.file.objections'));
        const head = el('header', 'om-card-head');
        const h2 = el('h2', undefined, zhText('desk.objections.title'));
        h2.append(this.count);
        head.append(h2);
        const filters = el('div', 'dk-search');
        filters.append(field(zhText('desk.objections.scope'), this.scope), field(zhText('list.column.status'), this.status));
        this.scope.addEventListener('change', () => void this.load());
        this.status.addEventListener('change', () => void this.load());
        this.el.append(head, filters, this.notice.el, this.list);
    }

    show(project: string): void {
        this.project = project;
        void this.load();
    }

    private async load(): Promise<void> {
        const generation = ++this.generation;
        this.notice.busy(zhText('desk.common.reading'));
        this.el.dataset.loading = 'true';
        try {
            const {objections: rows, reply_days: days} = await fetchObjections(this.scope.value === 'all' ? null : this.project, this.status.value);
            if (generation !== this.generation) return;
            this.notice.clear();
            const overdue = rows.filter(o => o.overdue).length;
            this.count.textContent = [zhText('desk.objections.total', {count: rows.length}), overdue ? zhText('desk.objections.overdue_count', {count: overdue}) : '',
                zhText('desk.objections.deadline_rule', {days})].filter(Boolean).join(' · ');
            this.list.replaceChildren(...rows.map(o => this.item(o)));
            if (rows.length === 0) this.list.append(el('p', 'om-empty', zhText('desk.objections.none')));
        } catch (err) {
            if (generation === this.generation) this.notice.fail(zhText('desk.objections.failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private item(o: Objection): HTMLElement {
        const card = el('article', 'dk-objection');
        card.dataset.ticket = o.ticket;
        card.dataset.status = o.status;
        card.dataset.overdue = String(o.overdue);
        const top = el('div', 'dk-objection-top');
        top.append(el('strong', undefined, o.ticket), objectionChip(o.status));
        if (o.overdue) top.append(chip(zhText('desk.objections.overdue', {due: o.due_on}), 'overdue', 'bad'));
        const when = el('small');
        when.append(...keepDatesWhole(o.status === 'open' && !o.overdue
            ? `${fmtTime(o.created_at)} · ${zhText('desk.objections.due', {due: o.due_on})}` : fmtTime(o.created_at)));
        top.append(el('span', undefined, [o.project_code, o.household_code, o.holder_name].filter(Boolean).join(' · ')), when);
        card.append(top, el('p', 'dk-objection-body', o.body));
        if (o.answer) {
            const a = el('p', 'dk-answer', zhText('desk.common.answer', {answer: o.answer}));
            const by = el('small');
            by.append(...keepDatesWhole(` —— ${o.answered_by ?? ''} ${fmtTime(o.answered_at)}`));
            a.append(by);
            card.append(a);
        }
        if (o.status !== 'closed' && (this.user.role === 'admin' || this.user.role === 'operator')) {
            const form = this.answerForm(o);
            if (o.answer) {
                // Answered already: the answer is shown above; changing it or closing is one click away.
                const more = el('details', 'dk-answer-more');
                more.append(el('summary', undefined, zhText('desk.objections.edit')), form);
                card.append(more);
            } else {
                card.append(form);
            }
        }
        return card;
    }

    private answerForm(o: Objection): HTMLElement {
        const form = el('form', 'dk-answer-form');
        form.setAttribute('aria-label', zhText('desk.objections.form', {ticket: o.ticket}));
        const text = textarea('answer', {required: true, placeholder: zhText('desk.objections.answer_placeholder'), value: o.answer ?? ''});
        const close = input('close', {type: 'checkbox'});
        const closeLabel = el('label', 'dk-check');
        closeLabel.append(close, ` ${zhText('desk.objections.close_after')}`);
        const send = button(o.answer ? zhText('desk.objections.update') : zhText('desk.objections.submit'), 'primary', 'submit');
        const notice = new Notice();
        const row = el('div', 'dk-form-row');
        row.append(closeLabel, send);
        form.append(field(zhText('desk.objections.answer'), text, 'dk-grow'), row, notice.el);
        // 提交 first asks to confirm (the answer goes to the resident); once sent, the card stays in the list as answered
        const confirmRow = el('div', 'dk-form-row dk-confirm');
        confirmRow.hidden = true;
        const yes = button(zhText('desk.objections.confirm'), 'primary');
        const back = button(zhText('desk.objections.back_to_edit'), 'quiet');
        confirmRow.append(el('span', 'dk-confirm-text', zhText('desk.objections.confirm_text')), yes, back);
        form.insertBefore(confirmRow, notice.el);
        const asking = (on: boolean) => { confirmRow.hidden = !on; row.hidden = on; text.readOnly = on; };
        form.addEventListener('submit', e => {
            e.preventDefault();
            if (!text.value.trim()) return notice.fail(zhText('desk.objections.answer_missing'));
            notice.clear();
            asking(true);
            yes.focus();
        });
        back.addEventListener('click', () => { asking(false); text.focus(); });
        yes.addEventListener('click', () => void (async () => {
            notice.busy(zhText('desk.common.submitting'));
            try {
                const done = await whileBusy([yes, back], () => answerObjection(o.id, text.value.trim(), close.checked));
                const answered: Objection = {...o, ...done, answered_by: this.user.username, overdue: false};
                const card = this.item(answered);
                card.dataset.justAnswered = 'true';
                const ok = new Notice();
                ok.ok(zhText(done.status === 'closed' ? 'desk.objections.closed_ok' : 'desk.objections.answered_ok', {ticket: o.ticket}));
                card.append(ok.el);
                form.closest('.dk-objection')?.replaceWith(card);
            } catch (err) {
                asking(false);
                notice.fail(refusal(err));
            }
        })());
        return form;
    }
}
