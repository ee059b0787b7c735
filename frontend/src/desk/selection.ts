// The 选房 tab: its preparation (rules, a new day: selection-setup.ts) and the clerk's console of a selection day — the project's days, open or draw one, call the next household, pick its units, record, confirm, cancel or skip it; the queue below. Every refusal (a unit another clerk took first: 409 naming it) is shown as the server words it.
import {getJson, refusal, sendJson} from '../api/client';
import type {User} from '../auth/api';
import {fmtYuan} from '../format';
import {zhText, type MessageKey} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, select, whileBusy} from '../ui/form';
import {SelectionSetup} from './selection-setup';

type DaySummary = {id: number; day: string; status: 'planned' | 'open' | 'closed'; order_by: 'signing' | 'lottery'; drawn_at: string | null; households: number; done: number};
type QueueRow = {household_id: number; code: string; holder_name: string; entitled_area: number; position: number | null; state: string; called_by: string | null; choices: {unit_id: number; state: string}[]};
type Day = {id: number; project_code: string; day: string; status: DaySummary['status']; order_by: DaySummary['order_by']; drawn_at: string | null; queue: QueueRow[]};
type Unit = {id: number; estate: string; building: string; entrance: number; room: string; type: string; area: number; price_per_m2: number; market_price_per_m2: number; status: string};
type Household = QueueRow & {settlement: {swap_yuan: number; within_area: number; beyond_area: number; unused_area: number} | null};

const STATE: Record<string, MessageKey> = {
    waiting: 'desk.selection.state.waiting', called: 'desk.selection.state.called', done: 'desk.selection.state.done', absent: 'desk.selection.state.absent',
};

export class SelectionTab {
    readonly el = el('section', 'om-card dk-selection');
    private days = select('selection_day', []);
    private tools = el('div', 'dk-search');
    private counter = el('div', 'dk-sel-counter');
    private queue = el('ol', 'dk-sel-queue');
    private notice = new Notice();
    private project: string | null = null;
    private day: Day | null = null;
    private units: Unit[] = [];
    private picked = new Set<number>();
    private setup: SelectionSetup;

    constructor(private user: User) {
        this.el.setAttribute('aria-label', zhText('desk.selection.tab'));
        const head = el('header', 'om-card-head');
        head.append(el('h2', undefined, zhText('desk.selection.title')));
        this.days.addEventListener('change', () => void this.load(Number(this.days.value)));
        // a new day is listed and opened in the console
        this.setup = new SelectionSetup(user, id => void this.list(id));
        this.el.append(head, this.setup.el, this.tools, this.notice.el, this.counter, el('h3', undefined, zhText('desk.selection.queue')), this.queue);
    }

    show(project: string): void {
        this.project = project;
        this.setup.show(project);
        void this.list();
    }

    /** The project's days in the picker, then the day `prefer` (else the open one, else the newest) loaded. */
    private async list(prefer?: number): Promise<void> {
        const project = this.project!;
        try {
            const r = await getJson<{days: DaySummary[]}>(`api/projects/${encodeURIComponent(project)}/selection-days`);
            this.days.replaceChildren(...r.days.map(d => new Option(zhText('desk.selection.day_option', {day: d.day, done: d.done, households: d.households}), String(d.id))));
            if (r.days.length === 0) {
                this.tools.replaceChildren(el('p', 'om-card-note', zhText('desk.selection.no_days')));
                this.counter.replaceChildren();
                this.queue.replaceChildren();
                return;
            }
            const shown = r.days.find(d => d.id === prefer) ?? r.days.find(d => d.status === 'open') ?? r.days[0];
            this.days.value = String(shown.id);
            await this.load(shown.id);
        } catch (err) {
            this.notice.fail(refusal(err));
        }
    }

    private async load(id: number): Promise<void> {
        if (this.day && this.day.id !== id) this.notice.clear(); // another day: the last one's words go
        try {
            [this.day, this.units] = await Promise.all([
                getJson<Day>(`api/selection-days/${id}`),
                getJson<{units: Unit[]}>(`api/selection-days/${id}/units`).then(r => r.units),
            ]);
            this.draw();
        } catch (err) {
            this.notice.fail(refusal(err));
        }
    }

    /** Runs a write on the day, then reloads it; the server's refusal goes to the notice. */
    private async act(buttons: HTMLButtonElement[], path: string, body: unknown, done: MessageKey): Promise<void> {
        const day = this.day!;
        await whileBusy(buttons, async () => {
            try {
                const r = await sendJson<Household>('POST', `api/selection-days/${day.id}/${path}`, body);
                const swap = r?.settlement?.swap_yuan;
                this.notice.ok(zhText(done, {code: r?.code ?? '', swap: swap === undefined ? '' : fmtYuan(swap)}));
                this.picked.clear();
            } catch (err) {
                this.notice.fail(refusal(err));
            }
            // the picker's counts and the day alike
            await this.list(day.id);
        });
    }

    private draw(): void {
        const day = this.day!;
        const tools: HTMLElement[] = [field(zhText('desk.selection.day'), this.days)];
        if (day.status === 'planned' && day.order_by === 'lottery' && !day.drawn_at) {
            const b = button(zhText('desk.selection.draw'));
            b.addEventListener('click', () => void this.act([b], 'draw', {}, 'desk.selection.drawn'));
            tools.push(b);
        } else if (day.status === 'planned') {
            const b = button(zhText('desk.selection.open'));
            b.addEventListener('click', () => void this.act([b], 'open', {}, 'desk.selection.opened'));
            tools.push(b);
        } else if (day.status === 'open') {
            // the end of the day: whoever has not chosen may be queued on the next one
            const b = button(zhText('desk.selection.close'), 'quiet');
            b.addEventListener('click', () => void this.act([b], 'close', {}, 'desk.selection.closed'));
            tools.push(b);
        }
        const hall = el('a', 'om-link', zhText('desk.selection.hall'));
        hall.href = `../hall/?day=${day.id}`;
        hall.target = '_blank';
        tools.push(hall);
        this.tools.replaceChildren(...tools);

        const mine = day.queue.find(q => q.state === 'called' && q.called_by === this.user.username);
        this.counter.replaceChildren(mine ? this.serving(mine) : this.idle(day));
        this.queue.replaceChildren(...day.queue.map(q => {
            const li = el('li', `dk-sel-${q.state}`);
            li.append(el('b', undefined, q.code), ` ${q.holder_name} · ${zhText('desk.selection.entitled', {area: q.entitled_area})} · ${zhText(STATE[q.state] ?? 'desk.selection.state.waiting')}`);
            return li;
        }));
    }

    private idle(day: Day): HTMLElement {
        const box = el('div', 'dk-sel-idle');
        if (day.status !== 'open') {
            box.append(el('p', 'om-card-note', zhText('desk.selection.not_open')));
            return box;
        }
        const call = button(zhText('desk.selection.call'));
        call.addEventListener('click', () => void this.act([call], 'call', {}, 'desk.selection.called'));
        box.append(call);
        return box;
    }

    private serving(q: QueueRow): HTMLElement {
        const box = el('div', 'dk-sel-serving');
        box.append(el('h3', undefined, zhText('desk.selection.serving', {code: q.code, name: q.holder_name, area: q.entitled_area})));
        const held = new Set(q.choices.map(c => c.unit_id));
        const grid = el('div', 'dk-sel-units');
        for (const u of this.units.filter(u => u.status === 'available' || held.has(u.id))) {
            const b = el('button', 'dk-sel-unit', `${u.building}-${u.entrance}-${u.room} ${u.type} ${u.area}m²`);
            b.type = 'button';
            b.dataset.unit = String(u.id);
            b.setAttribute('aria-pressed', String(held.has(u.id) || this.picked.has(u.id)));
            b.disabled = held.has(u.id);
            b.addEventListener('click', () => {
                if (this.picked.has(u.id)) this.picked.delete(u.id); else this.picked.add(u.id);
                b.setAttribute('aria-pressed', String(this.picked.has(u.id)));
            });
            grid.append(b);
        }
        const base = `households/${q.household_id}`;
        const choose = button(zhText('desk.selection.choose'));
        const confirm = button(zhText('desk.selection.confirm'));
        const cancel = button(zhText('desk.selection.cancel'), 'quiet');
        const absent = button(zhText('desk.selection.absent'), 'danger');
        const all = [choose, confirm, cancel, absent];
        choose.addEventListener('click', () => void this.act(all, `${base}/choose`, {units: [...this.picked]}, 'desk.selection.chosen'));
        confirm.addEventListener('click', () => void this.act(all, `${base}/confirm`, held.size ? {} : {no_units: true}, 'desk.selection.confirmed'));
        cancel.addEventListener('click', () => void this.act(all, `${base}/cancel`, {}, 'desk.selection.cancelled'));
        absent.addEventListener('click', () => void this.act(all, `${base}/skip`, {reason: 'absent'}, 'desk.selection.skipped'));
        const row = el('div', 'dk-sel-actions');
        row.append(...all);
        box.append(grid, row);
        return box;
    }
}
