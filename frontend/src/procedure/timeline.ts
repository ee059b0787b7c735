// A project's procedure as a timeline (docs/procedure.md): one row per step grouped by stage, planned and actual bars, the today line, overdue in red, legal windows as bands with their closing day; a compact vertical form for phones.
import {getJson} from '../api/client';
import type {MessageKey, Value} from '../i18n';
import {el} from '../ui/dom';

export type StepDocument = {id: number; file_name: string; content_type: string; size_bytes: number; public?: boolean};

/** One step of GET /api/projects/{code}/procedure (the fields the timeline reads). */
export type ProcedureStep = {
    key: string;
    seq: number;
    name: string;
    stage: string;
    legal_basis: string;
    is_window: boolean;
    published: boolean;
    state: string;
    /** not_started, in_progress, done, waived, overdue; a window's not_started, open, closed */
    shown_state: string;
    planned_start: string | null;
    planned_end: string | null;
    actual_start: string | null;
    actual_end: string | null;
    clock_start: string | null;
    earliest_end: string | null;
    legal_due: string | null;
    due_on: string | null;
    documents: StepDocument[];
};

export type ProcedureDoc = {
    project: {code: string; name: string; kind: string; stage: string};
    template: {name: string; version: number};
    today: string;
    steps: ProcedureStep[];
};

export const fetchProcedure = (code: string) => getJson<ProcedureDoc>(`api/projects/${encodeURIComponent(code)}/procedure`);

/** The words of the page: t() where the page has a language switch, zhText() on the desk and public pages. */
export type Words = (key: MessageKey, values?: Record<string, Value>) => string;

const STAGES = ['preparation', 'survey', 'plan', 'decision', 'signing', 'relocation', 'handover'] as const;
const DAY_MS = 86_400_000;
const days = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const iso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The days a timeline spans: every date of its steps and today, a little air either side. */
function span(doc: ProcedureDoc): [number, number] {
    const all = [doc.today];
    for (const s of doc.steps) {
        for (const d of [s.planned_start, s.planned_end, s.actual_start, s.actual_end, s.clock_start, s.legal_due, s.due_on]) if (d) all.push(d);
    }
    const n = all.map(days);
    const from = Math.min(...n), to = Math.max(...n);
    const pad = Math.max(7, Math.round((to - from) * 0.03));
    return [from - pad, to + pad];
}

/** Month ticks along the axis, at most about `most` of them. */
function ticks(from: number, to: number, most: number): number[] {
    const first = new Date(from * DAY_MS);
    const out: number[] = [];
    const months = Math.max(1, Math.ceil((to - from) / 30 / most));
    for (let y = first.getUTCFullYear(), m = first.getUTCMonth() + 1; ; m += months) {
        const d = Date.UTC(y, m, 1) / DAY_MS;
        if (d > to) break;
        out.push(d);
    }
    return out;
}

type Tone = 'done' | 'waived' | 'overdue' | 'open' | 'closed' | 'in_progress' | 'not_started';

export type TimelineOptions = {
    /** the phone's vertical form: one tappable 48 px line per step with a small bar beneath */
    compact?: boolean;
    /** the wall's form, legible from metres away: one row per stage (its steps' span) and one per open legal window */
    byStage?: boolean;
    /** at most about this many month ticks on the axis */
    ticks?: number;
};

const min = (xs: (string | null)[]): string | null => xs.filter((x): x is string => !!x).sort()[0] ?? null;
const max = (xs: (string | null)[]): string | null => xs.filter((x): x is string => !!x).sort().at(-1) ?? null;

/** A stage as one row: its steps' planned and actual span, overdue when one of them is, done when all are. */
function stageRow(stage: string, name: string, steps: ProcedureStep[]): ProcedureStep {
    const finished = steps.every(s => s.state === 'done' || s.state === 'waived');
    const started = steps.some(s => s.state !== 'not_started');
    const overdue = steps.some(s => s.shown_state === 'overdue');
    const state = finished ? 'done' : started ? 'in_progress' : 'not_started';
    return {
        key: stage, seq: steps[0].seq, name, stage, legal_basis: steps.map(s => s.name).join('、'), is_window: false, published: false,
        state, shown_state: overdue ? 'overdue' : state,
        planned_start: min(steps.map(s => s.planned_start)), planned_end: max(steps.map(s => s.planned_end)),
        actual_start: min(steps.map(s => s.actual_start)), actual_end: finished ? max(steps.map(s => s.actual_end)) : null,
        clock_start: null, earliest_end: null, legal_due: null,
        due_on: finished ? null : min(steps.filter(s => s.state !== 'done' && s.state !== 'waived').map(s => s.due_on)),
        documents: [],
    };
}

export class Timeline {
    readonly el: HTMLElement;
    private doc: ProcedureDoc | null = null;
    private openKey: string | null = null;

    private compact: boolean;

    /** @param words t or zhText */
    constructor(private words: Words, private options: TimelineOptions = {}) {
        this.compact = options.compact ?? false;
        this.el = el('div', `om-tl${this.compact ? ' om-tl-compact' : ''}${options.byStage ? ' om-tl-by-stage' : ''}`);
        this.el.setAttribute('role', 'list');
    }

    show(doc: ProcedureDoc): void {
        this.doc = doc;
        this.render();
    }

    /** Words again (the language changed). */
    render(): void {
        const doc = this.doc;
        if (!doc) return;
        const [from, to] = span(doc);
        const at = (d: string) => `${((days(d) - from) / (to - from)) * 100}%`;
        const width = (a: string, b: string) => `${Math.max(0.4, ((days(b) - days(a) + 1) / (to - from)) * 100)}%`;
        const rows: HTMLElement[] = [];
        if (!this.compact) rows.push(this.axis(from, to, at, doc.today));
        if (this.options.byStage) {
            for (const stage of STAGES) {
                const steps = doc.steps.filter(s => s.stage === stage && !s.is_window);
                const name = this.words(`timeline.stage.${stage}` as MessageKey);
                if (steps.length === 0) continue;
                const row = this.row(stageRow(stage, name, steps), doc.today, at, width);
                row.classList.toggle('om-tl-current', doc.project.stage === stage);
                rows.push(row);
            }
            // the windows still open: what a closing day means now (the closed ones are history)
            for (const w of doc.steps.filter(s => s.is_window && s.shown_state === 'open')) rows.push(this.row(w, doc.today, at, width));
            this.el.replaceChildren(...rows);
            this.el.dataset.today = doc.today;
            return;
        }
        for (const stage of STAGES) {
            const steps = doc.steps.filter(s => s.stage === stage);
            if (steps.length === 0) continue;
            const head = el('div', 'om-tl-stage', this.words(`timeline.stage.${stage}` as MessageKey));
            head.dataset.stage = stage;
            if (doc.project.stage === stage) head.classList.add('om-tl-current');
            rows.push(head);
            for (const s of steps) rows.push(this.row(s, doc.today, at, width));
        }
        this.el.replaceChildren(...rows);
        this.el.dataset.today = doc.today;
    }

    /** The row to bring into view first: the first overdue step, else the first one running, else the current stage. */
    focusRow(): HTMLElement | null {
        return this.el.querySelector<HTMLElement>('.om-tl-overdue, .om-tl-in_progress, .om-tl-open, .om-tl-stage.om-tl-current');
    }

    private axis(from: number, to: number, at: (d: string) => string, today: string): HTMLElement {
        const row = el('div', 'om-tl-row om-tl-axis');
        row.setAttribute('aria-hidden', 'true');
        const track = el('div', 'om-tl-track');
        for (const d of ticks(from, to, this.options.ticks ?? 10)) {
            const tick = el('span', 'om-tl-tick', iso(d).slice(0, 7));
            tick.style.left = at(iso(d));
            track.append(tick);
        }
        const line = el('span', 'om-tl-today-label', this.words('timeline.today', {day: today}));
        line.style.left = at(today);
        track.append(line);
        row.append(el('span', 'om-tl-name'), track);
        return row;
    }

    private tone(s: ProcedureStep): Tone {
        return (['done', 'waived', 'overdue', 'open', 'closed', 'in_progress'] as const).find(x => x === s.shown_state) ?? 'not_started';
    }

    private row(s: ProcedureStep, today: string, at: (d: string) => string, width: (a: string, b: string) => string): HTMLElement {
        const tone = this.tone(s);
        const row = el('div', `om-tl-row om-tl-${tone}`);
        row.setAttribute('role', 'listitem');
        row.dataset.step = s.key;
        row.dataset.state = s.shown_state;
        const name = el('button', 'om-tl-name');
        name.type = 'button';
        name.append(el('span', 'om-tl-mark', this.mark(tone)), el('span', 'om-tl-label', s.name));
        const state = el('span', 'om-tl-state', this.words(`timeline.state.${tone}` as MessageKey));
        name.append(state);
        name.title = `${s.name}\n${this.dates(s)}\n${s.legal_basis}`;
        name.setAttribute('aria-expanded', String(this.openKey === s.key));
        // one step open at a time, toggled in place (redrawing would lose the scroll position)
        name.addEventListener('click', () => {
            const open = this.openKey !== s.key;
            this.el.querySelectorAll('.om-tl-detail').forEach(d => d.remove());
            this.el.querySelectorAll('.om-tl-name[aria-expanded="true"]').forEach(b => b.setAttribute('aria-expanded', 'false'));
            this.openKey = open ? s.key : null;
            name.setAttribute('aria-expanded', String(open));
            if (open) row.append(this.detail(s));
        });
        const track = el('div', 'om-tl-track');
        const bar = (cls: string, a: string | null, b: string | null, label = '') => {
            if (!a || !b) return;
            const e = el('span', cls, label);
            e.style.left = at(a);
            e.style.width = width(a, b);
            track.append(e);
        };
        if (s.is_window) {
            const ends = s.legal_due;
            bar('om-tl-band', s.clock_start, ends);
            if (ends) {
                const close = el('span', 'om-tl-close', this.words('timeline.closes', {day: ends}));
                // a late closing day is labelled to the left of its line, inside the track
                const share = parseFloat(at(ends));
                if (share > 55) {
                    close.classList.add('om-tl-close-left');
                    close.style.right = `${100 - share}%`;
                } else close.style.left = at(ends);
                track.append(close);
            }
        } else {
            bar('om-tl-planned', s.planned_start ?? s.clock_start ?? s.planned_end, s.planned_end);
            if (s.state === 'done' || s.state === 'in_progress') bar('om-tl-actual', s.actual_start ?? s.actual_end, s.actual_end ?? today);
            if (s.due_on && tone !== 'done' && tone !== 'waived') {
                const due = el('span', 'om-tl-due');
                due.style.left = at(s.due_on);
                due.title = this.words('timeline.due', {day: s.due_on});
                track.append(due);
            }
            if (tone === 'waived' && s.actual_end) {
                const w = el('span', 'om-tl-waived-mark', '⊘');
                w.style.left = at(s.actual_end);
                track.append(w);
            }
        }
        const now = el('span', 'om-tl-now');
        now.style.left = at(today);
        track.append(now);
        row.append(name, track);
        if (this.openKey === s.key) row.append(this.detail(s));
        return row;
    }

    private mark(tone: Tone): string {
        return {done: '✓', waived: '⊘', overdue: '!', open: '◷', closed: '◼', in_progress: '▶', not_started: '○'}[tone];
    }

    private dates(s: ProcedureStep): string {
        const range = (a: string | null, b: string | null) => (a || b ? `${a ?? '…'} – ${b ?? '…'}` : '—');
        if (s.is_window) return this.words('timeline.window_dates', {range: range(s.clock_start, s.legal_due)});
        return this.words('timeline.dates', {planned: range(s.planned_start, s.planned_end), actual: range(s.actual_start, s.actual_end)});
    }

    private detail(s: ProcedureStep): HTMLElement {
        const box = el('div', 'om-tl-detail');
        box.append(el('p', 'om-tl-dates', this.dates(s)));
        if (s.due_on && s.state !== 'done' && s.state !== 'waived') box.append(el('p', 'om-tl-dates', this.words('timeline.due', {day: s.due_on})));
        box.append(el('p', 'om-tl-basis', s.legal_basis));
        const docs = el('ul', 'om-tl-docs');
        for (const d of s.documents) docs.append(el('li', undefined, `${d.file_name} · ${Math.max(1, Math.round(d.size_bytes / 1024))} KB`));
        box.append(s.documents.length ? docs : el('p', 'om-empty', this.words('timeline.no_documents')));
        return box;
    }
}
