// The 选房 tab's preparation (选房准备): the project's selection rules (entitled area = recorded × ratio + incentive, the allowance beyond it, units per household, the unused-area rate, signing order or a lottery, recalls) that admins save and everyone reads, and a new selection day (its date; for a lottery a seed made here, published by the server at once).
import {getJson, refusal, sendJson} from '../api/client';
import type {User} from '../auth/api';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, select, whileBusy} from '../ui/form';

type Rules = {area_ratio: number; incentive_area: number; beyond_max_area: number; max_units: number; unused_yuan_per_m2: number | null;
    order_by: 'signing' | 'lottery'; recalls: number; updated_by: string | null; updated_at: string | null};

/** 64 hex digits from the browser's cryptographic generator: the lottery's seed. */
function newSeed(): string {
    return [...crypto.getRandomValues(new Uint8Array(32))].map(b => b.toString(16).padStart(2, '0')).join('');
}

export class SelectionSetup {
    readonly el = el('section', 'dk-sel-setup');
    private project: string | null = null;
    private ratio = input('area_ratio', {type: 'number', step: '0.001', min: '0.001', max: '5'});
    private incentive = input('incentive_area', {type: 'number', step: '0.01', min: '0'});
    private beyond = input('beyond_max_area', {type: 'number', step: '0.01', min: '0'});
    private units = input('max_units', {type: 'number', step: '1', min: '1', max: '5'});
    private unused = input('unused_yuan_per_m2', {type: 'number', step: '0.01', min: '0', placeholder: zhText('desk.selection.setup_unused_own')});
    private order = select('order_by', [{value: 'signing', zh: zhText('desk.selection.setup_signing')}, {value: 'lottery', zh: zhText('desk.selection.setup_lottery')}]);
    private recalls = input('recalls', {type: 'number', step: '1', min: '0', max: '5'});
    private saved = el('p', 'om-card-note');
    private rulesNotice = new Notice();
    private day = input('new_day', {type: 'date'});
    private seed = input('seed', {readOnly: true, size: 66});
    private seedField = field(zhText('desk.selection.setup_seed'), this.seed);
    private dayNotice = new Notice();

    /** `created` with the new day's id: the console lists the days again and opens it. */
    constructor(user: User, private created: (id: number) => void) {
        const admin = user.role === 'admin';
        const save = button(zhText('desk.selection.setup_save'), 'primary', 'submit');
        const rules = el('form', 'dk-sel-rules');
        const row = el('div', 'dk-form-row');
        row.append(field(zhText('desk.selection.setup_ratio'), this.ratio), field(zhText('desk.selection.setup_incentive'), this.incentive),
            field(zhText('desk.selection.setup_beyond'), this.beyond), field(zhText('desk.selection.setup_units'), this.units),
            field(zhText('desk.selection.setup_unused'), this.unused), field(zhText('desk.selection.setup_order'), this.order),
            field(zhText('desk.selection.setup_recalls'), this.recalls));
        for (const control of [this.ratio, this.incentive, this.beyond, this.units, this.unused, this.order, this.recalls]) control.disabled = !admin;
        rules.append(el('h3', undefined, zhText('desk.selection.setup_rules')), row, this.saved, ...(admin ? [save] : []), this.rulesNotice.el);
        rules.addEventListener('submit', e => { e.preventDefault(); void whileBusy([save], () => this.saveRules()); });
        this.order.addEventListener('change', () => this.showSeed());

        const make = button(zhText('desk.selection.setup_create'), 'primary', 'submit');
        const again = button(zhText('desk.selection.setup_new_seed'), 'quiet');
        again.addEventListener('click', () => { this.seed.value = newSeed(); });
        this.seedField.append(again);
        const day = el('form', 'dk-sel-new-day');
        const dayRow = el('div', 'dk-form-row');
        dayRow.append(field(zhText('desk.selection.setup_day'), this.day), this.seedField, make);
        day.append(el('h3', undefined, zhText('desk.selection.setup_day_title')), dayRow, this.dayNotice.el);
        day.addEventListener('submit', e => { e.preventDefault(); void whileBusy([make], () => this.createDay()); });
        this.el.append(rules, day);
    }

    show(project: string): void {
        this.project = project;
        this.rulesNotice.clear();
        this.dayNotice.clear();
        void this.loadRules();
    }

    private async loadRules(): Promise<void> {
        try {
            const r = await getJson<Rules>(`api/projects/${encodeURIComponent(this.project!)}/selection-rules`);
            this.ratio.value = String(r.area_ratio);
            this.incentive.value = String(r.incentive_area);
            this.beyond.value = String(r.beyond_max_area);
            this.units.value = String(r.max_units);
            this.unused.value = r.unused_yuan_per_m2 === null ? '' : String(r.unused_yuan_per_m2);
            this.order.value = r.order_by;
            this.recalls.value = String(r.recalls);
            this.saved.textContent = r.updated_by ? zhText('desk.selection.setup_saved_by', {user: r.updated_by, at: (r.updated_at ?? '').slice(0, 16).replace('T', ' ')})
                : zhText('desk.selection.setup_defaults');
            this.showSeed();
        } catch (err) {
            this.rulesNotice.fail(refusal(err));
        }
    }

    /** A lottery day needs its seed; a signing-order day has none. */
    private showSeed(): void {
        const lottery = this.order.value === 'lottery';
        this.seedField.hidden = !lottery;
        if (lottery && !this.seed.value) this.seed.value = newSeed();
    }

    private async saveRules(): Promise<void> {
        const number = (i: HTMLInputElement) => (i.value.trim() === '' ? null : Number(i.value));
        try {
            await sendJson('PUT', `api/projects/${encodeURIComponent(this.project!)}/selection-rules`, {
                area_ratio: number(this.ratio), incentive_area: number(this.incentive), beyond_max_area: number(this.beyond),
                max_units: number(this.units), unused_yuan_per_m2: number(this.unused), order_by: this.order.value, recalls: number(this.recalls),
            });
            this.rulesNotice.ok(zhText('desk.selection.setup_rules_saved'));
            await this.loadRules();
        } catch (err) {
            this.rulesNotice.fail(refusal(err));
        }
    }

    private async createDay(): Promise<void> {
        if (!this.day.value) return this.dayNotice.fail(zhText('desk.selection.setup_day_missing'));
        try {
            const lottery = this.order.value === 'lottery';
            const made = await sendJson<{id: number; queue: unknown[]}>('POST', `api/projects/${encodeURIComponent(this.project!)}/selection-days`,
                {day: this.day.value, seed: lottery ? this.seed.value : null});
            this.dayNotice.ok(zhText('desk.selection.setup_created', {day: this.day.value, households: made.queue.length}));
            if (lottery) this.seed.value = newSeed();
            this.created(made.id);
        } catch (err) {
            this.dayNotice.fail(refusal(err));
        }
    }
}
