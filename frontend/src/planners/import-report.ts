// An import's report as the import card shows it: inserted / updated / unchanged, then the repaired rows, the warnings and the rejected rows.
import {errorSentence} from '../api/client';
import type {ImportReport, ImportRow} from '../api/planners';
import {fmtInt} from '../format';
import {t, type MessageKey} from '../i18n';
import {el} from '../ui/dom';

function rows(title: MessageKey, list: ImportRow[], className: string): HTMLElement {
    const box = el('div', `om-report-rows ${className}`);
    box.append(el('h3', 'om-subhead', `${t(title)} · ${fmtInt(list.length)}`));
    if (list.length === 0) return box;
    const table = el('table', 'om-rank-table');
    const head = table.createTHead().insertRow();
    for (const k of ['row', 'id', 'problem', 'action'] as const) head.append(el('th', undefined, t(`import.report.${k}`)));
    const body = table.createTBody();
    for (const r of list) {
        const line = body.insertRow();
        const problem = (r.code && errorSentence(r.code, r.values)) || errorSentence('import_row', {row: r.row}) || r.problem;
        const action = r.action === 'repaired' || r.action === 'rejected' || r.action === 'warning' ? t(`import.report.action_${r.action}`) : r.action ?? '';
        for (const v of [String(r.row), r.id === null || r.id === undefined ? '—' : String(r.id), problem, action]) {
            line.insertCell().textContent = v;
        }
    }
    box.append(table);
    return box;
}

export function reportView(report: ImportReport): HTMLElement {
    const root = el('div', 'om-report');
    if (report.read !== undefined) {
        root.append(el('p', 'om-hint', `${t('planners.read')} ${fmtInt(report.read)} ${t('planners.rows')}${report.crs ? ` · ${t('planners.crs')} ${report.crs}` : ''}`));
    }
    const counts = el('dl', 'om-report-counts');
    for (const [k, n] of [['inserted', report.inserted], ['updated', report.updated], ['unchanged', report.unchanged]] as const) {
        const cell = el('div');
        cell.dataset.count = k;
        cell.append(el('dt', undefined, t(`import.report.${k}`)), el('dd', undefined, fmtInt(n)));
        counts.append(cell);
    }
    root.append(counts,
        rows('import.report.repaired', report.repaired ?? [], 'om-report-repaired'),
        rows('import.report.warnings', report.warnings ?? [], 'om-report-warnings'),
        rows('import.report.rejected', report.rejected ?? [], 'om-report-rejected'));
    return root;
}
