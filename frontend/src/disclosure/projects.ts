// The public home: every published project as a card (name, where it is: city · district · street · village, kind, dates, households signed), with a search box and city and district filters.
import {fmtInt, fmtPct} from '../format';
import {PROJECT_KIND_ZH} from '../labels';
import {zhText} from '../i18n';
import {el, rateBar} from '../ui/dom';
import {field, input, select} from '../ui/form';
import type {PublicProject} from './api';

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

const distinct = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b, 'zh-CN'));

export function projectList(projects: PublicProject[]): HTMLElement {
    const section = el('section', 'pub-projects');
    section.setAttribute('aria-label', zhText('public.projects.label'));
    const title = el('h2', 'pub-section-title');
    section.append(title);
    if (projects.length === 0) {
        title.textContent = zhText('public.projects.title', {count: 0});
        section.append(el('p', 'pub-card om-empty', zhText('public.projects.none')));
        return section;
    }
    const search = input('q', {type: 'search', placeholder: zhText('public.projects.search_placeholder'), autocomplete: 'off'});
    const all = {value: '', zh: zhText('common.all')};
    const city = select('city', [all, ...distinct(projects.map(p => p.city)).map(c => ({value: c, zh: c}))]);
    const district = select('district', [all]);
    const filters = el('form', 'pub-card pub-filters');
    filters.setAttribute('role', 'search');
    filters.append(field(zhText('public.projects.search'), search, 'pub-grow'), field(zhText('public.projects.city'), city), field(zhText('public.projects.district'), district));
    filters.addEventListener('submit', e => e.preventDefault());
    const grid = el('div', 'pub-project-grid');
    const none = el('p', 'pub-card om-empty', zhText('public.projects.no_match'));
    section.append(filters, grid, none);

    /** The district choices follow the city chosen; a district no longer offered is dropped. */
    const districts = () => {
        const keep = district.value;
        const offered = distinct(projects.filter(p => !city.value || p.city === city.value).map(p => p.district));
        district.replaceChildren(new Option(all.zh, ''), ...offered.map(d => new Option(d, d)));
        district.value = offered.includes(keep) ? keep : '';
    };
    const show = () => {
        const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const shown = projects.filter(p => (!city.value || p.city === city.value) && (!district.value || p.district === district.value)
            && words.every(w => `${p.name} ${p.code} ${place(p)}`.toLowerCase().includes(w)));
        grid.replaceChildren(...shown.map(card));
        none.hidden = shown.length > 0;
        title.textContent = shown.length === projects.length
            ? zhText('public.projects.title', {count: projects.length})
            : zhText('public.projects.title_filtered', {shown: shown.length, count: projects.length});
        section.dataset.shown = String(shown.length);
    };
    search.addEventListener('input', show);
    city.addEventListener('change', () => { districts(); show(); });
    district.addEventListener('change', show);
    districts();
    show();
    return section;
}
