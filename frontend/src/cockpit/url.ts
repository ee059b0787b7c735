// Keeps the selection in the page URL (?region= / ?project=) so a reload or a shared link opens the same view.
import type {Selection} from './drill';

export function selectionUrl(s: Selection, href = location.href): string {
    const url = new URL(href);
    url.searchParams.delete('district');
    url.searchParams.delete('region');
    url.searchParams.delete('project');
    if (s.kind === 'region') url.searchParams.set('region', s.code);
    if (s.kind === 'project') url.searchParams.set('project', String(s.id));
    return url.pathname + url.search + url.hash;
}
