// The live ticker: the latest few status changes and procedure steps (five unless told), newest first (when; project; building or parcel code, from → to; or "项目名 · 步骤名 已完成").
import type {IControl} from 'maplibre-gl';
import {eventTime} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import {BUILDING_STATUS, LAND_STATUS, type Category} from '../map/palette';
import type {ProcedureEvent, StatusEvent} from './types';

const KEEP = 5;

/** The feed's health as the dot shows it: green connected, amber reconnecting, grey not yet connected. */
export type FeedDotState = 'on' | 'retry' | 'off';

/** Sets a feed dot's colour and tooltip; the wall's clock and every ticker use it. */
export function setFeedDot(dot: HTMLElement, state: FeedDotState): void {
    dot.dataset.state = state;
    dot.classList.toggle('om-feed-on', state === 'on');
    dot.title = t(state === 'on' ? 'ticker.connected' : state === 'retry' ? 'ticker.reconnecting' : 'ticker.connecting');
}

function status(cats: Category[], value: string): HTMLElement {
    const s = document.createElement('span');
    s.className = 'om-tick-status';
    const c = cats.find(x => x.value === value);
    s.textContent = c ? t(c.key) : value;
    if (c) s.style.setProperty('--om-status', c.color);
    return s;
}

/** The changed thing: "房屋 330602-…-B0042" for a household's change (its building), "地块 …-P09" for a parcel; ids when an older server sends no codes. */
function thing(ev: StatusEvent): string {
    if (ev.subject === 'parcel') return t('ticker.parcel', {code: ev.parcel?.code ?? `#${ev.parcel_id ?? ev.parcel?.id ?? '?'}`});
    return ev.building ? t('ticker.building', {code: ev.building.code ?? `#${ev.building.id}`}) : t('ticker.household', {id: ev.household_id ?? '?'});
}

/** Two lines beside the time: the project's name, then the building or parcel code and its change from → to. */
function body(ev: StatusEvent): HTMLElement {
    const cats = ev.subject === 'parcel' ? LAND_STATUS : BUILDING_STATUS;
    const project = document.createElement('span');
    project.className = 'om-tick-project';
    project.textContent = ev.project_name ?? '';
    project.title = project.textContent;
    const code = document.createElement('span');
    code.className = 'om-tick-code';
    code.textContent = thing(ev);
    code.title = code.textContent;
    const arrow = document.createElement('span');
    arrow.className = 'om-tick-arrow';
    arrow.textContent = '→';
    const change = document.createElement('span');
    change.className = 'om-tick-change';
    change.append(code, status(cats, ev.from), arrow, status(cats, ev.to));
    const what = document.createElement('span');
    what.className = 'om-tick-subject';
    what.append(project, change);
    return what;
}

/** What a step's change says: done, started, waived, or opened again. */
function stepChange(ev: ProcedureEvent): string {
    const step = ev.step_name;
    if (ev.to === 'done') return t('ticker.step_done', {step});
    if (ev.to === 'waived') return t('ticker.step_waived', {step});
    if (ev.from === 'done' || ev.from === 'waived') return t('ticker.step_reopened', {step});
    return t('ticker.step_started', {step});
}

/** Two lines beside the time: the project's name, then the step's change (and the stage it moved the project to). */
function procedureBody(ev: ProcedureEvent): HTMLElement {
    const project = document.createElement('span');
    project.className = 'om-tick-project';
    project.textContent = ev.project_name;
    project.title = ev.project_name;
    const change = document.createElement('span');
    change.className = 'om-tick-change om-tick-step';
    change.textContent = stepChange(ev);
    if (ev.stage_after !== ev.stage_before) {
        const stage = document.createElement('span');
        stage.className = 'om-tick-stage';
        stage.textContent = t('ticker.stage_moved', {stage: t(`stage.${ev.stage_after}` as MessageKey)});
        change.append(' · ', stage);
    }
    change.title = change.textContent;
    const what = document.createElement('span');
    what.className = 'om-tick-subject';
    what.append(project, change);
    return what;
}

export class TickerControl implements IControl {
    private root?: HTMLElement;
    private list?: HTMLOListElement;
    private dot?: HTMLElement;
    /** The newest event shown: a replay or the start-up backfill never shows one twice. */
    private newest = -Infinity;
    /** The same for procedure events, whose ids are of their own. */
    private newestProcedure = -Infinity;
    private everConnected = false;
    private connected = false;
    private offLang?: () => void;

    /** @param keep how many changes stay listed: the list never grows beyond it (walls run for days). */
    constructor(private keep = KEEP) {}

    onAdd(): HTMLElement {
        const root = document.createElement('section');
        root.className = 'maplibregl-ctrl om-panel om-ticker';
        const heading = document.createElement('h2');
        this.dot = document.createElement('span');
        this.dot.className = 'om-feed-dot';
        this.list = document.createElement('ol');
        this.list.setAttribute('aria-live', 'polite');
        const empty = document.createElement('li');
        empty.className = 'om-tick-empty';
        this.list.append(empty);
        root.append(heading, this.list);
        // the words follow the page's language; the dot keeps its state
        const words = () => {
            root.setAttribute('aria-label', t('ticker.title'));
            heading.replaceChildren(t('ticker.title'), ' ', this.dot ?? '');
            empty.textContent = t('ticker.waiting');
            if (this.dot) setFeedDot(this.dot, this.connected ? 'on' : this.everConnected ? 'retry' : 'off');
        };
        words();
        this.offLang = onLang(words);
        this.root = root;
        return root;
    }

    onRemove(): void {
        this.offLang?.();
        this.root?.remove();
    }

    /** The dot in the heading: green while the feed is connected, amber while it reconnects. */
    setConnected(connected: boolean): void {
        this.everConnected ||= connected;
        this.connected = connected;
        if (this.dot) setFeedDot(this.dot, connected ? 'on' : this.everConnected ? 'retry' : 'off');
    }

    add(ev: StatusEvent): void {
        if (!this.list || !(ev.event_id > this.newest)) return;
        this.newest = ev.event_id;
        const li = document.createElement('li');
        li.dataset.eventId = String(ev.event_id);
        if (ev.building) li.dataset.buildingId = String(ev.building.id);
        li.title = [
            ev.household_id !== null && t('ticker.household', {id: ev.household_id}),
            ev.actor && t('ticker.actor', {actor: ev.actor}),
            ev.reason && t('ticker.reason', {reason: ev.reason}),
        ].filter(Boolean).join(' · ');
        const time = document.createElement('time');
        time.dateTime = ev.at;
        time.textContent = eventTime(ev.at);
        li.append(time, body(ev));
        this.prepend(li);
    }

    /** A procedure step's change: "项目名 · 步骤名 已完成". */
    addProcedure(ev: ProcedureEvent): void {
        if (!this.list || !(ev.procedure_id > this.newestProcedure)) return;
        this.newestProcedure = ev.procedure_id;
        const li = document.createElement('li');
        li.className = 'om-tick-procedure';
        li.dataset.procedureId = String(ev.procedure_id);
        li.dataset.projectId = String(ev.project_id);
        li.title = [ev.actor && t('ticker.actor', {actor: ev.actor}), ev.reason && t('ticker.reason', {reason: ev.reason})].filter(Boolean).join(' · ');
        const time = document.createElement('time');
        time.dateTime = ev.at;
        time.textContent = eventTime(ev.at);
        li.append(time, procedureBody(ev));
        this.prepend(li);
    }

    private prepend(li: HTMLLIElement): void {
        if (!this.list) return;
        this.list.querySelector('.om-tick-empty')?.remove();
        this.list.prepend(li);
        while (this.list.children.length > this.keep) this.list.lastElementChild?.remove();
    }
}
