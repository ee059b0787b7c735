// The live ticker: the latest few status changes (five unless told), newest first (time, building or parcel, from → to in Chinese).
import type {IControl} from 'maplibre-gl';
import {BUILDING_STATUS, LAND_STATUS, type Category} from '../map/palette';
import type {StatusEvent} from './types';

const KEEP = 5;

const time = (at: string) => {
    const d = new Date(at);
    return Number.isNaN(d.getTime()) ? at : d.toLocaleTimeString('zh-CN', {hour12: false});
};

function status(cats: Category[], value: string): HTMLElement {
    const s = document.createElement('span');
    s.className = 'om-tick-status';
    const c = cats.find(x => x.value === value);
    s.textContent = c?.zh ?? value;
    s.title = c?.en ?? value;
    if (c) s.style.setProperty('--om-status', c.color);
    return s;
}

/** "房屋 #42" for a household's change (its building), "地块 #9" for a parcel; the household id goes in the tooltip. */
function subject(ev: StatusEvent): string {
    if (ev.subject === 'parcel') return `地块 #${ev.parcel_id ?? ev.parcel?.id ?? '?'}`;
    return ev.building ? `房屋 #${ev.building.id}` : `户 #${ev.household_id ?? '?'}`;
}

export class TickerControl implements IControl {
    private root?: HTMLElement;
    private list?: HTMLOListElement;
    private dot?: HTMLElement;
    /** The newest event shown: a replay or the start-up backfill never shows one twice. */
    private newest = -Infinity;

    /** @param keep how many changes stay listed: the list never grows beyond it (walls run for days). */
    constructor(private keep = KEEP) {}

    onAdd(): HTMLElement {
        const root = document.createElement('section');
        root.className = 'maplibregl-ctrl om-panel om-ticker';
        root.setAttribute('aria-label', '实时动态 Live changes');
        root.innerHTML = '<h2>实时动态 <small>Live</small><span class="om-feed-dot"></span></h2>';
        this.dot = root.querySelector<HTMLElement>('.om-feed-dot') ?? undefined;
        this.setConnected(false);
        this.list = document.createElement('ol');
        this.list.setAttribute('aria-live', 'polite');
        const empty = document.createElement('li');
        empty.className = 'om-tick-empty';
        empty.textContent = '等待变更… waiting for changes';
        this.list.append(empty);
        root.append(this.list);
        this.root = root;
        return root;
    }

    onRemove(): void {
        this.root?.remove();
    }

    /** The dot in the heading: green while the feed is connected, grey while it reconnects. */
    setConnected(connected: boolean): void {
        if (!this.dot) return;
        this.dot.classList.toggle('om-feed-on', connected);
        this.dot.title = connected ? '已连接 · connected' : '连接中断，正在重连 · reconnecting';
    }

    add(ev: StatusEvent): void {
        if (!this.list || !(ev.event_id > this.newest)) return;
        this.newest = ev.event_id;
        this.list.querySelector('.om-tick-empty')?.remove();
        const cats = ev.subject === 'parcel' ? LAND_STATUS : BUILDING_STATUS;
        const li = document.createElement('li');
        li.dataset.eventId = String(ev.event_id);
        li.title = [
            ev.household_id !== null && `户 household #${ev.household_id}`,
            ev.actor && `操作人 ${ev.actor}`,
            ev.reason && `原因 ${ev.reason}`,
        ].filter(Boolean).join(' · ');
        const t = document.createElement('time');
        t.dateTime = ev.at;
        t.textContent = time(ev.at);
        const what = document.createElement('span');
        what.className = 'om-tick-subject';
        what.textContent = subject(ev);
        const arrow = document.createElement('span');
        arrow.className = 'om-tick-arrow';
        arrow.textContent = '→';
        li.append(t, what, status(cats, ev.from), arrow, status(cats, ev.to));
        this.list.prepend(li);
        while (this.list.children.length > this.keep) this.list.lastElementChild?.remove();
    }
}
