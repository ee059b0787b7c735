// The households of one or more buildings with their states, a choice of households, "one step forward" (签约, 腾空…) or 退回 with a reason, a result per household and a retry at the new version when one was stale. Shared by the cockpit's side panel, the desk's household file and the phone's field screen.
import '../ui/controls.css';
import './status.css';
import type {User} from '../auth/api';
import {onLang, type MessageKey} from '../i18n';
import {fmtTime} from '../format';
import type {StatusEvent} from '../live/types';
import {BUILDING_STATUS} from '../map/palette';
import {el} from '../ui/dom';
import {fetchBuilding, type BuildingDoc, type HouseholdState, type HouseholdStatus} from './api';
import {confirmWrite, type Tr} from './confirm';
import {maySendBack, mayWrite, statusKey, stepKey} from './steps';
import {perform, targetOf, type Action, type Outcome} from './work';

export type WorkOptions = {
    user: User;
    /** t() on pages with a language switch, zhText() on the desk. */
    tr: Tr;
    /** Big rows and buttons for a thumb (the phone). */
    big?: boolean;
    /** Something more on each household's row (the phone's photo button). */
    rowExtra?: (h: HouseholdState, now: () => HouseholdState) => HTMLElement | null;
    /** Show only these households of the buildings (the desk's one household). */
    only?: number[];
    /** Called after every write that went through, with the households' new states. */
    onWritten?: (households: HouseholdState[]) => void;
};

/** The map's colour of each state, so the list reads like the map. */
const COLOR: Record<string, string> = Object.fromEntries(BUILDING_STATUS.map(c => [c.value, c.color]));

/** The part of a household's code after its building's: "H01" of "…-B0001-H01". */
const shortCode = (h: HouseholdState, b: BuildingDoc) => (h.code.startsWith(`${b.code}-`) ? h.code.slice(b.code.length + 1) : h.code);

export class StatusWork {
    readonly el = el('section', 'om-sw');
    private buildings: BuildingDoc[] = [];
    private selected = new Set<number>();
    private outcomes = new Map<number, Outcome>();
    /** Households another writer changed while shown (live feed): id → who. */
    private changedLive = new Map<number, string>();
    private list = el('div', 'om-sw-list');
    private bar = el('div', 'om-sw-bar');
    private summary = el('p', 'om-sw-summary');
    private busy = false;
    private extras = new Map<number, HTMLElement | null>();

    constructor(private opts: WorkOptions) {
        this.el.classList.toggle('om-sw-big', !!opts.big);
        this.summary.setAttribute('role', 'status');
        this.el.append(this.list, this.summary, this.bar);
        onLang(() => this.render());
    }

    /** What the last run came to, kept as a key so a language switch rewrites it. */
    private said: [MessageKey, Record<string, number>] | null = null;

    private say(key: MessageKey | null, values: Record<string, number> = {}): void {
        this.said = key ? [key, values] : null;
        this.summary.textContent = key ? this.opts.tr(key, values) : '';
    }

    get writable(): boolean { return mayWrite(this.opts.user); }

    /** Shows these buildings' households; `preselect` ticks some (the desk's one household). */
    show(buildings: BuildingDoc[], preselect: number[] = []): void {
        this.buildings = buildings;
        this.selected = new Set(preselect);
        this.outcomes.clear();
        this.changedLive.clear();
        this.say(null);
        this.render();
    }

    /** The households of `b` shown. */
    private shown(b: BuildingDoc): HouseholdState[] {
        const only = this.opts.only;
        return (b.households ?? []).filter(h => !only || only.includes(h.id));
    }

    /** Every household shown. */
    private households(): HouseholdState[] {
        return this.buildings.flatMap(b => this.shown(b));
    }

    /** A live event: the household's new state and version, marked with who changed it. */
    apply(ev: StatusEvent): void {
        if (ev.subject !== 'household' || ev.household_id === null || ev.version === undefined) return;
        const h = this.households().find(x => x.id === ev.household_id);
        if (!h || h.version >= ev.version) return;
        Object.assign(h, {status: ev.to as HouseholdStatus, version: ev.version,
            last_event: {id: ev.event_id, from: ev.from as HouseholdStatus, to: ev.to as HouseholdStatus, actor: ev.actor, at: ev.at, reason: ev.reason}});
        // Someone else's change is marked; the writer's own come back through the feed too.
        if (ev.actor !== this.opts.user.username) this.changedLive.set(h.id, ev.actor ?? '');
        this.render();
    }

    private render(): void {
        const tr = this.opts.tr;
        this.list.replaceChildren();
        if (this.said) this.say(...this.said);
        for (const b of this.buildings) {
            const group = el('div', 'om-sw-building');
            group.dataset.building = String(b.id);
            const head = el('div', 'om-sw-building-head');
            const hs = this.shown(b);
            if (this.writable && hs.length > 1) {
                const all = el('input');
                all.type = 'checkbox';
                all.className = 'om-sw-all';
                all.checked = hs.every(h => this.selected.has(h.id));
                all.title = tr('status.work.select_building', {code: b.code});
                all.addEventListener('change', () => {
                    for (const h of hs) if (all.checked) this.selected.add(h.id); else this.selected.delete(h.id);
                    this.render();
                });
                const allLabel = el('label', 'om-sw-all-label');
                allLabel.append(all, tr('status.work.all'));
                head.append(allLabel);
            }
            head.append(el('strong', undefined, b.code), el('span', 'om-sw-project', b.project_name));
            group.append(head);
            if (!hs.length) group.append(el('p', 'om-empty', tr('status.work.no_households')));
            for (const h of hs) group.append(this.row(h, b));
            this.list.append(group);
        }
        this.renderBar();
    }

    private row(h: HouseholdState, b: BuildingDoc): HTMLElement {
        const tr = this.opts.tr;
        const row = el('div', 'om-sw-row');
        row.dataset.household = String(h.id);
        row.dataset.status = h.status;
        const label = el('label', 'om-sw-pick');
        if (this.writable) {
            const box = el('input');
            box.type = 'checkbox';
            box.checked = this.selected.has(h.id);
            box.addEventListener('change', () => {
                if (box.checked) this.selected.add(h.id); else this.selected.delete(h.id);
                this.renderBar();
            });
            label.append(box);
        }
        const code = el('span', 'om-sw-code', shortCode(h, b));
        code.title = h.code;
        const state = el('span', 'om-sw-state');
        const swatch = el('span', 'om-swatch');
        swatch.style.background = COLOR[h.status] ?? '';
        state.append(swatch, tr(statusKey(h.status)));
        state.dataset.status = h.status;
        label.append(code, state);
        row.append(label);
        const e = h.last_event;
        if (e) {
            const last = el('span', 'om-sw-last', tr('status.work.last_event', {actor: e.actor ?? '—', at: fmtTime(e.at)}));
            // a send-back's reason stays in sight where the household is worked on
            if (e.reason) last.append(el('span', 'om-sw-reason-text', ` · ${e.reason}`));
            row.append(last);
        }
        // Made once per household: a redraw (a live event, a write) must not drop a photo half chosen.
        if (!this.extras.has(h.id)) this.extras.set(h.id, this.opts.rowExtra?.(h, () => this.households().find(x => x.id === h.id) ?? h) ?? null);
        const extra = this.extras.get(h.id);
        if (extra) row.append(extra);
        const who = this.changedLive.get(h.id);
        if (who !== undefined) row.append(el('p', 'om-sw-live', tr('status.work.changed_live', {actor: who || '—', status: tr(statusKey(h.status))})));
        const outcome = this.outcomes.get(h.id);
        if (outcome) row.append(this.outcomeLine(outcome));
        return row;
    }

    private outcomeLine(o: Outcome): HTMLElement {
        const tr = this.opts.tr;
        const line = el('div', `om-sw-result om-sw-${o.kind}`);
        line.dataset.result = o.kind;
        if (o.kind === 'done') {
            line.textContent = tr('status.result.done', {status: tr(statusKey(o.to)), version: o.version});
        } else if (o.kind === 'failed') {
            line.textContent = tr('status.result.failed', {reason: o.message || tr('status.result.nothing_to_do')});
        } else {
            const now = o.now;
            const e = now.last_event;
            line.append(el('span', undefined, tr('status.result.stale', {
                actor: e?.actor ?? '—', at: fmtTime(e?.at), status: tr(statusKey(now.status)), version: now.version, was: tr(statusKey(o.household.status)),
            })));
            const action = this.lastAction;
            const to = action ? targetOf(now, action) : null;
            if (action && to && (action.kind === 'forward' || maySendBack(this.opts.user, now))) {
                const retry = el('button', 'om-btn om-btn-primary om-sw-retry', tr('status.result.retry', {step: this.stepName(action, to), version: now.version}));
                retry.type = 'button';
                retry.addEventListener('click', () => void this.retry(now, action, retry));
                line.append(retry);
            }
        }
        return line;
    }

    private stepName(action: Action, to: HouseholdStatus): string {
        return action.kind === 'forward' ? this.opts.tr(stepKey(to)) : this.opts.tr('status.work.back_to', {status: this.opts.tr(statusKey(to))});
    }

    private chosen(): HouseholdState[] {
        return this.households().filter(h => this.selected.has(h.id));
    }

    private renderBar(): void {
        const tr = this.opts.tr;
        this.bar.replaceChildren();
        this.bar.hidden = !this.writable;
        if (!this.writable) return;
        const chosen = this.chosen();
        const forward = chosen.filter(h => targetOf(h, {kind: 'forward'}));
        const targets = new Set(forward.map(h => targetOf(h, {kind: 'forward'})!));
        const step = targets.size === 1 ? tr(stepKey([...targets][0])) : tr('status.work.forward');
        const go = el('button', 'om-btn om-btn-primary om-sw-forward',
            forward.length ? tr('status.work.forward_count', {step, count: forward.length}) : tr('status.work.forward'));
        go.type = 'button';
        go.disabled = this.busy || forward.length === 0;
        go.addEventListener('click', () => void this.run({kind: 'forward'}, forward));
        this.bar.append(el('span', 'om-sw-count', tr('status.work.selected', {count: chosen.length})), go);
        if (this.opts.user.role === 'admin') {
            const back = chosen.filter(h => maySendBack(this.opts.user, h));
            const b = el('button', 'om-btn om-btn-danger om-sw-back', back.length ? tr('status.work.back_count', {count: back.length}) : tr('status.work.back'));
            b.type = 'button';
            b.disabled = this.busy || back.length === 0;
            b.title = tr('status.work.back_hint');
            b.addEventListener('click', () => void this.run({kind: 'back', reason: ''}, back));
            this.bar.append(b);
        }
    }

    private lastAction: Action | null = null;

    /** Confirms, then writes each household in turn (each its own request: one stale household does not sink the others). */
    private async run(kind: Action, targets: HouseholdState[]): Promise<void> {
        const tr = this.opts.tr;
        const code = (h: HouseholdState) => h.code;
        const lines = targets.map(h => tr('status.confirm.line', {code: code(h), from: tr(statusKey(h.status)), to: tr(statusKey(targetOf(h, kind)!))}));
        const step = kind.kind === 'forward' ? (new Set(targets.map(h => targetOf(h, kind))).size === 1 ? tr(stepKey(targetOf(targets[0], kind)!)) : tr('status.work.forward')) : tr('status.work.back');
        const reason = await confirmWrite(tr, {
            title: tr('status.confirm.title', {step, count: targets.length}), lines, needsReason: kind.kind === 'back',
            confirmLabel: tr('status.confirm.ok', {step}), danger: kind.kind === 'back',
        });
        if (reason === null) return;
        const action: Action = kind.kind === 'back' ? {kind: 'back', reason} : kind;
        this.lastAction = action;
        this.busy = true;
        this.changedLive.clear();
        this.renderBar();
        let i = 0;
        for (const h of targets) {
            this.say('status.work.progress', {done: ++i, count: targets.length});
            this.outcomes.set(h.id, await perform({...h}, action));
        }
        this.busy = false;
        await this.refresh();
        const counts = {done: 0, stale: 0, failed: 0};
        for (const h of targets) counts[this.outcomes.get(h.id)!.kind]++;
        this.say('status.work.summary', counts);
        this.el.dataset.done = String(counts.done);
    }

    private async retry(now: HouseholdState, action: Action, button: HTMLButtonElement): Promise<void> {
        button.disabled = true;
        const outcome = await perform({...now}, action);
        this.outcomes.set(now.id, outcome);
        await this.refresh();
        this.say(outcome.kind === 'done' ? 'status.result.retried' : 'status.result.retry_failed');
    }

    /** Reads the shown buildings again (new versions, who acted), keeping the results; tells the page what was written. */
    private async refresh(): Promise<void> {
        const fresh = await Promise.all(this.buildings.map(b => fetchBuilding(b.id).catch(() => b)));
        this.buildings = fresh;
        // A written household leaves the choice: the next click should be a decision, not a repeat.
        const written = [...this.outcomes.values()].filter(o => o.kind === 'done').map(o => o.household.id);
        for (const id of written) this.selected.delete(id);
        this.render();
        const states = this.households().filter(h => written.includes(h.id));
        if (states.length) this.opts.onWritten?.(states);
    }
}
