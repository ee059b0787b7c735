// An import's report as the import card shows it: inserted / updated / unchanged, then the repaired and the rejected rows.
import type {ImportReport, ImportRow} from '../api/planners';
import {fmtInt} from '../format';
import {tr} from '../i18n';
import {el} from '../ui/dom';

function rows(zh: string, en: string, list: ImportRow[], className: string): HTMLElement {
    const box = el('div', `om-report-rows ${className}`);
    box.append(el('h3', 'om-subhead', `${tr(zh, en)} · ${fmtInt(list.length)}`));
    if (list.length === 0) return box;
    const table = el('table', 'om-rank-table');
    const head = table.createTHead().insertRow();
    for (const [z, e] of [['行', 'Row'], ['编号', 'ID'], ['问题', 'Problem'], ['处理', 'Action']]) head.append(el('th', undefined, tr(z, e)));
    const body = table.createTBody();
    for (const r of list) {
        const line = body.insertRow();
        for (const v of [String(r.row), r.id === null || r.id === undefined ? '—' : String(r.id), r.problem, r.action ?? '']) {
            line.insertCell().textContent = v;
        }
    }
    box.append(table);
    return box;
}

export function reportView(report: ImportReport): HTMLElement {
    const root = el('div', 'om-report');
    if (report.read !== undefined) {
        root.append(el('p', 'om-hint', `${tr('读取', 'Read')} ${fmtInt(report.read)} ${tr('行', 'rows')}${report.crs ? ` · ${tr('坐标系', 'CRS')} ${report.crs}` : ''}`));
    }
    const counts = el('dl', 'om-report-counts');
    for (const [zh, en, n] of [['新增', 'Inserted', report.inserted], ['更新', 'Updated', report.updated], ['未变', 'Unchanged', report.unchanged]] as const) {
        const cell = el('div');
        cell.dataset.count = en.toLowerCase();
        cell.append(el('dt', undefined, tr(zh, en)), el('dd', undefined, fmtInt(n)));
        counts.append(cell);
    }
    root.append(counts,
        rows('已修复的几何', 'Repaired geometries', report.repaired ?? [], 'om-report-repaired'),
        rows('已拒绝的行', 'Rejected rows', report.rejected ?? [], 'om-report-rejected'));
    return root;
}
