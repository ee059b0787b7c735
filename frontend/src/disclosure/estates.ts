// The public 安置房源 pages: every estate as a card (where, when delivered, units left by status), and one estate's 楼盘表, live, with statuses only (no household, no name: the server's residents' role cannot read them).
import {fmtInt} from '../format';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {STATUSES, feedUrl, fetchPublicGrid, type EstateSummary} from '../housing/api';
import {UnitGrid, followUnits} from '../housing/grid';

/** `#e/CODE`: one estate's 楼盘表. */
export const estateHref = (code: string) => `#e/${encodeURIComponent(code)}`;

function card(e: EstateSummary): HTMLElement {
    const a = el('a', 'pub-card pub-project pub-estate');
    a.href = estateHref(e.code);
    a.dataset.code = e.code;
    a.append(el('h3', undefined, e.name), el('p', 'pub-meta pub-place', [e.region_name, e.address].filter(Boolean).join(' · ')),
        el('p', 'pub-meta', zhText('public.estates.meta', {buildings: e.buildings, units: fmtInt(e.units), delivery: e.delivery_planned ?? '—'})));
    const counts = el('p', 'pub-estate-counts');
    for (const s of STATUSES) {
        const item = el('span', 'hs-legend-item');
        item.append(el('i', `hs-swatch hs-${s}`), `${zhText(`housing.status.${s}`)} ${fmtInt(e.counts?.[s] ?? 0)}`);
        counts.append(item);
    }
    a.append(counts);
    return a;
}

export function estateList(estates: EstateSummary[]): HTMLElement {
    const section = el('section', 'pub-projects');
    section.setAttribute('aria-label', zhText('public.estates.title', {count: estates.length}));
    section.append(el('h2', 'pub-section-title', zhText('public.estates.title', {count: estates.length})),
        el('p', 'pub-meta', zhText('public.estates.hint')));
    const grid = el('div', 'pub-project-grid');
    grid.append(...estates.map(card));
    if (estates.length === 0) grid.append(el('p', 'pub-card om-empty', zhText('public.estates.none')));
    section.append(grid);
    return section;
}

/** One estate's live 楼盘表; `stop` closes its feed when the page moves on. */
export async function estatePage(code: string): Promise<{nodes: HTMLElement[]; title: string; stop: () => void}> {
    const data = await fetchPublicGrid(code);
    const grid = new UnitGrid();
    grid.show(data);
    const head = el('section', 'pub-card');
    const back = el('a', 'om-link', zhText('public.estates.back'));
    back.href = '#estates';
    head.append(back, el('h2', undefined, data.name), el('p', 'pub-meta', [data.region_name, data.address].filter(Boolean).join(' · ')),
        el('p', 'pub-meta', zhText('public.estates.types', {types: data.types.map(t => `${t.code}型 ${t.name} ${t.area}㎡`).join('；')})),
        el('p', 'pub-meta', zhText('public.estates.delivery', {day: data.delivery_planned ?? '—'})));
    const body = el('section', 'pub-card');
    body.append(el('h2', undefined, zhText('public.estates.grid')), grid.el, el('p', 'pub-meta', zhText('public.estates.privacy')));
    const stop = followUnits(feedUrl(code, true), code, ev => grid.apply(ev), () => void fetchPublicGrid(code).then(g => grid.show(g)));
    return {nodes: [head, body], title: zhText('public.estates.page_title', {estate: data.name}), stop};
}
