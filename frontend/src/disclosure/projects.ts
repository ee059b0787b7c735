// The public home: every published project as a card (name, region, kind, dates, households signed), linking to its page.
import {fmtInt, fmtPct} from '../format';
import {PROJECT_KIND_ZH} from '../labels';
import {zhText} from '../i18n';
import {el, rateBar} from '../ui/dom';
import type {PublicProject} from './api';

/** `#p/CODE`: a relative link, so the page works wherever it is served (/public/). */
export const projectHref = (code: string) => `#p/${encodeURIComponent(code)}`;

export function projectList(projects: PublicProject[]): HTMLElement {
    const section = el('section', 'pub-projects');
    section.setAttribute('aria-label', zhText('public.projects.label'));
    section.append(el('h2', 'pub-section-title', zhText('public.projects.title', {count: projects.length})));
    if (projects.length === 0) section.append(el('p', 'pub-card om-empty', zhText('public.projects.none')));
    const grid = el('div', 'pub-project-grid');
    for (const p of projects) {
        const a = el('a', 'pub-card pub-project');
        a.href = projectHref(p.code);
        a.dataset.code = p.code;
        a.append(el('h3', undefined, p.name), el('p', 'pub-meta', [p.region, PROJECT_KIND_ZH[p.kind] ?? p.kind].filter(Boolean).join(' · ')),
            el('p', 'pub-meta', zhText('public.projects.period', {start: p.start_date ?? '—', end: p.target_date ?? '—'})));
        const rate = el('div', 'pub-rate');
        rate.append(el('span', undefined, zhText('public.projects.signed', {signed: fmtInt(p.signed), households: fmtInt(p.households)})), rateBar(p.sign_rate), el('strong', undefined, fmtPct(p.sign_rate)));
        a.append(rate);
        grid.append(a);
    }
    section.append(grid);
    return section;
}
