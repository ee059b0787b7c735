// The 疑难个案 tab: the case board (filters, overdue in red, a form to open a case) and a case's page (its timeline, conferences, the 研判 and close forms).
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime} from '../format';
import {chip} from '../labels';
import {inLang, zhText} from '../i18n';
import {el, keepDatesWhole} from '../ui/dom';
import {Notice, button, field, input, select, textarea, whileBusy} from '../ui/form';
import {closeCase, confer, fetchBoard, fetchCase, fetchCategories, openCase, type CaseDetail, type CaseRow, type Category} from './cases-api';
import {go} from './route';

const OUTCOMES = ['signed', 'decision', 'litigation', 'withdrawn'] as const;
const zhOf = (group: string, value: string) => inLang('zh', `${group}.${value}`);
const list = (text: string) => text.split(/[,，、\s]+/).map(s => s.trim()).filter(Boolean);

/** A case's level chip: red once it left the group (指挥部, 挂点领导). */
export const levelChip = (level: string) => chip(zhOf('case.level', level), level, level === 'group' ? 'wait' : 'bad');

export class CasesTab {
    readonly el = el('section', 'om-card dk-cases');
    private scope = select('scope', [{value: 'project', zh: zhText('desk.objections.this_project')}, {value: 'all', zh: zhText('desk.objections.all_projects')}]);
    private state = select('case_state', ['open', 'closed', 'all'].map(v => ({value: v, zh: zhText(`desk.cases.state.${v}` as 'desk.cases.state.open')})), 'open');
    private overdue = select('overdue', [{value: '', zh: zhText('common.all')}, {value: 'true', zh: zhText('desk.cases.overdue_only')}]);
    private category = select('category', [{value: '', zh: zhText('common.all')}]);
    private board = el('div', 'dk-case-board');
    private page = el('div', 'dk-case-page');
    private count = el('small', 'om-card-note');
    private notice = new Notice();
    private categories: Category[] = [];
    private project: string | null = null;
    private generation = 0;

    constructor(private user: User) {
        this.el.setAttribute('aria-label', zhText('desk.cases.tab'));
        const head = el('header', 'om-card-head');
        const h2 = el('h2', undefined, zhText('desk.cases.title'));
        h2.append(this.count);
        head.append(h2);
        const filters = el('div', 'dk-search');
        filters.append(field(zhText('desk.objections.scope'), this.scope), field(zhText('list.column.status'), this.state),
            field(zhText('desk.cases.deadline'), this.overdue), field(zhText('desk.cases.category'), this.category));
        for (const s of [this.scope, this.state, this.overdue, this.category]) s.addEventListener('change', () => void this.load());
        const writer = user.role === 'admin' || user.role === 'operator';
        this.el.append(head, filters, ...(writer ? [this.openForm()] : []), this.notice.el, this.board, this.page);
    }

    show(project: string, id: number | null): void {
        this.project = project;
        this.board.hidden = id !== null;
        this.page.hidden = id === null;
        if (id === null) void this.load();
        else void this.showCase(id);
    }

    private async ensureCategories(): Promise<void> {
        if (this.categories.length) return;
        this.categories = await fetchCategories();
        for (const c of this.categories) this.category.append(new Option(c.name, c.key));
        for (const s of this.el.querySelectorAll<HTMLSelectElement>('select[name="new_category"]')) for (const c of this.categories) s.append(new Option(c.name, c.key));
    }

    private async load(): Promise<void> {
        const generation = ++this.generation;
        this.notice.busy(zhText('desk.common.reading'));
        this.el.dataset.loading = 'true';
        try {
            await this.ensureCategories();
            const board = await fetchBoard({project: this.scope.value === 'all' ? null : this.project, state: this.state.value,
                overdue: this.overdue.value, category: this.category.value});
            if (generation !== this.generation) return;
            this.notice.clear();
            const overdue = board.cases.filter(c => c.overdue).length;
            this.count.textContent = [zhText('desk.cases.total', {count: board.total}), overdue ? zhText('desk.cases.overdue_count', {count: overdue}) : '']
                .filter(Boolean).join(' · ');
            this.board.replaceChildren(...board.cases.map(c => this.row(c)));
            if (board.cases.length === 0) this.board.append(el('p', 'om-empty', zhText('desk.cases.none')));
        } catch (err) {
            if (generation === this.generation) this.notice.fail(zhText('desk.cases.failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private row(c: CaseRow): HTMLElement {
        const card = el('article', 'dk-case');
        card.dataset.case = String(c.id);
        card.dataset.overdue = String(c.overdue);
        const top = el('div', 'dk-objection-top');
        const open = el('button', 'om-link dk-case-open', zhText('desk.cases.case_no', {id: c.id}));
        open.type = 'button';
        open.addEventListener('click', () => go({household: c.id}));
        top.append(open, chip(c.category_name, c.category), c.state === 'open' ? levelChip(c.level) : chip(zhOf('case.outcome', c.outcome ?? ''), c.outcome ?? '', 'done'));
        if (c.overdue) top.append(chip(zhText('desk.cases.overdue'), 'overdue', 'bad'));
        top.append(el('span', undefined, [c.project.code, c.household.code, c.household.holder_name, c.group?.name].filter(Boolean).join(' · ')));
        const when = el('small');
        when.append(...keepDatesWhole(c.state === 'open'
            ? zhText('desk.cases.opened_due', {opened: fmtTime(c.opened_at), due: fmtTime(c.due_at)})
            : zhText('desk.cases.closed_at', {at: fmtTime(c.closed_at)})));
        top.append(when);
        card.append(top);
        return card;
    }

    private openForm(): HTMLElement {
        const form = el('form', 'dk-case-new');
        form.setAttribute('aria-label', zhText('desk.cases.new'));
        const household = input('household', {required: true, placeholder: zhText('desk.cases.household_placeholder')});
        const category = select('new_category', []);
        const note = input('note', {placeholder: zhText('desk.cases.note_placeholder')});
        const send = button(zhText('desk.cases.open'), 'primary', 'submit');
        const notice = new Notice();
        const row = el('div', 'dk-form-row');
        row.append(field(zhText('desk.cases.household'), household), field(zhText('desk.cases.category'), category), field(zhText('desk.cases.note'), note, 'dk-grow'), send);
        form.append(row, notice.el);
        form.addEventListener('submit', e => {
            e.preventDefault();
            void (async () => {
                notice.busy(zhText('desk.common.submitting'));
                try {
                    const made = await whileBusy([send], () => openCase({household: household.value.trim(), category: category.value, note: note.value.trim()}));
                    notice.clear();
                    form.reset();
                    go({household: made.id});
                } catch (err) {
                    notice.fail(refusal(err));
                }
            })();
        });
        return form;
    }

    private async showCase(id: number): Promise<void> {
        const generation = ++this.generation;
        this.notice.busy(zhText('desk.common.reading'));
        try {
            const c = await fetchCase(id);
            if (generation !== this.generation) return;
            this.notice.clear();
            this.drawCase(c);
        } catch (err) {
            if (generation === this.generation) this.notice.fail(zhText('desk.cases.failed', {reason: refusal(err)}));
        }
    }

    private drawCase(c: CaseDetail): void {
        const back = el('button', 'om-link', zhText('desk.cases.back'));
        back.type = 'button';
        back.addEventListener('click', () => go({household: null}));
        const head = el('div', 'dk-objection-top');
        head.append(el('strong', undefined, zhText('desk.cases.case_no', {id: c.id})), chip(c.category_name, c.category),
            c.state === 'open' ? levelChip(c.level) : chip(zhOf('case.outcome', c.outcome ?? ''), c.outcome ?? '', 'done'));
        if (c.overdue) head.append(chip(zhText('desk.cases.overdue'), 'overdue', 'bad'));
        const facts = el('dl', 'dk-case-facts');
        const fact = (k: string, v: string) => facts.append(el('dt', undefined, k), el('dd', undefined, v));
        fact(zhText('desk.cases.household'), [c.project.name, c.household.code, c.household.holder_name].filter(Boolean).join(' · '));
        fact(zhText('desk.cases.group'), c.group?.name ?? '—');
        fact(zhText('desk.cases.opened'), `${fmtTime(c.opened_at)} ${c.opened_by ?? ''}`.trim());
        fact(zhText('desk.cases.due'), fmtTime(c.due_at));
        if (c.state === 'open') fact(zhText('desk.cases.level_due'), `${zhOf('case.level', c.level)} · ${fmtTime(c.level_due_at)}`);
        if (c.note) fact(zhText('desk.cases.note'), c.note);
        if (c.close_note) fact(zhText('desk.cases.close_note'), c.close_note);
        const timeline = el('ol', 'dk-case-timeline');
        timeline.setAttribute('aria-label', zhText('desk.cases.timeline'));
        for (const e of c.events) {
            const item = el('li');
            item.dataset.kind = e.kind;
            const what = e.kind === 'escalated' ? zhText('desk.cases.escalated_to', {level: zhOf('case.level', e.body.to ?? '')})
                : e.kind === 'closed' ? zhText('desk.cases.closed_with', {outcome: zhOf('case.outcome', e.body.outcome ?? '')})
                : e.kind === 'conference' ? zhText('desk.cases.conference_decided', {decision: e.body.decision ?? ''})
                : zhOf('case.event', e.kind);
            item.append(el('time', undefined, fmtTime(e.at)), el('span', undefined, what), el('small', undefined, e.user ?? zhText('desk.cases.system')));
            timeline.append(item);
        }
        const conferences = el('div', 'dk-case-conferences');
        for (const k of c.conferences) {
            const card = el('article', 'dk-answer');
            card.append(el('strong', undefined, `${zhText('desk.cases.conference')} ${fmtTime(k.held_at)}`),
                el('p', undefined, zhText('desk.cases.people', {people: [...k.participants, ...(k.outside_attendees ?? [])].join('、') || '—'})),
                el('p', undefined, zhText('desk.cases.positions_are', {text: k.positions || '—'})),
                el('p', undefined, zhText('desk.cases.decision_is', {text: k.decision})),
                el('p', undefined, zhText('desk.cases.next_is', {text: k.next_action || '—'})));
            conferences.append(card);
        }
        const writer = (this.user.role === 'admin' || this.user.role === 'operator') && c.state === 'open';
        this.page.replaceChildren(back, head, facts, el('h3', undefined, zhText('desk.cases.timeline')), timeline,
            el('h3', undefined, zhText('desk.cases.conferences')), conferences, ...(writer ? [this.conferForm(c), this.closeForm(c)] : []));
        this.page.dataset.case = String(c.id);
        this.page.dataset.state = c.state;
    }

    private conferForm(c: CaseDetail): HTMLElement {
        const form = el('form', 'dk-case-form');
        form.setAttribute('aria-label', zhText('desk.cases.confer'));
        const participants = input('participants', {placeholder: zhText('desk.cases.participants_placeholder'), value: this.user.username});
        const outside = input('outside_attendees', {placeholder: zhText('desk.cases.outside_placeholder')});
        const positions = textarea('positions', {rows: 2});
        const decision = textarea('decision', {rows: 2, required: true});
        const next = input('next_action');
        const send = button(zhText('desk.cases.confer_submit'), 'primary', 'submit');
        const notice = new Notice();
        form.append(el('h3', undefined, zhText('desk.cases.confer')), field(zhText('desk.cases.participants'), participants), field(zhText('desk.cases.outside'), outside),
            field(zhText('desk.cases.positions'), positions), field(zhText('desk.cases.decision'), decision), field(zhText('desk.cases.next_action'), next), send, notice.el);
        form.addEventListener('submit', e => {
            e.preventDefault();
            void this.submit(notice, send, () => confer(c.id, {participants: list(participants.value), outside_attendees: list(outside.value),
                positions: positions.value.trim(), decision: decision.value.trim(), next_action: next.value.trim()}));
        });
        return form;
    }

    private closeForm(c: CaseDetail): HTMLElement {
        const form = el('form', 'dk-case-form');
        form.setAttribute('aria-label', zhText('desk.cases.close'));
        const outcome = select('outcome', OUTCOMES.map(o => ({value: o, zh: zhOf('case.outcome', o)})));
        const note = input('close_note');
        const send = button(zhText('desk.cases.close_submit'), 'danger', 'submit');
        const notice = new Notice();
        form.append(el('h3', undefined, zhText('desk.cases.close')), field(zhText('desk.cases.outcome'), outcome), field(zhText('desk.cases.close_note'), note, 'dk-grow'),
            el('small', 'om-card-note', zhText('desk.cases.close_hint')), send, notice.el);
        form.addEventListener('submit', e => {
            e.preventDefault();
            void this.submit(notice, send, () => closeCase(c.id, {outcome: outcome.value, note: note.value.trim()}));
        });
        return form;
    }

    private async submit(notice: Notice, send: HTMLButtonElement, write: () => Promise<CaseDetail>): Promise<void> {
        notice.busy(zhText('desk.common.submitting'));
        try {
            this.drawCase(await whileBusy([send], write));
        } catch (err) {
            notice.fail(refusal(err));
        }
    }
}
