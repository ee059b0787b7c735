// One step of the 程序台账: its state chip, dates, legal basis, person responsible and documents, and the actions a clerk or admin may take on it, each in a panel that asks to confirm.
import {appUrl, refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtBytes} from '../format';
import {chip} from '../labels';
import {zhText, type MessageKey} from '../i18n';
import {el, keepDatesWhole} from '../ui/dom';
import {Notice, button, field, input, link, select, textarea, whileBusy} from '../ui/form';
import {MAX_ATTACHMENT_BYTES} from './attachments';
import {changeStep, documentPath, setDocumentPublic, uploadStepDocument, type Ledger, type Person, type ShownState, type Step, type StepChange} from './procedure-api';

/** What every step card needs of the tab: who works, in which project, and what to do with a new ledger. */
export type StepContext = {
    user: User;
    code: string;
    today: string;
    people: Person[];
    /** A step's name by key, for its prerequisites. */
    names: Map<string, string>;
    /** The keys of the steps done or waived. */
    finished: Set<string>;
    /** Called with the ledger after a write, and the sentence that says what was done. */
    changed: (ledger: Ledger | null, done: string) => void;
};

const TONE: Record<ShownState, 'done' | 'wait' | 'bad' | 'neutral'> = {
    not_started: 'neutral', in_progress: 'wait', done: 'done', waived: 'neutral', overdue: 'bad', open: 'wait', closed: 'done',
};

/** The chip of a step's shown state; a window's states read as a window's. */
export function stateChip(s: Step): HTMLElement {
    const key = (s.is_window ? `desk.procedure.window.${s.shown_state}` : `desk.procedure.state.${s.shown_state}`) as MessageKey;
    return chip(zhText(key), s.shown_state, TONE[s.shown_state]);
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** "30日", "10个工作日", "6个月": a legal period as the law words it. */
function period(n: number, unit: Step['period_unit']): string {
    return zhText(`desk.procedure.unit.${unit}` as MessageKey, {n});
}

export class StepCard {
    readonly el = el('article', 'dk-step');
    private panel = el('div', 'dk-step-panel');

    constructor(private step: Step, private ctx: StepContext) {
        const s = step;
        this.el.dataset.key = s.key;
        this.el.dataset.state = s.shown_state;
        const head = el('div', 'dk-step-head');
        const name = el('strong', 'dk-step-name', `${s.seq}. ${s.name}`);
        name.title = s.legal_basis;
        head.append(name, stateChip(s));
        if (s.shown_state === 'overdue' && s.due_on) head.append(el('span', 'dk-step-late', zhText('desk.procedure.late_by', {days: days(s.due_on, ctx.today)})));
        if (s.published) head.append(chip(zhText('desk.procedure.published'), 'published', 'neutral'));
        if (s.opens) head.append(chip(zhText(`desk.procedure.opens.${s.opens}` as MessageKey), `opens-${s.opens}`, 'neutral'));
        this.el.append(head, this.dates(), this.facts());
        const basis = el('details', 'dk-step-basis');
        basis.append(el('summary', undefined, zhText('desk.procedure.basis')), el('p', undefined, s.legal_basis));
        this.el.append(basis, this.documents());
        const actions = this.actions();
        if (actions.childElementCount) this.el.append(actions);
        this.el.append(this.panel);
    }

    /** Planned, actual and legal days in one line each: what a clerk compares at a glance. */
    private dates(): HTMLElement {
        const s = this.step;
        const dl = el('dl', 'dk-step-dates');
        const row = (label: string, text: string, cls = '') => {
            const dd = el('dd', cls);
            dd.append(...keepDatesWhole(text));
            dl.append(el('dt', undefined, label), dd);
        };
        const span = (a: string | null, b: string | null) => (a || b ? `${a ?? '—'} → ${b ?? '—'}` : '—');
        if (s.is_window) {
            row(zhText('desk.procedure.window_from'), s.clock_start ?? zhText('desk.procedure.window_waits', {step: this.ctx.names.get(s.clock_from ?? '') ?? ''}));
            row(zhText('desk.procedure.window_until'), s.legal_due ?? '—', s.shown_state === 'open' ? 'dk-due' : '');
        } else {
            row(zhText('desk.procedure.planned'), span(s.planned_start, s.planned_end));
            row(zhText('desk.procedure.actual'), span(s.actual_start, s.actual_end));
            if (s.due_on) row(zhText('desk.procedure.due'), s.due_on, s.shown_state === 'overdue' ? 'dk-due dk-late' : 'dk-due');
            if (s.min_period) row(zhText('desk.procedure.earliest'), s.earliest_end ?? zhText('desk.procedure.min_period', {period: period(s.min_period, s.period_unit)}));
        }
        if (s.max_period && !s.is_window) row(zhText('desk.procedure.max'), period(s.max_period, s.period_unit));
        return dl;
    }

    /** Who is responsible, what must come first, the note or the waiver's reason. */
    private facts(): HTMLElement {
        const s = this.step;
        const p = el('p', 'dk-step-facts');
        p.append(el('span', 'dk-step-who', zhText('desk.procedure.responsible', {who: s.responsible?.username ?? zhText('desk.procedure.nobody')})));
        if (s.prerequisites.length) {
            p.append(el('span', 'dk-step-after', zhText('desk.procedure.after', {steps: s.prerequisites.map(k => this.ctx.names.get(k) ?? k).join('、')})));
        }
        if (s.waive_reason) p.append(el('span', 'dk-step-reason', zhText('desk.procedure.waived_because', {reason: s.waive_reason})));
        if (s.note) p.append(el('span', 'dk-step-note', zhText('desk.procedure.note_is', {note: s.note})));
        return p;
    }

    private get writer(): boolean { return this.ctx.user.role === 'admin' || this.ctx.user.role === 'operator'; }
    private get admin(): boolean { return this.ctx.user.role === 'admin'; }

    private documents(): HTMLElement {
        const list = el('ul', 'dk-step-docs');
        for (const d of this.step.documents) {
            const li = el('li');
            li.dataset.document = String(d.id);
            const a = link(d.file_name, appUrl(documentPath(d.id)));
            a.download = d.file_name;
            li.append(a, el('small', undefined, fmtBytes(d.size_bytes)));
            li.append(chip(zhText(d.public ? 'desk.procedure.doc_public' : 'desk.procedure.doc_internal'), d.public ? 'public' : 'internal', d.public ? 'done' : 'neutral'));
            if (this.writer) {
                const toggle = button(zhText(d.public ? 'desk.procedure.unpublish' : 'desk.procedure.publish'), 'quiet');
                toggle.classList.add('dk-step-toggle');
                toggle.addEventListener('click', () => void (async () => {
                    try {
                        await whileBusy([toggle], () => setDocumentPublic(d.id, !d.public));
                        this.ctx.changed(null, zhText(d.public ? 'desk.procedure.unpublished_ok' : 'desk.procedure.published_ok', {name: d.file_name}));
                    } catch (err) {
                        this.ctx.changed(null, refusal(err));
                    }
                })());
                li.append(toggle);
            }
            list.append(li);
        }
        return list;
    }

    /** The buttons of the moves this user may make now; each opens its panel. */
    private actions(): HTMLElement {
        const s = this.step;
        const bar = el('div', 'dk-step-actions');
        if (!this.writer) return bar;
        const add = (label: MessageKey, action: string, open: () => void, kind: 'primary' | 'quiet' = 'quiet') => {
            const b = button(zhText(label), kind);
            b.dataset.action = action;
            b.addEventListener('click', open);
            bar.append(b);
        };
        if (!s.is_window) {
            if (s.state === 'not_started') {
                // still offered when a prerequisite is open: the server's refusal names which
                const waiting = s.prerequisites.filter(k => !this.ctx.finished.has(k)).map(k => this.ctx.names.get(k) ?? k);
                add('desk.procedure.start', 'start', () => this.openStart(), waiting.length ? 'quiet' : 'primary');
                if (waiting.length) {
                    const b = bar.lastElementChild as HTMLButtonElement;
                    b.dataset.blocked = 'true';
                    b.title = zhText('desk.procedure.waiting_for', {steps: waiting.join('、')});
                }
            }
            if (s.state === 'in_progress') add('desk.procedure.finish', 'finish', () => this.openFinish(), 'primary');
            if (this.admin && s.state !== 'waived') add('desk.procedure.waive', 'waive', () => this.openReason('waive'));
            if (this.admin && (s.state === 'done' || s.state === 'waived')) add('desk.procedure.reopen', 'reopen', () => this.openReason('reopen'));
            add('desk.procedure.edit', 'edit', () => this.openEdit());
        }
        add('desk.procedure.upload', 'upload', () => this.openUpload());
        return bar;
    }

    /** Shows `body` in the step's panel with a confirm and a cancel button; `send` runs on confirm. */
    private ask(title: string, body: HTMLElement[], confirm: MessageKey, send: (notice: Notice) => Promise<void>): void {
        const form = el('form', 'dk-step-form');
        form.setAttribute('aria-label', title);
        const yes = button(zhText(confirm), 'primary', 'submit');
        yes.dataset.confirm = 'true';
        const no = button(zhText('desk.common.cancel'), 'quiet');
        const notice = new Notice();
        const row = el('div', 'dk-form-row dk-confirm');
        row.append(el('span', 'dk-confirm-text', title), yes, no);
        form.append(...body, row, notice.el);
        no.addEventListener('click', () => this.panel.replaceChildren());
        form.addEventListener('submit', e => {
            e.preventDefault();
            void (async () => {
                notice.busy(zhText('desk.common.submitting'));
                try {
                    await whileBusy([yes, no], () => send(notice));
                } catch (err) {
                    notice.fail(refusal(err));
                }
            })();
        });
        this.panel.replaceChildren(form);
        (form.querySelector<HTMLElement>('input, textarea, select') ?? yes).focus();
    }

    private async write(change: Omit<StepChange, 'version'>, done: MessageKey): Promise<void> {
        const ledger = await changeStep(this.ctx.code, this.step.key, {version: this.step.version, ...change});
        this.ctx.changed(ledger, zhText(done, {step: this.step.name}));
    }

    private day(name: string, value: string | null, max: string | null = this.ctx.today): HTMLInputElement {
        const i = input(name, {type: 'date', value: value ?? ''});
        if (max) i.max = max;
        return i;
    }

    private openStart(): void {
        const start = this.day('actual_start', this.ctx.today);
        this.ask(zhText('desk.procedure.start_confirm', {step: this.step.name}), [field(zhText('desk.procedure.actual_start'), start)], 'desk.procedure.start_yes',
            () => this.write({state: 'in_progress', actual_start: start.value || null}, 'desk.procedure.started_ok'));
    }

    private openFinish(): void {
        const s = this.step;
        const end = this.day('actual_end', this.ctx.today);
        if (s.earliest_end) end.min = s.earliest_end;
        const body: HTMLElement[] = [field(zhText('desk.procedure.actual_end'), end)];
        if (s.earliest_end) body.push(el('p', 'dk-note', zhText('desk.procedure.earliest_hint', {day: s.earliest_end, period: period(s.min_period ?? 0, s.period_unit)})));
        this.ask(zhText('desk.procedure.finish_confirm', {step: s.name}), body, 'desk.procedure.finish_yes',
            () => this.write({state: 'done', actual_end: end.value || null}, 'desk.procedure.finished_ok'));
    }

    private openReason(which: 'waive' | 'reopen'): void {
        const reason = textarea('reason', {required: true, rows: 2, placeholder: zhText(`desk.procedure.${which}_placeholder`)});
        this.ask(zhText(`desk.procedure.${which}_confirm`, {step: this.step.name}), [field(zhText('desk.procedure.reason'), reason, 'dk-grow')], `desk.procedure.${which}_yes`,
            () => this.write(which === 'waive' ? {state: 'waived', waive_reason: reason.value.trim()} : {state: 'in_progress', reason: reason.value.trim()},
                which === 'waive' ? 'desk.procedure.waived_ok' : 'desk.procedure.reopened_ok'));
    }

    private openEdit(): void {
        const s = this.step;
        const start = this.day('planned_start', s.planned_start, null);
        const end = this.day('planned_end', s.planned_end, null);
        const who = select('responsible', [{value: '', zh: zhText('desk.procedure.nobody')}, ...this.ctx.people.map(p => ({value: String(p.id), zh: `${p.username}（${zhText(`desk.procedure.role.${p.role}`)}）`}))],
            s.responsible ? String(s.responsible.id) : '');
        const note = textarea('note', {rows: 2, value: s.note ?? '', maxLength: 2000});
        const row = el('div', 'dk-form-row');
        row.append(field(zhText('desk.procedure.planned_start'), start), field(zhText('desk.procedure.planned_end'), end), field(zhText('desk.procedure.responsible_field'), who));
        this.ask(zhText('desk.procedure.edit_confirm', {step: s.name}), [row, field(zhText('desk.procedure.note'), note, 'dk-grow')], 'desk.procedure.save', () => this.write({
            planned_start: start.value || null, planned_end: end.value || null, responsible: who.value ? Number(who.value) : null, note: note.value,
        }, 'desk.procedure.saved_ok'));
    }

    private openUpload(): void {
        const s = this.step;
        const file = input('file', {type: 'file', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png'});
        const pub = input('public', {type: 'checkbox', checked: false});
        const pubLabel = el('label', 'dk-check');
        pubLabel.append(pub, ` ${zhText(s.published ? 'desk.procedure.public_label' : 'desk.procedure.public_label_unpublished')}`);
        this.ask(zhText('desk.procedure.upload_confirm', {step: s.name}), [field(zhText('desk.attachments.file_field'), file, 'dk-grow'), pubLabel], 'desk.procedure.upload_yes',
            async notice => {
                const chosen = file.files?.[0];
                if (!chosen) return notice.fail(zhText('desk.attachments.no_file'));
                if (chosen.size > MAX_ATTACHMENT_BYTES) return notice.fail(zhText('desk.attachments.too_big', {size: fmtBytes(chosen.size)}));
                const added = await uploadStepDocument(this.ctx.code, s.key, chosen, pub.checked,
                    (sent, total) => { if (total) notice.busy(zhText('desk.attachments.progress', {name: chosen.name, percent: Math.round((sent / total) * 100)})); });
                this.ctx.changed(null, zhText('desk.procedure.uploaded_ok', {name: added.file_name, step: s.name}));
            });
    }
}
