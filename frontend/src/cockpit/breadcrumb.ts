// The breadcrumb: 全部 › 常德市 › 武陵区 › 启明街道 › project; every crumb but the last goes back to that level.
import type {RegionRef} from '../api/types';
import {onLang, t} from '../i18n';
import {el} from '../ui/dom';
import type {DrillView} from './drill';

export type CrumbHandlers = {root: () => void; region: (code: string, name: string) => void};

/** The crumbs of a view: the path's regions, then the selected region or project if the path does not end with it. */
export function crumbs(v: DrillView): {label: string; code: string | null; kind: 'root' | 'region' | 'project'}[] {
    const out: {label: string; code: string | null; kind: 'root' | 'region' | 'project'}[] = [{label: t('common.all'), code: null, kind: 'root'}];
    const path: RegionRef[] = [...v.path];
    const s = v.selection;
    if (s.kind === 'region' && path[path.length - 1]?.code !== s.code) path.push({code: s.code, name: s.name, level: s.level ?? 'street'});
    for (const r of path) out.push({label: r.name, code: r.code, kind: 'region'});
    if (s.kind === 'project') out.push({label: s.name, code: String(s.id), kind: 'project'});
    return out;
}

export class Breadcrumb {
    readonly el = el('nav', 'om-crumbs');
    private list = el('ol');
    private view: DrillView | null = null;

    constructor(private on: CrumbHandlers) {
        this.el.setAttribute('aria-label', t('crumbs.label'));
        this.el.append(this.list);
        onLang(() => this.view && this.show(this.view));
    }

    show(v: DrillView): void {
        this.view = v;
        const items = crumbs(v).map((c, i, all) => {
            const li = el('li');
            li.dataset.kind = c.kind;
            if (i === all.length - 1) {
                const cur = el('span', 'om-crumb-current', c.label);
                cur.setAttribute('aria-current', 'page');
                li.append(cur);
            } else {
                const b = el('button', 'om-crumb', c.label);
                b.type = 'button';
                if (c.code) b.dataset.code = c.code;
                b.addEventListener('click', () => (c.code ? this.on.region(c.code, c.label) : this.on.root()));
                li.append(b);
            }
            return li;
        });
        this.list.replaceChildren(...items);
    }
}
