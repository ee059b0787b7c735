// One petition's page on the 信访 tab: what was asked and by whom, its deadlines (受理 and 办理, by the periods it was registered under), replies, and the forms of its next step: accept or not, assign, reply, link to the matter it repeats.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime} from '../format';
import {PETITION_CHANNEL_ZH, chip, petitionChip, timelinessChip} from '../labels';
import {zhText, type MessageKey} from '../i18n';
import {el, keepDatesWhole} from '../ui/dom';
import {Notice, button, field, input, select, textarea, whileBusy} from '../ui/form';
import {assignPetition, decidePetition, fetchPetition, linkPetition, replyPetition, type Brief, type Petition} from './petitions-api';
import {go} from './route';

const period = (n: number, unit: string) => zhText(unit === 'working_days' ? 'desk.petitions.working_days' : 'desk.petitions.days', {n});

export class PetitionPage {
    readonly el = el('article', 'dk-petition-page');
    private generation = 0;

    constructor(private user: User) {}

    show(id: number): void {
        const generation = ++this.generation;
        const notice = new Notice();
        notice.busy(zhText('desk.common.reading'));
        this.el.replaceChildren(this.back(), notice.el);
        fetchPetition(id).then(p => { if (generation === this.generation) this.draw(p); })
            .catch(err => { if (generation === this.generation) notice.fail(zhText('desk.petitions.failed', {reason: refusal(err)})); });
    }

    private back(): HTMLElement {
        const b = button(zhText('desk.petitions.back'), 'quiet');
        b.addEventListener('click', () => go({tab: 'petitions', household: null}));
        return b;
    }

    private draw(p: Petition): void {
        this.el.dataset.id = String(p.id);
        this.el.dataset.status = p.status;
        const head = el('header', 'dk-objection-top');
        head.append(el('h2', undefined, zhText('desk.petitions.page_title', {ticket: p.ticket})),
            chip(PETITION_CHANNEL_ZH[p.channel] ?? p.channel, p.channel), petitionChip(p.status), timelinessChip(p.timeliness));
        const facts = el('dl', 'dk-petition-facts');
        const fact = (k: MessageKey, v: string | null | undefined) => {
            const pair = el('div');
            pair.append(el('dt', undefined, zhText(k)), el('dd', undefined, v || '—'));
            facts.append(pair);
        };
        fact('desk.common.project', `${p.project_name}（${p.project_code}）`);
        fact('desk.petitions.household', p.household_code);
        fact('desk.petitions.category', p.category ?? zhText('desk.petitions.unclassified'));
        fact('desk.petitions.petitioner', p.petitioner_name);
        fact('desk.petitions.id_number', p.petitioner_id_number);
        fact('desk.petitions.phone', p.petitioner_phone);
        fact('desk.petitions.received_at', fmtTime(p.received_at));
        fact('desk.petitions.owner', p.group_name ?? p.office);
        fact('desk.petitions.registered_by', p.registered_by ?? (p.objection_id ? zhText('desk.petitions.by_form') : null));
        this.el.replaceChildren(this.back(), head, facts, el('h3', undefined, zhText('desk.petitions.body')), el('p', 'dk-objection-body', p.body), this.deadlines(p));
        if (p.reject_reason) this.el.append(el('p', 'dk-answer', zhText('desk.petitions.rejected', {reason: p.reject_reason})));
        if (p.replies.length) {
            const list = el('ol', 'dk-petition-replies');
            for (const r of p.replies) {
                const li = el('li', undefined, r.body);
                const by = el('small');
                by.append(...keepDatesWhole(` —— ${r.by ?? ''} ${fmtTime(r.at)}${r.final ? ` · ${zhText('desk.petitions.final')}` : ''}`));
                li.append(by);
                list.append(li);
            }
            this.el.append(el('h3', undefined, zhText('desk.petitions.replies')), list);
        }
        const writer = this.user.role === 'admin' || this.user.role === 'operator';
        if (writer && p.status === 'registered') this.el.append(this.decideForm(p));
        if (writer && p.status === 'accepted') this.el.append(this.replyForm(p));
        if (writer && (p.status === 'registered' || p.status === 'accepted')) this.el.append(this.assignForm(p));
        this.el.append(this.links(p, writer));
    }

    private deadlines(p: Petition): HTMLElement {
        const box = el('div', 'dk-petition-deadlines');
        const step = (title: string, rule: string, due: string | null, done: string | null) => {
            const s = el('section', 'dk-deadline');
            s.append(el('h3', undefined, title), el('p', 'dk-deadline-rule', rule));
            const line = el('p');
            line.append(...keepDatesWhole(due ? zhText('desk.petitions.due_on', {due}) : zhText('desk.petitions.after_acceptance')));
            s.append(line);
            if (done) s.append(el('p', 'dk-deadline-done', zhText('desk.petitions.done_on', {day: done})));
            s.dataset.late = String(Boolean(due && (done ? done > due : p.overdue)));
            return s;
        };
        box.append(
            step(zhText('desk.petitions.accept_step'), period(p.periods.accept_n, p.periods.accept_unit), p.accept_due, p.decided_on),
            step(zhText('desk.petitions.handle_step'), period(p.periods.handle_n, p.periods.handle_unit), p.handle_due, p.replied_on));
        return box;
    }

    /** A form that posts, then redraws the page from the answer (or says why not). */
    private form(label: string, controls: HTMLElement[], send: HTMLButtonElement, act: () => Promise<Petition> | null): HTMLFormElement {
        const form = el('form', 'dk-petition-form');
        form.setAttribute('aria-label', label);
        const notice = new Notice();
        form.append(el('h3', undefined, label), ...controls, send, notice.el);
        form.addEventListener('submit', e => {
            e.preventDefault();
            const work = act();
            if (!work) return;
            notice.busy(zhText('desk.common.submitting'));
            whileBusy([send], () => work).then(p => this.draw(p)).catch(err => notice.fail(refusal(err)));
        });
        return form;
    }

    private decideForm(p: Petition): HTMLElement {
        const decision = select('decision', [{value: 'accept', zh: zhText('desk.petitions.accept')}, {value: 'reject', zh: zhText('desk.petitions.reject')}]);
        const category = select('category_id', [{value: '', zh: zhText('desk.petitions.unclassified')}, ...p.categories.map(c => ({value: String(c.id), zh: c.name}))],
            p.category_id ? String(p.category_id) : '');
        const reason = textarea('reason', {rows: 2, maxLength: 1000, placeholder: zhText('desk.petitions.reason_hint')});
        const reasonField = field(zhText('desk.petitions.reason'), reason, 'dk-grow');
        reasonField.hidden = true;
        decision.addEventListener('change', () => { reasonField.hidden = decision.value !== 'reject'; });
        return this.form(zhText('desk.petitions.decide'), [field(zhText('desk.petitions.decision'), decision), field(zhText('desk.petitions.category'), category), reasonField],
            button(zhText('desk.petitions.decide_submit'), 'primary', 'submit'),
            () => decidePetition(p.id, {accept: decision.value === 'accept', reason: decision.value === 'reject' ? reason.value : undefined,
                category_id: category.value ? Number(category.value) : undefined}));
    }

    private replyForm(p: Petition): HTMLElement {
        const text = textarea('reply', {required: true, rows: 4, maxLength: 4000, placeholder: zhText('desk.petitions.reply_hint')});
        const final = input('final', {type: 'checkbox', checked: true});
        const finalLabel = el('label', 'dk-check');
        finalLabel.append(final, ` ${zhText('desk.petitions.final_hint')}`);
        return this.form(zhText('desk.petitions.reply'), [field(zhText('desk.objections.answer'), text, 'dk-grow'), finalLabel],
            button(zhText('desk.petitions.reply_submit'), 'primary', 'submit'), () => replyPetition(p.id, text.value, final.checked));
    }

    private assignForm(p: Petition): HTMLElement {
        const owners = [...p.groups.map(g => ({value: `g${g.id}`, zh: g.name})), ...p.offices.map(o => ({value: `o${o}`, zh: o}))];
        const owner = select('owner', owners, p.group_id ? `g${p.group_id}` : p.office ? `o${p.office}` : '');
        return this.form(zhText('desk.petitions.assign'), [field(zhText('desk.petitions.owner'), owner)], button(zhText('desk.petitions.assign_submit'), 'quiet', 'submit'),
            () => owner.value ? assignPetition(p.id, owner.value.startsWith('g') ? {group_id: Number(owner.value.slice(1))} : {office: owner.value.slice(1)}) : null);
    }

    private links(p: Petition, writer: boolean): HTMLElement {
        const box = el('section', 'dk-petition-links');
        const item = (b: Brief, action: HTMLElement | null) => {
            const li = el('li');
            li.dataset.id = String(b.id);
            const a = el('a', undefined, b.ticket);
            a.href = `#petitions/${encodeURIComponent(p.project_code)}/${b.id}`;
            li.append(a, ` ${b.received_on} · ${PETITION_CHANNEL_ZH[b.channel] ?? b.channel} · ${b.body}`);
            if (action) li.append(action);
            return li;
        };
        const notice = new Notice();
        const act = (b: HTMLButtonElement, target: number | null) => b.addEventListener('click', () => {
            notice.busy(zhText('desk.common.submitting'));
            whileBusy([b], () => linkPetition(p.id, target)).then(n => this.draw(n)).catch(err => notice.fail(refusal(err)));
        });
        box.append(el('h3', undefined, zhText('desk.petitions.linked')));
        const linked = el('ul');
        for (const b of p.linked) linked.append(item(b, null));
        if (p.linked.length === 0) linked.append(el('li', 'om-empty', zhText('desk.petitions.no_links')));
        box.append(linked);
        if (writer && p.repeat_of) {
            const unlink = button(zhText('desk.petitions.unlink'), 'quiet');
            act(unlink, null);
            box.append(unlink);
        }
        if (p.suggested_links.length) {
            box.append(el('h3', undefined, zhText('desk.petitions.suggested')));
            const list = el('ul', 'dk-petition-suggested');
            for (const b of p.suggested_links) {
                const confirm = writer ? button(zhText('desk.petitions.link'), 'quiet') : null;
                if (confirm) act(confirm, b.id);
                list.append(item(b, confirm));
            }
            box.append(list);
        }
        box.append(notice.el);
        return box;
    }
}
