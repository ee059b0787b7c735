// The desk's place in its URL hash, so a reload or a link keeps the tab, the project and the open household or petition: #households/P001/42, #petitions/P001/7.
import {zhText} from '../i18n';

export type Tab = 'households' | 'cases' | 'funds' | 'objections' | 'petitions' | 'procedure' | 'groups' | 'selection' | 'housing';
export const TABS: {key: Tab; zh: string}[] = [
    {key: 'households', zh: zhText('desk.file.title')},
    {key: 'cases', zh: zhText('desk.cases.tab')},
    {key: 'funds', zh: zhText('panels.funds')},
    {key: 'objections', zh: zhText('desk.file.objections')},
    {key: 'petitions', zh: zhText('desk.petitions.tab')},
    {key: 'procedure', zh: zhText('desk.procedure.tab')},
    {key: 'groups', zh: zhText('desk.groups.tab')},
    {key: 'housing', zh: zhText('desk.housing.tab')},
    {key: 'selection', zh: zhText('desk.selection.tab')},
];

/** `household`: the open household, or on the 信访 tab the open petition. */
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
    // the open household's id, or on 疑难个案 the open case's
    if (r.project && r.household && (r.tab === 'households' || r.tab === 'petitions' || r.tab === 'cases')) parts.push(String(r.household));
    return `#${parts.join('/')}`;
}

/** Moves to `next` (a new history entry, so Back returns to the list). */
export function go(next: Partial<DeskRoute>): void {
    const hash = routeHash({...parseRoute(location.hash), ...next});
    if (hash !== location.hash) location.hash = hash;
}
