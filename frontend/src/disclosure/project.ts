// One published project's page: overview numbers, a small map of its area, 程序公开 (the nine items and the published steps), the disclosure documents grouped by kind, and the five lists.
import {fmtInt, fmtPct, fmtTime} from '../format';
import {DOCUMENT_KINDS, PROJECT_KIND_ZH} from '../labels';
import {zhText} from '../i18n';
import {el, rateBar} from '../ui/dom';
import type {NineItem, Outline, PublicDocument, PublicProject, PublicStep} from './api';
import {procedureCard} from './procedure';
import {areaMap} from './area-map';
import {PublicLists} from './lists';
import {place} from './projects';

function overview(p: PublicProject): HTMLElement {
    const card = el('section', 'pub-card pub-overview');
    card.setAttribute('aria-label', zhText('public.project.overview'));
    const back = el('a', 'pub-back', zhText('public.project.back'));
    back.href = '#';
    card.append(back, el('h1', undefined, p.name), el('p', 'pub-meta pub-place', place(p)),
        el('p', 'pub-meta', [PROJECT_KIND_ZH[p.kind] ?? p.kind, zhText('public.project.code', {code: p.code})].join(' · ')));
    const nums = el('dl', 'pub-numbers');
    const add = (key: string, k: string, v: string) => {
        const d = el('div');
        d.dataset.figure = key;
        d.append(el('dt', undefined, k), el('dd', undefined, v));
        nums.append(d);
    };
    add('households', zhText('public.project.households'), zhText('public.project.count', {count: fmtInt(p.households)}));
    add('signed', zhText('list.column.signed'), zhText('public.project.count', {count: fmtInt(p.signed)}));
    add('sign_rate', zhText('public.project.sign_rate'), fmtPct(p.sign_rate));
    if (p.vacated !== undefined) add('vacated', zhText('list.column.vacated'), zhText('public.project.count', {count: fmtInt(p.vacated)}));
    if (p.demolished !== undefined) add('demolished', zhText('list.column.demolished'), zhText('public.project.count', {count: fmtInt(p.demolished)}));
    if (p.floor_area !== undefined) add('floor_area', zhText('public.project.floor_area'), `${fmtInt(p.floor_area)} m²`);
    add('start_date', zhText('public.project.start_date'), p.start_date ?? '—');
    add('target_date', zhText('public.project.target_date'), p.target_date ?? '—');
    card.append(nums, rateBar(p.sign_rate));
    const jump = el('nav', 'pub-jump');
    for (const [href, text] of [['#procedure', zhText('public.steps.title')], ['#lookup', zhText('public.lookup.title')], ['#objection', zhText('public.objection.title')], ['#lists', zhText('public.lists.title')]]) {
        const a = el('a', 'om-btn om-btn-quiet', text);
        a.href = href;
        // These anchors scroll; they must not change the #p/CODE route.
        a.addEventListener('click', e => { e.preventDefault(); document.querySelector(href)?.scrollIntoView({behavior: 'smooth'}); });
        jump.append(a);
    }
    card.append(jump);
    return card;
}

function documents(docs: PublicDocument[]): HTMLElement {
    const card = el('section', 'pub-card pub-documents');
    card.setAttribute('aria-label', zhText('public.project.documents_label'));
    card.append(el('h2', undefined, zhText('public.project.documents')));
    for (const kind of DOCUMENT_KINDS) {
        const group = el('div', 'pub-doc-group');
        group.dataset.kind = kind.value;
        group.append(el('h3', undefined, kind.zh));
        const mine = docs.filter(d => d.kind === kind.value)
            .sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? ''));
        if (mine.length === 0) group.append(el('p', 'om-empty', zhText('public.project.none')));
        mine.forEach((d, i) => {
            const item = el('details', 'pub-doc');
            // The newest of each kind open; older ones one click away.
            item.open = i === 0;
            const summary = el('summary');
            summary.append(el('span', 'pub-doc-title', d.title), el('small', undefined, fmtTime(d.published_at)));
            item.append(summary, el('div', 'pub-doc-body', d.body));
            group.append(item);
        });
        card.append(group);
    }
    return card;
}

export function projectPage(p: PublicProject, docs: PublicDocument[], outline: Outline | null | undefined, steps: PublicStep[] = [], nine: NineItem[] = []): HTMLElement[] {
    return [overview(p), ...(outline ? [areaMap(outline, place(p))] : []), procedureCard(steps, nine), documents(docs), new PublicLists(p.code).el];
}
