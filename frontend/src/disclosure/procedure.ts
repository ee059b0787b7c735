// The public page's 程序公开: the nine items residents are owed (九公开), each ✓ or 待公开 with the steps that publish it and what is missing, then the published steps as a dated list with their documents.
import {appUrl} from '../api/client';
import {zhText, type MessageKey} from '../i18n';
import {el} from '../ui/dom';
import type {NineItem, PublicStep} from './api';

const range = (a: string | null, b: string | null): string => `${a ?? '…'} 至 ${b ?? '…'}`;

function nineList(nine: NineItem[]): HTMLElement {
    const list = el('ol', 'pub-nine');
    for (const item of nine) {
        const li = el('li', `pub-nine-item${item.published ? ' pub-nine-done' : ''}`);
        li.dataset.item = item.item;
        li.dataset.published = String(item.published);
        const head = el('div', 'pub-nine-head');
        head.append(el('span', 'pub-nine-mark', item.published ? '✓' : '○'),
            el('strong', undefined, zhText(`public.nine.${item.item}` as MessageKey)),
            el('span', 'pub-nine-state', zhText(item.published ? 'public.steps.published' : 'public.steps.pending')));
        li.append(head);
        const notes: string[] = [];
        if (item.steps.length) notes.push(item.steps.map(s => `${s.name}（${s.done_on ?? zhText(`timeline.state.${s.state}` as MessageKey)}）`).join('；'));
        if (item.missing.steps.length) notes.push(zhText('public.steps.missing_steps', {steps: item.missing.steps.map(s => s.name).join('、')}));
        if (item.missing.document) notes.push(zhText('public.steps.missing_document'));
        if (notes.length) li.append(el('p', 'pub-nine-note', notes.join(' · ')));
        list.append(li);
    }
    return list;
}

function stepList(steps: PublicStep[]): HTMLElement {
    if (steps.length === 0) return el('p', 'om-empty', zhText('public.steps.none'));
    const list = el('ol', 'pub-steps');
    for (const s of steps) {
        const li = el('li', `pub-step pub-step-${s.state}`);
        li.dataset.step = s.key;
        li.dataset.state = s.state;
        const head = el('div', 'pub-step-head');
        head.append(el('span', 'pub-step-name', s.name), el('span', 'pub-step-state', s.state_name));
        li.append(head);
        const dates: string[] = [];
        if (s.is_window) {
            if (s.period_from || s.period_to) dates.push(zhText('public.steps.period', {range: range(s.period_from, s.period_to)}));
        } else {
            if (s.planned_start || s.planned_end) dates.push(zhText('public.steps.planned', {range: range(s.planned_start, s.planned_end)}));
            if (s.actual_start || s.actual_end) dates.push(zhText('public.steps.actual', {range: range(s.actual_start, s.actual_end)}));
            if (s.period_to && s.state === 'in_progress') dates.push(zhText('public.steps.period', {range: range(s.period_from, s.period_to)}));
        }
        if (dates.length) li.append(el('p', 'pub-step-dates', dates.join(' · ')));
        if (s.documents.length) {
            const docs = el('ul', 'pub-step-docs');
            for (const d of s.documents) {
                const a = el('a', 'om-link', d.name);
                a.href = appUrl(d.url);
                a.download = d.name;
                const li2 = el('li');
                li2.append(a, el('small', undefined, ` ${Math.max(1, Math.round(d.size_bytes / 1024))} KB`));
                docs.append(li2);
            }
            li.append(docs);
        }
        list.append(li);
    }
    return list;
}

/** The 程序公开 card of a project page. */
export function procedureCard(steps: PublicStep[], nine: NineItem[]): HTMLElement {
    const card = el('section', 'pub-card pub-procedure');
    card.id = 'procedure';
    card.setAttribute('aria-label', zhText('public.steps.label'));
    card.append(el('h2', undefined, zhText('public.steps.title')));
    const columns = el('div', 'pub-procedure-columns');
    const left = el('div', 'pub-procedure-nine');
    left.append(el('h3', undefined, zhText('public.steps.nine')), nineList(nine));
    const right = el('div', 'pub-procedure-steps');
    right.append(el('h3', undefined, zhText('public.steps.steps')), stepList(steps));
    columns.append(left, right);
    card.append(columns);
    return card;
}
