// The desk's place in its URL hash, so a reload or a link keeps the tab, the project and the open household: #households/P001/42.
import {zhText} from '../i18n';

export type Tab = 'households' | 'funds' | 'objections' | 'procedure' | 'groups';
export const TABS: {key: Tab; zh: string}[] = [
    {key: 'households', zh: zhText('desk.file.title')},
    {key: 'funds', zh: zhText('panels.funds')},
    {key: 'objections', zh: zhText('desk.file.objections')},
    {key: 'procedure', zh: zhText('desk.procedure.tab')},
    {key: 'groups', zh: zhText('desk.groups.tab')},
];

export type DeskRoute = {tab: Tab; project: string | null; household: number | null};

export function parseRoute(hash: string): DeskRoute {
    const [tab, project, household] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    const id = Number(household);
    return {
        tab: TABS.some(t => t.key === tab) ? (tab as Tab) : 'households',
        project: project || null,
        household: Number.isInteger(id) && id > 0 ? id : null,
    };
}

export function routeHash(r: DeskRoute): string {
    const parts: string[] = [r.tab];
    if (r.project) parts.push(encodeURIComponent(r.project));
    if (r.project && r.household && r.tab === 'households') parts.push(String(r.household));
    return `#${parts.join('/')}`;
}

/** Moves to `next` (a new history entry, so Back returns to the list). */
export function go(next: Partial<DeskRoute>): void {
    const hash = routeHash({...parseRoute(location.hash), ...next});
    if (hash !== location.hash) location.hash = hash;
}
