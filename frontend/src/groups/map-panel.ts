// The 工作组 mode's side panel on the cockpit: the shown project's groups in their map colours with households held and sign rate (a click shows only that group), the unassigned, and for writers the buildings picked and the group to give them to.
import type {Polygon} from 'geojson';
import {fmtInt, fmtPct} from '../format';
import {onLang, t} from '../i18n';
import {el} from '../ui/dom';
import type {Assigned, ProjectGroups} from './api';
import {assignedLine} from './assigned';
import {groupColours, NO_GROUP_COLOR} from './palette';

/** What is picked on the map: buildings by id (→ code), or the households inside a lasso drawn zoomed out. */
export type Picked = {kind: 'none'} | {kind: 'buildings'; ids: Map<number, string>; others: number} | {kind: 'within'; polygon: Polygon};

export type PanelActions = {close: () => void; filter: (group: number | null) => void; clear: () => void; assign: (group: number) => void};

export class GroupPanel {
    readonly el = el('aside', 'om-gm-panel');
    private title = el('h2');
    private closeButton = el('button', 'om-sw-close', '×');
    private info = el('p', 'om-gm-info');
    private list = el('div', 'om-gm-list');
    private work = el('div', 'om-gm-work');
    private pickedLine = el('p', 'om-gm-picked');
    private group = el('select', 'om-input om-gm-group');
    private assignButton = el('button', 'om-btn om-btn-primary om-gm-assign');
    private clearButton = el('button', 'om-btn om-btn-quiet om-gm-clear');
    private result = el('p', 'om-gm-result');
    private project: string | null = null;
    private data: ProjectGroups | null = null;
    private filtered: number | null = null;
    private current: Picked = {kind: 'none'};
    private outcome: {answer: Assigned} | {error: string} | null = null;

    constructor(private writer: boolean, private actions: PanelActions) {
        this.el.hidden = true;
        this.closeButton.type = 'button';
        this.closeButton.addEventListener('click', () => actions.close());
        const head = el('header', 'om-sw-panel-head');
        head.append(this.title, this.closeButton);
        this.assignButton.type = this.clearButton.type = 'button';
        this.assignButton.addEventListener('click', () => actions.assign(Number(this.group.value)));
        this.clearButton.addEventListener('click', () => actions.clear());
        this.result.setAttribute('role', 'status');
        const row = el('div', 'om-gm-row');
        row.append(this.group, this.assignButton, this.clearButton);
        this.work.append(this.pickedLine, row, this.result);
        this.work.hidden = !writer;
        this.el.append(head, this.info, this.list, this.work);
        document.body.append(this.el);
        this.render();
        onLang(() => this.render());
    }

    /** The project's groups (null: no project chosen). */
    show(project: string | null, data: ProjectGroups | null): void {
        if (project !== this.project) {
            this.filtered = null;
            this.outcome = null;
        }
        this.project = project;
        this.data = data;
        this.render();
    }

    picked(p: Picked): void {
        this.current = p;
        this.render();
    }

    done(answer: Assigned): void {
        this.outcome = {answer};
        this.el.dataset.assigned = String(answer.assigned);
        this.render();
    }

    fail(error: string): void {
        this.outcome = {error};
        this.render();
    }

    busy(on: boolean): void {
        this.assignButton.disabled = on || this.current.kind === 'none';
        this.el.dataset.busy = String(on);
    }

    private render(): void {
        this.title.textContent = t('groups.panel.title');
        this.closeButton.setAttribute('aria-label', t('groups.panel.close'));
        this.el.setAttribute('aria-label', t('groups.panel.title'));
        const d = this.data;
        this.info.textContent = !this.project ? t('groups.panel.choose_project')
            : this.writer ? t('groups.panel.hint_writer') : t('groups.panel.hint');
        this.list.replaceChildren();
        if (d) {
            const colours = groupColours(d.groups.map(g => g.id));
            for (const g of d.groups) {
                this.list.append(this.row(g.id, colours.get(g.id)!, g.name,
                    t('groups.panel.row', {households: fmtInt(g.households), rate: fmtPct(g.sign_rate)})));
            }
            this.list.append(this.row(0, NO_GROUP_COLOR, t('groups.panel.unassigned'), t('groups.panel.unassigned_count', {households: fmtInt(d.unassigned_households)})));
            if (!d.groups.length) this.list.prepend(el('p', 'om-empty', t('groups.panel.none')));
        }
        const chosen = this.group.value;
        this.group.replaceChildren(...(d?.groups ?? []).map(g => new Option(g.name, String(g.id))));
        if (d?.groups.some(g => String(g.id) === chosen)) this.group.value = chosen;
        this.group.setAttribute('aria-label', t('groups.panel.to_group'));
        const p = this.current;
        this.pickedLine.textContent = p.kind === 'buildings'
            ? [t('groups.panel.picked', {count: p.ids.size}), p.others ? t('groups.panel.others', {count: p.others}) : ''].filter(Boolean).join(' ')
            : p.kind === 'within' ? t('groups.panel.picked_within') : t('groups.panel.pick_hint');
        this.pickedLine.dataset.count = p.kind === 'buildings' ? String(p.ids.size) : p.kind === 'within' ? 'within' : '0';
        this.assignButton.textContent = t('groups.panel.assign');
        this.assignButton.disabled = p.kind === 'none' || !d?.groups.length;
        this.clearButton.textContent = t('groups.panel.clear');
        this.clearButton.hidden = p.kind === 'none';
        const o = this.outcome;
        this.result.dataset.tone = o && 'error' in o ? 'error' : 'ok';
        this.result.textContent = !o ? '' : 'error' in o ? o.error : assignedLine(o.answer, t);
    }

    private row(id: number, color: string, name: string, figures: string): HTMLElement {
        const b = el('button', 'om-gm-group-row');
        b.type = 'button';
        b.dataset.group = String(id);
        b.setAttribute('aria-pressed', String(this.filtered === id));
        b.title = this.filtered === id ? t('groups.panel.show_all') : t('groups.panel.only_this');
        const swatch = el('span', 'om-swatch');
        swatch.style.background = color;
        b.append(swatch, el('span', 'om-gm-name', name), el('small', undefined, figures));
        b.addEventListener('click', () => {
            this.filtered = this.filtered === id ? null : id;
            this.actions.filter(this.filtered);
            this.render();
        });
        return b;
    }
}
