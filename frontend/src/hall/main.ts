// Entry point of the selection hall's big screen (/hall/?day=ID, 选房大屏): public, no login; whose turn, the next households, units left per 套型 and the last choices, redrawn from the day's SSE feed.
import '@fontsource-variable/noto-sans-sc';
import './hall.css';
import {appUrl, getJson, refusal} from '../api/client';
import {zhText, type MessageKey} from '../i18n';
import {el, errorLine} from '../ui/dom';

type Queued = {code: string; position: number | null; entitled_area: number};
type TypeLeft = {estate: string; code: string; name: string; area: number; available: number; total: number};
type Chosen = {code: string; unit: string; estate: string; type: string; area: number; state: string; at: string};
export type Hall = {
    day: {id: number; project_code: string; project_name: string; day: string; status: 'planned' | 'open' | 'closed'; order_by: 'signing' | 'lottery'; drawn: boolean};
    turn: Queued[];
    next: Queued[];
    counts: {waiting: number; called: number; done: number; absent: number};
    types: TypeLeft[];
    last: Chosen[];
};

declare global {
    interface Window {
        /** How many hall events arrived and the last one: for the browser tests and the benchmark. */
        __hall?: {events: number; hall: Hall | null};
    }
}

function panel(title: string, ...children: HTMLElement[]): HTMLElement {
    const box = el('section', 'hl-panel');
    box.append(el('h2', undefined, title), ...children);
    return box;
}

function turnPanel(h: Hall): HTMLElement {
    const turn = el('div', 'hl-turn');
    if (h.turn.length === 0) turn.append(el('span', 'hl-empty', zhText('hall.turn_none')));
    for (const q of h.turn) {
        const line = el('div', undefined, q.code);
        line.append(el('small', undefined, zhText('hall.entitled', {area: q.entitled_area})));
        turn.append(line);
    }
    const next = el('div', 'hl-next');
    next.append(el('span', undefined, zhText('hall.next')));
    next.append(...h.next.map(q => el('div', undefined, `${q.position ?? ''}. ${q.code}`)));
    const counts = el('div', 'hl-counts', zhText('hall.counts', {...h.counts}));
    return panel(zhText('hall.turn'), turn, next, counts);
}

function typesPanel(h: Hall): HTMLElement {
    const table = el('table', 'hl-types');
    const head = el('tr');
    for (const [key, cls] of [['hall.estate', ''], ['hall.type', ''], ['hall.area', 'hl-num'], ['hall.left', 'hl-num']] as const) {
        head.append(el('th', cls || undefined, zhText(key)));
    }
    table.append(head);
    for (const t of h.types) {
        const row = el('tr');
        row.append(el('td', undefined, t.estate), el('td', undefined, t.name), el('td', 'hl-num', String(t.area)),
            el('td', t.available === 0 ? 'hl-num hl-none' : 'hl-num', `${t.available} / ${t.total}`));
        table.append(row);
    }
    return panel(zhText('hall.types'), h.types.length ? table : el('p', 'hl-empty', zhText('hall.none_yet')));
}

function lastPanel(h: Hall): HTMLElement {
    const list = el('ul', 'hl-last');
    for (const c of h.last) {
        const li = el('li');
        li.append(el('b', undefined, c.code), `${c.estate} ${c.unit} · ${c.type} ${c.area} m²`);
        if (c.state === 'pending') li.append(el('span', 'hl-pending', zhText('hall.pending')));
        list.append(li);
    }
    return panel(zhText('hall.last'), h.last.length ? list : el('p', 'hl-empty', zhText('hall.none_yet')));
}

const ORDER: Record<Hall['day']['order_by'], MessageKey> = {signing: 'hall.order.signing', lottery: 'hall.order.lottery'};
const STATUS: Record<Hall['day']['status'], MessageKey> = {planned: 'hall.status.planned', open: 'hall.status.open', closed: 'hall.status.closed'};

function draw(app: HTMLElement, h: Hall, live: HTMLElement): void {
    const title = el('header', 'hl-title');
    title.append(el('h1', undefined, zhText('hall.heading', {project: h.day.project_name})),
        el('span', 'hl-meta', zhText('hall.meta', {day: h.day.day, order: zhText(ORDER[h.day.order_by]), status: zhText(STATUS[h.day.status])})),
        live);
    const screen = el('div', 'hl-screen');
    screen.append(title, turnPanel(h), typesPanel(h), lastPanel(h));
    app.replaceChildren(screen);
}

async function start(): Promise<void> {
    const app = document.getElementById('app')!;
    const day = Number(new URLSearchParams(location.search).get('day'));
    if (!Number.isInteger(day) || day <= 0) {
        app.append(errorLine(zhText('hall.no_day')));
        return;
    }
    window.__hall = {events: 0, hall: null};
    const live = el('span', 'hl-live', zhText('hall.live'));
    try {
        const first = await getJson<Hall>(`api/public/selection-days/${day}/hall`);
        window.__hall.hall = first;
        draw(app, first, live);
    } catch (err) {
        app.append(errorLine(zhText('hall.failed', {reason: refusal(err)})));
        return;
    }
    // the feed sends the whole screen at once and on every change; EventSource reconnects by itself
    const feed = new EventSource(appUrl(`api/public/selection-days/${day}/events`));
    feed.addEventListener('hall', e => {
        const h = JSON.parse((e as MessageEvent<string>).data) as Hall;
        window.__hall = {events: (window.__hall?.events ?? 0) + 1, hall: h};
        live.textContent = zhText('hall.live');
        live.classList.remove('hl-stale');
        draw(app, h, live);
    });
    feed.addEventListener('error', () => {
        live.textContent = zhText('hall.stale');
        live.classList.add('hl-stale');
    });
}

void start();
