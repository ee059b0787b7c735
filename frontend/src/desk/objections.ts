// The 申诉 tab: residents' objections filtered by project and status, each with its answer or an answer form.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime} from '../format';
import {OBJECTION_STATUS_ZH, objectionChip} from '../labels';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
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
            const rows = await fetchObjections(this.scope.value === 'all' ? null : this.project, this.status.value);
            if (generation !== this.generation) return;
            this.notice.clear();
            this.count.textContent = zhText('desk.objections.total', {count: rows.length});
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
        const top = el('div', 'dk-objection-top');
        top.append(el('strong', undefined, o.ticket), objectionChip(o.status),
            el('span', undefined, [o.project_code, o.household_code, o.holder_name].filter(Boolean).join(' · ')),
            el('small', undefined, fmtTime(o.created_at)));
        card.append(top, el('p', 'dk-objection-body', o.body));
        if (o.answer) {
            const a = el('p', 'dk-answer', zhText('desk.common.answer', {answer: o.answer}));
            a.append(el('small', undefined, ` —— ${o.answered_by ?? ''} ${fmtTime(o.answered_at)}`));
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
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            if (!text.value.trim()) return notice.fail(zhText('desk.objections.answer_missing'));
            notice.busy(zhText('desk.common.submitting'));
            try {
                await whileBusy([send], () => answerObjection(o.id, text.value.trim(), close.checked));
                await this.load();
            } catch (err) {
                notice.fail(refusal(err));
            }
        })());
        return form;
    }
}
