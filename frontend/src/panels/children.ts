// The drill-down list: the selection's sub-regions and projects as rows (name, sign-rate bar, signed / households).
import type {ChildRow, Children, Level, ProjectRow} from '../api/types';
import {fmtInt, fmtPct} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import type {StatusEvent} from '../live/types';
import {Card} from '../ui/card';
import {el, rateBar} from '../ui/dom';

const NEXT_LEVEL: Record<string, MessageKey> = {
    root: 'panels.next_level.root', city: 'panels.next_level.city', district: 'panels.next_level.district', street: 'panels.next_level.street',
};

export type ChildrenHandlers = {onRegion: (row: ChildRow) => void; onProject: (row: ProjectRow) => void};
/** foldEmpty: regions without households go after the projects, folded ("无项目的下级区划 · 15"); else they follow the others, dimmed. */
export type ChildrenOptions = {foldEmpty?: boolean};

type Figures = {households: number; signed: number; sign_rate: number | null; name: string};

function row(f: Figures, cls: string): HTMLButtonElement {
    const b = el('button', `om-row ${cls}`);
    b.type = 'button';
    const name = el('span', 'om-row-name', f.name);
    name.title = f.name;
    b.append(name, rateBar(f.sign_rate), el('span', 'om-row-rate', fmtPct(f.sign_rate)),
        el('span', 'om-row-count', `${fmtInt(f.signed)}/${fmtInt(f.households)}`));
    return b;
}

export class ChildrenPanel {
    readonly card = new Card('card.children', 'om-children');
    private data: Children | null = null;
    private level: Level | 'root' = 'root';
    private selectedProject: number | null = null;

    constructor(private on: ChildrenHandlers, private opts: ChildrenOptions = {}) {
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** Shows a region's children and projects; `level` is that region's level ('root' for the list of cities). */
    show(data: Children, level: Level | 'root', selectedProject: number | null = null): void {
        this.data = data;
        this.level = level;
        this.selectedProject = selectedProject;
        this.card.setError(null);
        this.card.el.dataset.asOf = data.as_of ?? '';
        this.render();
    }

    error(message: string): void {
        this.data = null;
        this.card.setError(message);
    }

    /** Takes new counts from a live event for the rows it touched. */
    apply(ev: StatusEvent): void {
        if (!this.data || this.data.as_of) return; // a past day does not change
        let changed = false;
        for (const r of ev.figures?.regions ?? []) {
            const c = this.data.children.find(x => x.code === r.code);
            if (c && c.signed !== r.signed) {
                Object.assign(c, {households: r.households, signed: r.signed, sign_rate: r.sign_rate});
                changed = true;
            }
        }
        const p = ev.figures?.project;
        const pr = p && this.data.projects.find(x => x.id === p.id);
        if (p && pr && pr.signed !== p.signed) {
            Object.assign(pr, {households: p.households, signed: p.signed, sign_rate: p.sign_rate});
            changed = true;
        }
        if (changed) this.render();
    }

    private render(): void {
        const d = this.data;
        if (!d) return;
        const next = NEXT_LEVEL[this.level] ?? 'panels.next_level.projects';
        const parts: HTMLElement[] = [];
        const regionRow = (c: ChildRow) => {
            const b = row(c, c.households > 0 ? 'om-row-region' : 'om-row-region om-row-empty');
            b.dataset.code = c.code;
            b.addEventListener('click', () => this.on.onRegion(c));
            return b;
        };
        const empty = d.children.filter(c => c.households === 0);
        const fold = this.opts.foldEmpty && empty.length > 0;
        // Regions with projects first, in code order; the empty ones after them, dimmed (or folded after the projects).
        const regions = fold ? d.children.filter(c => c.households > 0) : [...d.children].sort((a, b) => Number(b.households > 0) - Number(a.households > 0));
        parts.push(...regions.map(regionRow));
        if (d.projects.length > 0) {
            parts.push(el('h3', 'om-subhead', `${t('panels.projects_heading')} · ${d.projects.length}`));
            parts.push(...d.projects.map(p => {
                const b = row(p, 'om-row-project');
                b.dataset.projectId = String(p.id);
                b.setAttribute('aria-pressed', String(p.id === this.selectedProject));
                b.addEventListener('click', () => this.on.onProject(p));
                return b;
            }));
        }
        if (fold) {
            const box = el('details', 'om-empty-regions');
            box.append(el('summary', undefined, t('panels.empty_regions', {count: empty.length})), ...empty.map(regionRow));
            parts.push(box);
        }
        if (parts.length === 0) parts.push(el('p', 'om-empty', t('panels.no_sub_regions_or_projects')));
        this.card.setNote(d.children.length > 0 ? `${t(next)} · ${d.children.length}` : '');
        this.card.body.replaceChildren(...parts);
    }
}
