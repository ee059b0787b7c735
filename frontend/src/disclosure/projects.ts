// The public home: the published projects as cards a page at a time (name, where it is: city · district · street · village, kind, dates, households signed), with a search box and city and district filters the server applies.
import {fmtInt, fmtPct} from '../format';
import {PROJECT_KIND_ZH} from '../labels';
import {zhText} from '../i18n';
import {el, rateBar} from '../ui/dom';
import {field, input, select} from '../ui/form';
import {Pager} from '../ui/table';
import type {ProjectsQuery, PublicProject, PublicProjectsPage} from './api';

/** `#p/CODE`: a relative link, so the page works wherever it is served (/public/). */
export const projectHref = (code: string) => `#p/${encodeURIComponent(code)}`;

/** Where the project is, from the city down to its village or community. */
export const place = (p: PublicProject): string => [p.city, p.district, p.street, p.region].filter(Boolean).join(' · ');

function card(p: PublicProject): HTMLElement {
    const a = el('a', 'pub-card pub-project');
    a.href = projectHref(p.code);
    a.dataset.code = p.code;
    a.append(el('h3', undefined, p.name), el('p', 'pub-meta pub-place', place(p)),
        el('p', 'pub-meta', [PROJECT_KIND_ZH[p.kind] ?? p.kind, zhText('public.projects.period', {start: p.start_date ?? '—', end: p.target_date ?? '—'})].join(' · ')));
    const rate = el('div', 'pub-rate');
    rate.append(el('span', undefined, zhText('public.projects.signed', {signed: fmtInt(p.signed), households: fmtInt(p.households)})), rateBar(p.sign_rate), el('strong', undefined, fmtPct(p.sign_rate)));
    a.append(rate);
    return a;
}

/** Projects per page: the server's default, a screenful of cards. */
const PAGE = 24;
/** The search waits for typing to pause before asking the server. */
const TYPING_MS = 250;

/** The published projects a page at a time, narrowed on the server by words, city and district (the list is kept there; a page costs no query). */
export function projectList(first: PublicProjectsPage, load: (query: ProjectsQuery) => Promise<PublicProjectsPage>): HTMLElement {
    const section = el('section', 'pub-projects');
    section.setAttribute('aria-label', zhText('public.projects.label'));
    const title = el('h2', 'pub-section-title');
    section.append(title);
    if (first.all === 0) {
        title.textContent = zhText('public.projects.title', {count: 0});
        section.append(el('p', 'pub-card om-empty', zhText('public.projects.none')));
        return section;
    }
    const search = input('q', {type: 'search', placeholder: zhText('public.projects.search_placeholder'), autocomplete: 'off'});
    const all = {value: '', zh: zhText('common.all')};
    const city = select('city', [all, ...first.cities.map(c => ({value: c, zh: c}))]);
    const district = select('district', [all]);
    const filters = el('form', 'pub-card pub-filters');
    filters.setAttribute('role', 'search');
    filters.append(field(zhText('public.projects.search'), search, 'pub-grow'), field(zhText('public.projects.city'), city), field(zhText('public.projects.district'), district));
    filters.addEventListener('submit', e => e.preventDefault());
    const grid = el('div', 'pub-project-grid');
    const none = el('p', 'pub-card om-empty', zhText('public.projects.no_match'));
    const failed = el('p', 'pub-card pub-failed', zhText('public.main.unavailable'));
    failed.hidden = true;
    let generation = 0;
    // a new page starts at its first card, not where the pager was
    const pager = new Pager(PAGE, offset => void ask(offset).then(() => title.scrollIntoView({block: 'start'})));
    section.append(filters, grid, none, failed, pager.el);

    /** Shows a page; the district choices follow the city chosen (a district no longer offered is dropped). */
    const show = (page: PublicProjectsPage) => {
        const keep = district.value;
        district.replaceChildren(new Option(all.zh, ''), ...page.districts.map(d => new Option(d, d)));
        district.value = page.districts.includes(keep) ? keep : '';
        grid.replaceChildren(...page.projects.map(card));
        none.hidden = page.total > 0;
        failed.hidden = true;
        pager.show(page.offset, page.total);
        title.textContent = page.total === page.all
            ? zhText('public.projects.title', {count: page.all})
            : zhText('public.projects.title_filtered', {shown: page.total, count: page.all});
        section.dataset.shown = String(page.total);
        section.setAttribute('aria-busy', 'false');
    };
    const ask = async (offset: number) => {
        const g = ++generation;
        section.setAttribute('aria-busy', 'true');
        try {
            const page = await load({q: search.value.trim(), city: city.value, district: district.value, offset, limit: PAGE});
            if (g === generation) show(page);
        } catch {
            if (g !== generation) return;
            failed.hidden = false;
            section.setAttribute('aria-busy', 'false');
        }
    };
    let typing: number | undefined;
    search.addEventListener('input', () => {
        section.setAttribute('aria-busy', 'true');
        window.clearTimeout(typing);
        typing = window.setTimeout(() => void ask(0), TYPING_MS);
    });
    city.addEventListener('change', () => { district.value = ''; void ask(0); });
    district.addEventListener('change', () => void ask(0));
    show(first);
    return section;
}
