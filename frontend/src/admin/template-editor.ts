// "新版本" of a procedure template: a copy of the newest version whose steps the admin edits (names, legal basis, time limits and units, clock, window, prerequisites, published and 九公开 items, gate), adds, removes and reorders; the server checks every rule, and a refusal is shown at the step and field it names.
import {ApiError, refusal} from '../api/client';
import {t, type MessageKey} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, select, textarea, whileBusy} from '../ui/form';
import {createTemplate, type TemplateDetail, type TemplateStep, type Unit} from './procedure-api';
import {GATES, ITEMS, OUTPUTS, STAGES, UNITS, gateName, itemName, kindName, outputName, stageName, unitName} from './procedure-labels';
import {Fields, adminForm, confirmInline} from './fields';

type StepControls = {
    key: HTMLInputElement; name: HTMLInputElement; stage: HTMLSelectElement; produces: HTMLSelectElement; opens: HTMLSelectElement;
    basis: HTMLTextAreaElement; min: HTMLInputElement; max: HTMLInputElement; unit: HTMLSelectElement; clock: HTMLSelectElement;
    window: HTMLInputElement; published: HTMLInputElement; publishes: HTMLInputElement[]; prerequisites: HTMLInputElement[];
};

const options = (values: readonly string[], name: (v: string) => string) => values.map(v => ({value: v, zh: name(v)}));

/** A checkbox per choice in a folding list whose summary names the chosen ones. */
function checklist(name: string, choices: {value: string; label: string}[], chosen: string[], summaryEmpty: string): {el: HTMLElement; boxes: HTMLInputElement[]} {
    const box = el('details', 'ad-checklist');
    const summary = el('summary');
    const list = el('div', 'ad-checklist-items');
    const boxes = choices.map(c => {
        const b = input(name, {type: 'checkbox', value: c.value, checked: chosen.includes(c.value)});
        const l = el('label', 'ad-check');
        l.append(b, el('span', undefined, c.label));
        list.append(l);
        return b;
    });
    const sum = () => {
        const names = choices.filter((_, i) => boxes[i].checked).map(c => c.label);
        summary.textContent = names.length ? names.join(t('admin.procedure.list_sep')) : summaryEmpty;
    };
    for (const b of boxes) b.addEventListener('change', sum);
    sum();
    box.append(summary, list);
    return {el: box, boxes};
}

export class TemplateEditor {
    readonly el: HTMLElement;
    private card = new Card('admin.templates.editor_title', 'ad-template-editor');
    private form = adminForm('ad-template-form');
    private fields = new Fields();
    private notice = new Notice();
    private name = input('name');
    private note = input('note', {placeholder: t('admin.templates.note_hint')});
    private steps: TemplateStep[];
    private controls: StepControls[] = [];
    private save = button(t('admin.templates.save'), 'primary', 'submit');

    constructor(private base: TemplateDetail, private onSaved: (d: TemplateDetail) => void, onCancel: () => void) {
        this.el = this.card.el;
        this.card.setNote(t('admin.templates.editor_note', {kind: kindName(base.template.kind), version: base.template.version}));
        this.name.value = base.template.name;
        this.steps = base.steps.map(s => ({...s, prerequisites: [...s.prerequisites], publishes: [...s.publishes]}));
        const cancel = button(t('admin.templates.cancel'), 'quiet');
        cancel.addEventListener('click', onCancel);
        this.save.dataset.action = 'save-version';
        this.form.addEventListener('submit', e => { e.preventDefault(); void this.submit(); });
        this.card.tools.append(cancel);
        this.card.body.append(this.form);
        this.render();
    }

    private render(): void {
        this.fields = new Fields();
        const f = this.fields;
        const head = el('div', 'ad-template-head');
        head.append(f.add('name', 'admin.templates.name', this.name), f.add('note', 'admin.templates.change_note', this.note, 'ad-grow'));
        const list = el('ol', 'ad-step-list');
        this.controls = this.steps.map((s, i) => {
            const c = this.stepControls(s, i);
            list.append(this.stepRow(s, i, c));
            return c;
        });
        const add = button(t('admin.templates.add_step'), 'quiet');
        add.dataset.action = 'add-step';
        add.addEventListener('click', () => this.change(steps => {
            const last = steps[steps.length - 1];
            steps.push({key: `step_${steps.length + 1}`, name: '', stage: last?.stage ?? 'preparation', legal_basis: '', produces: 'record',
                min_period: null, max_period: null, period_unit: 'days', clock_from: null, is_window: false, prerequisites: [],
                published: false, publishes: [], opens: null});
        }));
        const actions = el('div', 'ad-actions');
        actions.append(add, this.save);
        // a refusal of the steps as a whole (a gate none opens, too many steps)
        const whole = f.add('steps', 'admin.templates.steps_all', el('span'), 'ad-group-error');
        this.form.replaceChildren(head, el('p', 'ad-hint', t('admin.templates.editor_hint')), list, whole, actions, this.notice.el);
    }

    private stepControls(s: TemplateStep, i: number): StepControls {
        const n = (name: string) => `steps[${i}].${name}`;
        const earlier = this.steps.slice(0, i);
        const period = (name: string, v: number | null) => input(n(name), {type: 'number', min: '1', step: '1', value: v === null ? '' : String(v)});
        return {
            key: input(n('key'), {value: s.key, spellcheck: false, autocomplete: 'off'}),
            name: input(n('name'), {value: s.name}),
            stage: select(n('stage'), options(STAGES, stageName), s.stage),
            produces: select(n('produces'), options(OUTPUTS, outputName), s.produces),
            opens: select(n('opens'), [{value: '', zh: '—'}, ...options(GATES, gateName)], s.opens ?? ''),
            basis: textarea(n('legal_basis'), {value: s.legal_basis, rows: 2}),
            min: period('min_period', s.min_period),
            max: period('max_period', s.max_period),
            unit: select(n('period_unit'), options(UNITS, unitName), s.period_unit),
            clock: select(n('clock_from'), [{value: '', zh: t('admin.templates.clock_own')}, ...earlier.map(e => ({value: e.key, zh: e.name || e.key}))],
                s.clock_from ?? ''),
            window: input(n('is_window'), {type: 'checkbox', checked: s.is_window}),
            published: input(n('published'), {type: 'checkbox', checked: s.published}),
            publishes: [],
            prerequisites: [],
        };
    }

    /** One step: its number and moves, then its fields in three lines; every field registered as the API names it. */
    private stepRow(s: TemplateStep, i: number, c: StepControls): HTMLElement {
        const f = this.fields;
        const seq = i + 1;
        const add = (name: string, key: MessageKey, control: HTMLElement, cls = '') =>
            f.add(`steps[${i}].${name}`, key, control, cls, t('admin.templates.step_field', {seq, field: t(key)}));
        const row = el('li', 'ad-step');
        row.dataset.key = s.key;
        const bar = el('div', 'ad-step-bar');
        const moves = el('div', 'ad-row-actions');
        const up = button(t('admin.templates.up'), 'quiet');
        const down = button(t('admin.templates.down'), 'quiet');
        const remove = button(t('admin.templates.remove'), 'quiet');
        up.disabled = i === 0;
        down.disabled = i === this.steps.length - 1;
        up.addEventListener('click', () => this.change(steps => steps.splice(i - 1, 0, ...steps.splice(i, 1))));
        down.addEventListener('click', () => this.change(steps => steps.splice(i + 1, 0, ...steps.splice(i, 1))));
        remove.addEventListener('click', () => this.change(steps => steps.splice(i, 1)));
        moves.append(up, down, remove);
        bar.append(el('span', 'ad-step-seq', String(seq)), add('key', 'admin.templates.key', c.key), add('name', 'admin.templates.step', c.name, 'ad-grow'),
            add('stage', 'admin.templates.stage', c.stage), add('produces', 'admin.templates.produces', c.produces),
            add('opens', 'admin.templates.opens', c.opens), moves);
        const basis = el('div', 'ad-step-line');
        basis.append(add('legal_basis', 'admin.templates.legal_basis', c.basis, 'ad-grow'));
        const time = el('div', 'ad-step-line');
        const items = checklist(`steps[${i}].publishes`, ITEMS.map(x => ({value: x, label: itemName(x)})), s.publishes, t('admin.templates.items_none'));
        const prereqs = checklist(`steps[${i}].prerequisites`, this.steps.slice(0, i).map(e => ({value: e.key, label: e.name || e.key})),
            s.prerequisites, t('admin.templates.prerequisites_none'));
        c.publishes = items.boxes;
        c.prerequisites = prereqs.boxes;
        const group = (key: MessageKey, list: HTMLElement, name: string) => {
            const box = el('div', 'om-field ad-checklist-field');
            box.append(el('span', 'om-field-label', t(key)), list, add(name, key, el('span'), 'ad-group-error'));
            return box;
        };
        time.append(add('min_period', 'admin.templates.min_period', c.min), add('max_period', 'admin.templates.max_period', c.max),
            add('period_unit', 'admin.templates.unit', c.unit), add('clock_from', 'admin.templates.clock_from', c.clock),
            add('is_window', 'admin.templates.window', c.window, 'ad-check-field'),
            group('admin.templates.prerequisites', prereqs.el, 'prerequisites'),
            add('published', 'admin.templates.published', c.published, 'ad-check-field'),
            group('admin.templates.publishes', items.el, 'publishes'));
        row.append(bar, basis, time);
        return row;
    }

    /** Reads the form into the model, changes it, draws it again. */
    private change(edit: (steps: TemplateStep[]) => void): void {
        this.steps = this.read().steps;
        edit(this.steps);
        this.render();
    }

    /** The form as the API takes it; a period that is not a whole number is kept as NaN for `problems`. */
    private read(): {steps: TemplateStep[]} {
        const period = (i: HTMLInputElement) => (i.value.trim() === '' ? null : Number(i.value));
        const chosen = (boxes: HTMLInputElement[]) => boxes.filter(b => b.checked).map(b => b.value);
        return {steps: this.controls.map((c): TemplateStep => ({
            key: c.key.value.trim(), name: c.name.value, stage: c.stage.value, legal_basis: c.basis.value, produces: c.produces.value,
            min_period: period(c.min), max_period: period(c.max), period_unit: c.unit.value as Unit, clock_from: c.clock.value || null,
            is_window: c.window.checked, prerequisites: chosen(c.prerequisites), published: c.published.checked,
            publishes: chosen(c.publishes), opens: c.opens.value || null,
        }))};
    }

    private async submit(): Promise<void> {
        this.fields.clear();
        this.notice.clear();
        const {steps} = this.read();
        // the one check made here: a period is a whole number (every rule of the procedure is the server's)
        const bad: [string, string][] = [];
        steps.forEach((s, i) => {
            for (const name of ['min_period', 'max_period'] as const) {
                const v = s[name];
                if (v !== null && !Number.isInteger(v)) bad.push([`steps[${i}].${name}`, t('admin.templates.whole_number')]);
            }
        });
        if (bad.length) {
            for (const [name, message] of [...bad].reverse()) this.fields.fail(name, message);
            this.notice.fail(t('admin.templates.fix', {count: bad.length}));
            return;
        }
        const next = this.base.template.version + 1;
        if (!(await confirmInline(this.save, t('admin.templates.confirm', {version: next}), 'admin.templates.confirm_save'))) return;
        try {
            const saved = await whileBusy([this.save], () => createTemplate({
                kind: this.base.template.kind, name: this.name.value, note: this.note.value, based_on: this.base.template.version, steps,
            }));
            this.onSaved(saved);
        } catch (err) {
            this.refused(err);
        }
    }

    /** A refusal at the step and field it names, in the page's words for its rule; else beside a field it names, else below. */
    private refused(err: unknown): void {
        if (err instanceof ApiError && err.code === 'template_step_invalid') {
            const v = err.values;
            const text = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');
            const rule = `admin.templates.rule.${text(v.rule)}`;
            const said = t(rule as MessageKey, v);
            const field = text(v.field) === 'seq' ? 'key' : text(v.field);
            this.fields.fail(`steps[${Number(v.seq) - 1}].${field}`, said === rule ? refusal(err) : said);
            this.notice.fail(t('admin.templates.refused_step', {seq: v.seq, key: v.key}));
            return;
        }
        if (err instanceof ApiError && err.code === 'template_gate_missing') {
            this.fields.fail('steps', refusal(err));
            this.notice.fail(refusal(err));
            return;
        }
        if (!this.fields.failFrom(err)) this.notice.fail(refusal(err));
        else this.notice.fail(t('admin.templates.fix', {count: 1}));
    }
}
