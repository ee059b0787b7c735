// The public home: every published project as a card (name, region, kind, dates, households signed), linking to its page.
import {fmtInt, fmtPct} from '../format';
import {PROJECT_KIND_ZH} from '../labels';
import {el, rateBar} from '../ui/dom';
import type {PublicProject} from './api';

/** `#p/CODE`: a relative link, so the page works wherever it is served (/public/). */
export const projectHref = (code: string) => `#p/${encodeURIComponent(code)}`;

export function projectList(projects: PublicProject[]): HTMLElement {
    const section = el('section', 'pub-projects');
    section.setAttribute('aria-label', '公开项目');
    section.append(el('h2', 'pub-section-title', `征收项目公示（${projects.length} 个）`));
    if (projects.length === 0) section.append(el('p', 'pub-card om-empty', '暂无公开的征收项目。'));
    const grid = el('div', 'pub-project-grid');
    for (const p of projects) {
        const a = el('a', 'pub-card pub-project');
        a.href = projectHref(p.code);
        a.dataset.code = p.code;
        a.append(el('h3', undefined, p.name), el('p', 'pub-meta', [p.region, PROJECT_KIND_ZH[p.kind] ?? p.kind].filter(Boolean).join(' · ')),
            el('p', 'pub-meta', `${p.start_date ?? '—'} 至 ${p.target_date ?? '—'}`));
        const rate = el('div', 'pub-rate');
        rate.append(el('span', undefined, `已签约 ${fmtInt(p.signed)} / ${fmtInt(p.households)} 户`), rateBar(p.sign_rate), el('strong', undefined, fmtPct(p.sign_rate)));
        a.append(rate);
        grid.append(a);
    }
    section.append(grid);
    return section;
}
