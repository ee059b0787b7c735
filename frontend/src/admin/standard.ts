// 补偿标准 tab: a project's compensation standard — rates by use and legality, relocation and transition subsidies, signing incentives by date, the agreement template — every field with its unit, checked here and by the server (its refusal shown beside the field), confirmed before saving, with who changed it last.
import {refusal} from '../api/client';
import {fmtTime} from '../format';
import {t, type MessageKey} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, select, textarea, whileBusy} from '../ui/form';
import {fetchAudit, fetchStandard, saveStandard, type Incentive, type Rate, type Standard} from './api';
import {Fields, adminForm, confirmInline} from './fields';
import {ProjectTab} from './project-tab';

const USES = ['residential', 'commercial', 'industrial', 'public', 'mixed'] as const;
const LEGALITY = ['legal', 'illegal'] as const;
/** The bounds the server holds (backend/src/validate.rs, households/standard.rs). */
const MAX_HOUSEHOLD_YUAN = 1e10;
const MAX_RATE_YUAN = 1e6;
const MAX_MONTHS = 120;
const MAX_TEMPLATE = 100_000;

const useName = (u: string) => t(`use.${u}` as MessageKey);
const legalityName = (l: string) => t(`category.legality.${l}` as MessageKey);

export class StandardTab extends ProjectTab {
    protected async showProject(code: string): Promise<void> {
        const card = new Card('admin.standard.title', 'ad-standard');
        this.body.replaceChildren(card.el);
        let standard: Standard;
        try {
            standard = await fetchStandard(code);
        } catch (err) {
            card.setError(t('admin.common.load_failed', {reason: refusal(err)}));
            return;
        }
        const last = el('p', 'ad-last-change');
        card.body.append(last, new StandardForm(code, standard, () => void lastChange(code, last)).el);
        await lastChange(code, last);
    }
}

/** "最近修改：boss · 2026-12-02 15:03", from the audit trail. */
async function lastChange(code: string, into: HTMLElement): Promise<void> {
    try {
        const page = await fetchAudit({action: 'compensation_standard', project: code, limit: 1});
        const l = page.lines[0];
        into.textContent = l ? t('admin.standard.last_change', {user: l.username ?? t('admin.audit.system'), at: fmtTime(l.at)}) : t('admin.standard.never_changed');
    } catch (err) {
        into.textContent = refusal(err);
    }
}

type RateControls = {use: HTMLSelectElement; legality: HTMLSelectElement; yuan: HTMLInputElement};
type IncentiveControls = {until: HTMLInputElement; yuan: HTMLInputElement};

class StandardForm {
    readonly el = adminForm('ad-standard-form');
    private fields = new Fields();
    private notice = new Notice();
    private relocation = input('relocation_yuan', {type: 'number', step: '0.01', min: '0'});
    private transition = input('transition_yuan_per_m2_month', {type: 'number', step: '0.01', min: '0'});
    private months = input('transition_months', {type: 'number', step: '1', min: '0', max: String(MAX_MONTHS)});
    private template = textarea('agreement_template', {rows: 6});
    private rates: RateControls[] = [];
    private incentives: IncentiveControls[] = [];
    private save = button(t('admin.standard.save'), 'primary', 'submit');

    constructor(private code: string, private model: Standard, private onSaved: () => void) {
        this.el.setAttribute('aria-label', t('admin.standard.title'));
        this.el.addEventListener('submit', e => { e.preventDefault(); void this.submit(); });
        this.render();
    }

    /** Draws every field from the model; rows are numbered as the API names them (rates[2].yuan_per_m2). */
    private render(): void {
        this.fields = new Fields();
        const f = this.fields;
        this.relocation.value = String(this.model.relocation_yuan);
        this.transition.value = String(this.model.transition_yuan_per_m2_month);
        this.months.value = String(this.model.transition_months);
        this.template.value = this.model.agreement_template ?? '';
        this.template.placeholder = t('admin.standard.template_default');
        const subsidies = el('fieldset', 'ad-group');
        subsidies.append(el('legend', undefined, t('admin.standard.subsidies')),
            f.add('relocation_yuan', 'admin.standard.relocation', this.relocation),
            f.add('transition_yuan_per_m2_month', 'admin.standard.transition', this.transition),
            f.add('transition_months', 'admin.standard.months', this.months));

        const rates = el('fieldset', 'ad-group');
        const rateRows = el('div', 'ad-rows');
        rates.append(el('legend', undefined, t('admin.standard.rates')), rateRows);
        this.rates = this.model.rates.map((r, i) => {
            const c = {
                use: select(`rates[${i}].use`, USES.map(u => ({value: u, zh: useName(u)})), r.use),
                legality: select(`rates[${i}].legality`, LEGALITY.map(l => ({value: l, zh: legalityName(l)})), r.legality),
                yuan: input(`rates[${i}].yuan_per_m2`, {type: 'number', step: '0.01', min: '0', value: String(r.yuan_per_m2)}),
            };
            const row = el('div', 'ad-row');
            const name = t('admin.standard.rate_name', {n: i + 1});
            row.append(f.add(`rates[${i}].use`, 'admin.standard.use', c.use, '', `${name} ${t('admin.standard.use')}`),
                f.add(`rates[${i}].legality`, 'admin.standard.legality', c.legality, '', `${name} ${t('admin.standard.legality')}`),
                f.add(`rates[${i}].yuan_per_m2`, 'admin.standard.rate', c.yuan, '', `${name} ${t('admin.standard.rate')}`),
                this.remove(() => this.model.rates.splice(i, 1)));
            rateRows.append(row);
            return c;
        });
        rates.append(this.adder('admin.standard.add_rate', () => {
            const used = new Set(this.model.rates.map(r => `${r.use}/${r.legality}`));
            const free = USES.flatMap(u => LEGALITY.map(l => ({use: u, legality: l}))).find(x => !used.has(`${x.use}/${x.legality}`));
            if (free) this.model.rates.push({...free, yuan_per_m2: 0});
        }));

        const incentives = el('fieldset', 'ad-group');
        const incentiveRows = el('div', 'ad-rows');
        incentives.append(el('legend', undefined, t('admin.standard.incentives')), incentiveRows);
        this.incentives = this.model.incentives.map((x, i) => {
            const c = {
                until: input(`incentives[${i}].until`, {type: 'date', value: x.until}),
                yuan: input(`incentives[${i}].yuan`, {type: 'number', step: '0.01', min: '0', value: String(x.yuan)}),
            };
            const row = el('div', 'ad-row');
            const name = t('admin.standard.incentive_name', {n: i + 1});
            row.append(f.add(`incentives[${i}].until`, 'admin.standard.until', c.until, '', `${name} ${t('admin.standard.until')}`),
                f.add(`incentives[${i}].yuan`, 'admin.standard.incentive', c.yuan, '', `${name} ${t('admin.standard.incentive')}`),
                this.remove(() => this.model.incentives.splice(i, 1)));
            incentiveRows.append(row);
            return c;
        });
        incentives.append(this.adder('admin.standard.add_incentive', () => this.model.incentives.push({until: '', yuan: 0})));
        // the incentives as a whole (too many tiers) are named by the group
        f.add('incentives', 'admin.standard.incentives', el('span'), 'ad-group-error');

        const template = el('fieldset', 'ad-group');
        template.append(el('legend', undefined, t('admin.standard.template')), f.add('agreement_template', 'admin.standard.template_text', this.template, 'ad-wide'));
        const actions = el('div', 'ad-actions');
        actions.append(this.save);
        this.el.replaceChildren(subsidies, rates, incentives, template, actions, this.notice.el);
    }

    private adder(key: MessageKey, add: () => void): HTMLButtonElement {
        const b = button(t(key), 'quiet');
        b.addEventListener('click', () => { this.model = this.read(); add(); this.render(); });
        return b;
    }

    private remove(drop: () => void): HTMLButtonElement {
        const b = button(t('admin.standard.remove'), 'quiet');
        b.classList.add('ad-remove');
        b.addEventListener('click', () => { this.model = this.read(); drop(); this.render(); });
        return b;
    }

    /** The form's values as the API takes them ('' → NaN, caught by `problems`). */
    private read(): Standard {
        const num = (i: HTMLInputElement) => (i.value.trim() === '' ? NaN : Number(i.value));
        return {
            relocation_yuan: num(this.relocation), transition_yuan_per_m2_month: num(this.transition), transition_months: num(this.months),
            rates: this.rates.map((c): Rate => ({use: c.use.value, legality: c.legality.value as Rate['legality'], yuan_per_m2: num(c.yuan)})),
            incentives: this.incentives.map((c): Incentive => ({until: c.until.value, yuan: num(c.yuan)})),
            agreement_template: this.template.value.trim() ? this.template.value : null,
        };
    }

    /** Every field the server would refuse, with why, in the page's language. */
    private problems(s: Standard): [string, string][] {
        const out: [string, string][] = [];
        const amount = (name: string, v: number, max: number) => {
            if (!Number.isFinite(v)) out.push([name, t('admin.common.required')]);
            else if (v < 0 || v > max) out.push([name, t('admin.standard.between', {max: max.toLocaleString('zh-CN')})]);
        };
        amount('relocation_yuan', s.relocation_yuan, MAX_HOUSEHOLD_YUAN);
        amount('transition_yuan_per_m2_month', s.transition_yuan_per_m2_month, MAX_RATE_YUAN);
        if (!Number.isInteger(s.transition_months) || s.transition_months < 0 || s.transition_months > MAX_MONTHS) {
            out.push(['transition_months', t('admin.standard.months_rule', {max: MAX_MONTHS})]);
        }
        const seen = new Set<string>();
        s.rates.forEach((r, i) => {
            const key = `${r.use}/${r.legality}`;
            if (seen.has(key)) out.push([`rates[${i}].use`, t('admin.standard.rate_twice', {use: useName(r.use), legality: legalityName(r.legality)})]);
            seen.add(key);
            amount(`rates[${i}].yuan_per_m2`, r.yuan_per_m2, MAX_RATE_YUAN);
        });
        const days = new Set<string>();
        s.incentives.forEach((x, i) => {
            if (!/^\d{4}-\d{2}-\d{2}$/.test(x.until)) out.push([`incentives[${i}].until`, t('admin.common.required')]);
            else if (days.has(x.until)) out.push([`incentives[${i}].until`, t('admin.standard.day_twice', {day: x.until})]);
            days.add(x.until);
            amount(`incentives[${i}].yuan`, x.yuan, MAX_HOUSEHOLD_YUAN);
        });
        if ((s.agreement_template?.length ?? 0) > MAX_TEMPLATE) out.push(['agreement_template', t('admin.common.too_long', {max: MAX_TEMPLATE})]);
        return out;
    }

    private async submit(): Promise<void> {
        this.fields.clear();
        this.notice.clear();
        const s = this.read();
        const problems = this.problems(s);
        if (problems.length) {
            // the first field gets the focus: shown last
            for (const [name, message] of [...problems].reverse()) this.fields.fail(name, message);
            this.notice.fail(t('admin.standard.fix', {count: problems.length}));
            return;
        }
        if (!(await confirmInline(this.save, t('admin.standard.confirm'), 'admin.standard.confirm_save'))) return;
        try {
            this.model = await whileBusy([this.save], () => saveStandard(this.code, s));
            this.render();
            this.notice.ok(t('admin.standard.saved'));
            this.onSaved();
        } catch (err) {
            if (!this.fields.failFrom(err)) this.notice.fail(refusal(err));
            else this.notice.fail(t('admin.standard.fix', {count: 1}));
        }
    }
}
