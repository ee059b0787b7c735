// The live ticker: the latest few status changes (five unless told), newest first (time, building or parcel, from → to in the page's language).
import type {IControl} from 'maplibre-gl';
import {onLang, t} from '../i18n';
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
    s.textContent = c ? t(c.key) : value;
    if (c) s.style.setProperty('--om-status', c.color);
    return s;
}

/** "房屋 #42" for a household's change (its building), "地块 #9" for a parcel; the household id goes in the tooltip. */
function subject(ev: StatusEvent): string {
    if (ev.subject === 'parcel') return t('ticker.parcel', {id: ev.parcel_id ?? ev.parcel?.id ?? '?'});
    return ev.building ? t('ticker.building', {id: ev.building.id}) : t('ticker.household', {id: ev.household_id ?? '?'});
}

export class TickerControl implements IControl {
    private root?: HTMLElement;
    private list?: HTMLOListElement;
    private dot?: HTMLElement;
    private connected = false;
    private offLang?: () => void;
    /** The newest event shown: a replay or the start-up backfill never shows one twice. */
    private newest = -Infinity;

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
        this.root = root;
        const words = () => {
            root.setAttribute('aria-label', t('ticker.title'));
            heading.replaceChildren(t('ticker.title'), ' ', this.dot ?? '');
            empty.textContent = t('ticker.waiting');
            this.setConnected(this.connected);
        };
        words();
        this.offLang = onLang(words);
        return root;
    }

    onRemove(): void {
        this.offLang?.();
        this.root?.remove();
    }

    /** The dot in the heading: green while the feed is connected, grey while it reconnects. */
    setConnected(connected: boolean): void {
        this.connected = connected;
        if (!this.dot) return;
        this.dot.classList.toggle('om-feed-on', connected);
        this.dot.title = t(connected ? 'ticker.connected' : 'ticker.reconnecting');
    }

    add(ev: StatusEvent): void {
        if (!this.list || !(ev.event_id > this.newest)) return;
        this.newest = ev.event_id;
        this.list.querySelector('.om-tick-empty')?.remove();
        const cats = ev.subject === 'parcel' ? LAND_STATUS : BUILDING_STATUS;
        const li = document.createElement('li');
        li.dataset.eventId = String(ev.event_id);
        li.title = [
            ev.household_id !== null && t('ticker.household', {id: ev.household_id}),
            ev.actor && t('ticker.actor', {actor: ev.actor}),
            ev.reason && t('ticker.reason', {reason: ev.reason}),
        ].filter(Boolean).join(' · ');
        const when = document.createElement('time');
        when.dateTime = ev.at;
        when.textContent = time(ev.at);
        const what = document.createElement('span');
        what.className = 'om-tick-subject';
        what.textContent = subject(ev);
        const arrow = document.createElement('span');
        arrow.className = 'om-tick-arrow';
        arrow.textContent = '→';
        li.append(when, what, status(cats, ev.from), arrow, status(cats, ev.to));
        this.list.prepend(li);
        while (this.list.children.length > this.keep) this.list.lastElementChild?.remove();
    }
}
