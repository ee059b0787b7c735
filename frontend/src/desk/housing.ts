// The 安置房源 tab: an estate's 楼盘表 with who holds each unit (household code, masked name), live; a clerk picks a unit and moves its status (reserve, select for a household, contract, deliver, cancel), and sets each 套型's floor plan.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtInt} from '../format';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, select, whileBusy} from '../ui/form';
import {changeUnit, feedUrl, fetchEstates, fetchGrid, uploadFloorPlan, type EstateGrid, type EstateSummary, type UnitRow, type UnitStatus} from '../housing/api';
import {UnitGrid, followUnits} from '../housing/grid';
import {EstateAdmin} from './estate-admin';

/** The steps a clerk may take from each status (the server's units::may_step). */
const NEXT: Record<UnitStatus, UnitStatus[]> = {
    available: ['reserved', 'selected'],
    reserved: ['available', 'selected'],
    selected: ['contracted', 'available'],
    contracted: ['delivered', 'available'],
    delivered: [],
};

export class HousingTab {
    readonly el = el('div', 'dk-housing');
    private picker = select('estate', []);
    private summary = el('p', 'om-card-note');
    private grid = new UnitGrid({pick: (u, b) => this.pick(u, b)});
    private form = el('section', 'om-card dk-unit-form');
    private plans = el('section', 'om-card dk-floor-plans');
    private plansFor: string | null = null;
    private admin: EstateAdmin | null = null;
    private notice = new Notice();
    private estates: EstateSummary[] = [];
    private data: EstateGrid | null = null;
    private estate: string | null = null;
    private stop = () => {};
    private readonly writer: boolean;

    constructor(user: User) {
        this.writer = user.role === 'admin' || user.role === 'operator';
        const card = el('section', 'om-card dk-housing-grid');
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, zhText('desk.housing.title')), field(zhText('desk.housing.estate'), this.picker));
        card.append(head, this.summary, this.notice.el, this.grid.el);
        this.form.hidden = true;
        this.plans.hidden = true;
        this.el.append(card, this.form, this.plans);
        if (this.writer) {
            // adding an estate or importing its units: the list read again, the estate opened
            this.admin = new EstateAdmin(code => void this.loadEstates(code), user.role === 'admin');
            this.el.append(this.admin.el);
        }
        this.picker.addEventListener('change', () => void this.open(this.picker.value));
    }

    /** The estates do not follow the desk's project: the tab keeps the estate chosen. */
    show(): void {
        if (this.estates.length > 0) return;
        void this.loadEstates(null);
    }

    /** The estates read again; `code` (else the first) opened. */
    private async loadEstates(code: string | null): Promise<void> {
        try {
            const list = await fetchEstates();
            this.estates = list;
            this.picker.replaceChildren(...list.map(e => new Option(`${e.name}（${e.code}）`, e.code)));
            if (list.length === 0) this.summary.textContent = zhText('desk.housing.none');
            else await this.open(list.some(e => e.code === code) ? code! : list[0].code);
        } catch (err) {
            this.notice.fail(zhText('desk.housing.failed', {reason: refusal(err)}));
        }
    }

    private async open(code: string): Promise<void> {
        this.stop();
        this.estate = code;
        this.picker.value = code;
        this.admin?.setEstate(code);
        this.plansFor = null;
        this.form.hidden = true;
        try {
            await this.reload();
        } catch (err) {
            this.notice.fail(zhText('desk.housing.failed', {reason: refusal(err)}));
            return;
        }
        this.stop = followUnits(feedUrl(code, false), code, ev => {
            this.grid.apply(ev);
            this.count();
        }, () => void this.reload());
        this.el.dataset.estate = code;
    }

    private async reload(): Promise<void> {
        if (!this.estate) return;
        this.data = await fetchGrid(this.estate);
        this.grid.show(this.data);
        this.count();
        this.drawPlans();
    }

    /** Writers set a 套型's floor plan: pick the type and an image; the grid's links follow. */
    private drawPlans(): void {
        const data = this.data;
        this.plans.hidden = !this.writer || !data || data.types.length === 0;
        // drawn once per estate: a reload after an upload keeps the form and its notice
        if (this.plans.hidden || !data || this.plansFor === data.code) return;
        this.plansFor = data.code;
        const type = select('type', data.types.map(x => ({value: x.code, zh: `${x.code} ${x.name} ${x.area}㎡`})));
        const file = input('floor_plan', {type: 'file', accept: 'image/png,image/jpeg'});
        const send = button(zhText('desk.housing.plan_upload'));
        const notice = new Notice();
        send.addEventListener('click', () => void whileBusy([send], async () => {
            const chosen = file.files?.[0];
            if (!chosen) {
                notice.fail(zhText('desk.housing.plan_missing'));
                return;
            }
            try {
                await uploadFloorPlan(data.code, type.value, chosen);
                notice.ok(zhText('desk.housing.plan_uploaded', {type: type.value}));
                await this.reload();
            } catch (err) {
                notice.fail(refusal(err));
            }
        }));
        const row = el('div', 'dk-unit-actions');
        row.append(field(zhText('desk.housing.plan_type'), type), field(zhText('desk.housing.plan_file'), file), send);
        this.plans.replaceChildren(el('h2', undefined, zhText('desk.housing.plan_title')), row, notice.el);
    }

    private count(): void {
        const n = this.grid.counts();
        const held = Object.keys(this.data?.holders ?? {}).length;
        this.summary.textContent = zhText('desk.housing.summary', {available: fmtInt(n.available), held: fmtInt(held),
            delivery: this.data?.delivery_planned ?? '—'});
    }

    /** The form of one unit: its details, who holds it, and the steps the clerk may take. */
    private pick(u: UnitRow, building: string): void {
        const [id, entrance, , room, type, area, status, price, orientation] = u;
        const holder = this.data?.holders?.[String(id)];
        this.form.hidden = false;
        this.form.dataset.unit = String(id);
        const title = el('h2', undefined, zhText('desk.housing.unit', {building, entrance, room}));
        const facts = el('p', 'om-card-note', zhText('desk.housing.facts', {type, area, price: fmtInt(price), orientation: orientation ?? '—',
            status: zhText(`housing.status.${status}`)}));
        const nodes: HTMLElement[] = [title, facts];
        if (holder) nodes.push(el('p', undefined, zhText('desk.housing.holder', {household: holder.household, name: holder.name, project: holder.project})));
        const steps = NEXT[status];
        if (!this.writer || steps.length === 0) {
            nodes.push(el('p', 'om-card-note', this.writer ? zhText('desk.housing.final') : zhText('desk.housing.read_only')));
            this.form.replaceChildren(...nodes);
            return;
        }
        const to = select('to', steps.map(s => ({value: s, zh: zhText(`housing.status.${s}`)})));
        const household = input('household', {placeholder: zhText('desk.housing.household_placeholder'), autocomplete: 'off'});
        const householdField = field(zhText('desk.housing.household'), household);
        const sync = () => { householdField.hidden = to.value !== 'selected'; };
        to.addEventListener('change', sync);
        sync();
        const save = button(zhText('desk.housing.save'));
        const notice = new Notice();
        save.addEventListener('click', () => void whileBusy([save], async () => {
            try {
                const next = to.value as UnitStatus;
                await changeUnit(id, next, next === 'selected' ? household.value.trim() || null : null, status);
                notice.ok(zhText('desk.housing.saved', {status: zhText(`housing.status.${next}`)}));
                await this.reload();
                this.form.hidden = true;
            } catch (err) {
                notice.fail(refusal(err));
            }
        }));
        const row = el('div', 'dk-unit-actions');
        row.append(field(zhText('desk.housing.to'), to), householdField, save);
        nodes.push(row, notice.el);
        this.form.replaceChildren(...nodes);
    }
}
