// The 程序台账 tab: the project's legal procedure step by step, grouped by stage, with each step's state (逾期 in red, 窗口期 open or closed), dates, legal basis, person responsible and documents, and the plan proposal.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {chip} from '../labels';
import {zhText, type MessageKey} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, whileBusy} from '../ui/form';
import {fetchLedger, fetchPeople, planSteps, STAGES, type Ledger, type Person, type Step} from './procedure-api';
import {StepCard} from './procedure-step';

const stageName = (stage: string) => zhText(`desk.procedure.stage.${stage}` as MessageKey);

export class ProcedureTab {
    readonly el = el('section', 'om-card dk-procedure');
    private title = el('h2');
    private summary = el('div', 'dk-proc-summary');
    private tools = el('div', 'dk-proc-tools');
    private planPanel = el('div', 'dk-proc-plan');
    private list = el('div', 'dk-proc-stages');
    private notice = new Notice();
    private project: string | null = null;
    private people: Person[] = [];
    private generation = 0;

    constructor(private user: User) {
        this.el.setAttribute('aria-label', zhText('desk.procedure.tab'));
        const head = el('header', 'om-card-head dk-proc-head');
        head.append(this.title, this.tools);
        if (user.role === 'admin' || user.role === 'operator') {
            const plan = button(zhText('desk.procedure.plan'), 'quiet');
            plan.dataset.action = 'plan';
            plan.title = zhText('desk.procedure.plan_hint');
            plan.addEventListener('click', () => void this.proposePlan(plan));
            this.tools.append(plan);
        }
        this.el.append(head, this.summary, this.notice.el, this.planPanel, this.list);
    }

    show(project: string): void {
        if (project !== this.project) this.people = [];
        this.project = project;
        void this.load();
    }

    private async load(done?: string): Promise<void> {
        const code = this.project;
        if (!code) return;
        const generation = ++this.generation;
        this.el.dataset.loading = 'true';
        if (!done) this.notice.busy(zhText('desk.common.reading'));
        try {
            const [ledger, people] = await Promise.all([fetchLedger(code), this.people.length ? this.people : fetchPeople(code).catch(() => [])]);
            if (generation !== this.generation) return;
            this.people = people;
            this.render(ledger);
            if (done) this.notice.ok(done);
            else this.notice.clear();
        } catch (err) {
            if (generation === this.generation) this.notice.fail(zhText('desk.procedure.failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private render(ledger: Ledger): void {
        const {project, template, steps} = ledger;
        this.el.dataset.project = project.code;
        this.el.dataset.stage = project.stage;
        this.title.replaceChildren(zhText('desk.procedure.title', {template: template.name, version: template.version}));
        const work = steps.filter(s => !s.is_window);
        const finishedCount = work.filter(s => s.state === 'done' || s.state === 'waived').length;
        const overdue = steps.filter(s => s.shown_state === 'overdue').length;
        const open = steps.filter(s => s.shown_state === 'open').length;
        const stage = chip(stageName(project.stage), project.stage, project.stage === 'closed' ? 'done' : 'wait');
        stage.classList.add('dk-proc-stage');
        this.summary.replaceChildren(
            el('span', undefined, zhText('desk.procedure.stage_now')), stage,
            el('span', undefined, zhText('desk.procedure.progress', {done: finishedCount, total: work.length})),
            el('span', overdue ? 'dk-late' : undefined, zhText('desk.procedure.overdue_count', {count: overdue})),
            el('span', undefined, zhText('desk.procedure.open_windows', {count: open})),
            el('span', 'dk-proc-today', zhText('desk.procedure.today', {day: ledger.today, start: project.start_date})),
        );
        const names = new Map(steps.map(s => [s.key, s.name]));
        const finished = new Set(steps.filter(s => s.state === 'done' || s.state === 'waived').map(s => s.key));
        const ctx = {user: this.user, code: project.code, today: ledger.today, people: this.people, names, finished,
            changed: (next: Ledger | null, text: string) => {
                if (next) {
                    this.render(next);
                    this.notice.ok(text);
                } else {
                    void this.load(text);
                }
            }};
        const groups = STAGES.map(stage => ({stage, steps: steps.filter(s => s.stage === stage)})).filter(g => g.steps.length);
        this.list.replaceChildren(...groups.map(g => {
            const section = el('section', 'dk-proc-stage-group');
            section.dataset.stage = g.stage;
            const h3 = el('h3', undefined, stageName(g.stage));
            if (g.stage === project.stage) h3.append(el('small', undefined, zhText('desk.procedure.current')));
            h3.append(el('small', undefined, this.stageCount(g.steps)));
            section.append(h3, ...g.steps.map(s => new StepCard(s, ctx).el));
            return section;
        }));
    }

    private stageCount(steps: Step[]): string {
        const work = steps.filter(s => !s.is_window);
        return zhText('desk.procedure.progress', {done: work.filter(s => s.state === 'done' || s.state === 'waived').length, total: work.length});
    }

    /** Shows the proposed planned dates (nothing is written yet); 确认排期 writes them. */
    private async proposePlan(trigger: HTMLButtonElement): Promise<void> {
        const code = this.project;
        if (!code) return;
        try {
            const answer = await whileBusy([trigger], () => planSteps(code, false));
            const names = new Map(answer.steps.map(s => [s.key, s.name]));
            if (answer.proposed.length === 0) {
                this.planPanel.replaceChildren();
                return this.notice.ok(zhText('desk.procedure.plan_nothing'));
            }
            const list = el('ol', 'dk-proc-proposed');
            for (const p of answer.proposed) list.append(el('li', undefined, `${names.get(p.key) ?? p.key}：${p.planned_start} → ${p.planned_end}`));
            const yes = button(zhText('desk.procedure.plan_yes'), 'primary');
            yes.dataset.confirm = 'true';
            const no = button(zhText('desk.common.cancel'), 'quiet');
            const row = el('div', 'dk-form-row dk-confirm');
            row.append(el('span', 'dk-confirm-text', zhText('desk.procedure.plan_confirm', {count: answer.proposed.length, start: answer.project.start_date})), yes, no);
            this.planPanel.replaceChildren(row, list);
            no.addEventListener('click', () => this.planPanel.replaceChildren());
            yes.addEventListener('click', () => void (async () => {
                try {
                    const ledger = await whileBusy([yes, no], () => planSteps(code, true));
                    this.planPanel.replaceChildren();
                    this.render(ledger);
                    this.notice.ok(zhText('desk.procedure.planned_ok', {count: ledger.proposed.length}));
                } catch (err) {
                    this.notice.fail(refusal(err));
                }
            })());
        } catch (err) {
            this.notice.fail(refusal(err));
        }
    }
}
