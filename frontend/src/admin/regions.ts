// Pickers the admin tabs share: a region (districts and streets, for an operator's scope) and a project, both loaded once per page.
import {t} from '../i18n';
import {el} from '../ui/dom';
import {fetchProjects, fetchRegions, type ProjectRef, type RegionRef} from './api';

let regions: Promise<RegionRef[]> | null = null;
let projects: Promise<ProjectRef[]> | null = null;

/** The regions an account may be scoped to, city first, then districts and streets in code order. */
export const scopeRegions = (): Promise<RegionRef[]> =>
    (regions ??= fetchRegions().then(all => all.filter(r => r.level !== 'community').sort((a, b) => a.code.localeCompare(b.code))));

export const allProjects = (): Promise<ProjectRef[]> =>
    (projects ??= fetchProjects().then(all => [...all].sort((a, b) => a.code.localeCompare(b.code))));

/** "越城区（330602）", indented by level so streets sit under their district. */
export function regionLabel(r: RegionRef): string {
    const indent = r.level === 'street' ? '\u3000\u3000' : r.level === 'district' ? '\u3000' : '';
    return `${indent}${r.name}（${r.code}）`;
}

/** A region select: "no region" first, then `list`. */
export function regionSelect(name: string, list: RegionRef[], value: string | null): HTMLSelectElement {
    const s = el('select', 'om-input');
    s.name = name;
    s.append(new Option(t('admin.users.no_region'), ''));
    for (const r of list) s.append(new Option(regionLabel(r), r.code));
    s.value = value ?? '';
    return s;
}

/** A project select, `value` chosen (or the first). */
export function projectSelect(name: string, list: ProjectRef[], value: string | null): HTMLSelectElement {
    const s = el('select', 'om-input ad-project');
    s.name = name;
    for (const p of list) s.append(new Option(`${p.name}（${p.code}）`, p.code));
    if (value && list.some(p => p.code === value)) s.value = value;
    return s;
}
