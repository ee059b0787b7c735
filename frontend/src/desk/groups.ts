// The 工作组 tab: the project's work groups with leader, members, the households each holds and their figures, the unassigned count; create, change or delete a group; assign by list or XLSX (group-assign.ts).
import './groups.css';
import {appUrl, refusal} from '../api/client';
import {fetchAccounts} from '../admin/api';
import type {User} from '../auth/api';
import {fmtInt, fmtPct} from '../format';
import {zhText} from '../i18n';
import {changeGroup, createGroup, deleteGroup, fetchGroups, groupsXlsxPath, type GroupEdit, type Person, type ProjectGroups, type WorkGroup} from '../groups/api';
import {groupColours} from '../groups/palette';
import {confirmWrite} from '../status/confirm';
import {el, rateBar} from '../ui/dom';
import {Notice, link, whileBusy} from '../ui/form';
import {dataTable, footRow} from '../ui/table';
import {GroupAssign} from './group-assign';
import {GroupForm} from './group-form';

export class GroupsTab {
    readonly el = el('div', 'dk-groups');
    private list = el('section', 'om-card dk-group-list');
    private count = el('small', 'om-card-note');
    private notice = new Notice();
    private table = el('div');
    private editor = el('div', 'dk-group-editor');
    private createBox = el('details', 'dk-group-new');
    private assign = new GroupAssign(() => void this.load());
    private download = link(zhText('desk.groups.download'), '#', 'om-btn om-btn-quiet');
    private project: string | null = null;
    private data: ProjectGroups | null = null;
    private chosen: number | null = null;
    private people: Promise<Person[] | null>;
    private generation = 0;
    private readonly writer: boolean;

    constructor(user: User) {
        this.writer = user.role === 'admin' || user.role === 'operator';
        // only admins may list the accounts; the ids come with them (leader_id, member_ids)
        this.people = user.role === 'admin'
            ? fetchAccounts().then(list => list.filter(a => !a.disabled && typeof (a as {id?: number}).id === 'number')
                .map(a => ({id: (a as unknown as {id: number}).id, username: a.username}))).catch(() => null)
            : Promise.resolve(null);
        this.list.setAttribute('aria-label', zhText('desk.groups.title'));
        const head = el('header', 'om-card-head');
        const h2 = el('h2', undefined, zhText('desk.groups.title'));
        h2.append(this.count);
        this.download.download = '';
        head.append(h2, this.download);
        this.createBox.append(el('summary', undefined, zhText('desk.groups.new_title')));
        this.list.append(head, this.notice.el, this.table, this.editor);
        if (this.writer) this.list.append(this.createBox);
        this.el.append(this.list);
        if (this.writer) this.el.append(this.assign.el);
    }

    show(project: string): void {
        if (project !== this.project) this.chosen = null;
        this.project = project;
        this.download.href = appUrl(groupsXlsxPath(project));
        void this.load();
    }

    private async load(): Promise<void> {
        const project = this.project;
        if (!project) return;
        const generation = ++this.generation;
        this.el.dataset.loading = 'true';
        try {
            const [data, people] = await Promise.all([fetchGroups(project), this.people]);
            if (generation !== this.generation) return;
            this.data = data;
            this.notice.clear();
            this.render(people);
        } catch (err) {
            if (generation === this.generation) this.notice.fail(zhText('desk.groups.failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    private render(people: Person[] | null): void {
        const {groups, unassigned_households: unassigned} = this.data!;
        const held = groups.reduce((s, g) => s + g.households, 0);
        this.count.textContent = zhText('desk.groups.count', {groups: groups.length, held: fmtInt(held), unassigned: fmtInt(unassigned)});
        this.el.dataset.unassigned = String(unassigned);
        const colour = groupColours(groups.map(g => g.id));
        const name = (g: WorkGroup) => {
            const cell = el('span', 'dk-group-name');
            const swatch = el('span', 'om-swatch');
            swatch.style.background = colour.get(g.id) ?? '';
            cell.append(swatch, g.name);
            return cell;
        };
        const num = (pick: (g: WorkGroup) => number) => (g: WorkGroup) => fmtInt(pick(g));
        const rate = (g: WorkGroup) => {
            const cell = el('span', 'dk-group-rate');
            cell.append(rateBar(g.sign_rate), ` ${fmtPct(g.sign_rate)}`);
            return cell;
        };
        this.table.replaceChildren(dataTable<WorkGroup>([
            {zh: zhText('desk.groups.name'), cell: name},
            {zh: zhText('desk.groups.leader'), cell: g => g.leader?.username ?? '—'},
            {zh: zhText('desk.groups.members'), cell: g => g.members.map(m => m.username).join('、') || '—', className: 'dk-group-members'},
            {zh: zhText('desk.groups.households'), cell: num(g => g.households), className: 'om-num'},
            {zh: zhText('desk.groups.buildings'), cell: num(g => g.buildings), className: 'om-num'},
            {zh: zhText('category.building_status.surveyed'), cell: num(g => g.surveyed), className: 'om-num'},
            {zh: zhText('category.building_status.signed'), cell: num(g => g.signed), className: 'om-num'},
            {zh: zhText('category.building_status.vacated'), cell: num(g => g.vacated), className: 'om-num'},
            {zh: zhText('category.building_status.demolished'), cell: num(g => g.demolished), className: 'om-num'},
            {zh: zhText('desk.groups.sign_rate'), cell: rate},
            {zh: zhText('desk.groups.open_cases'), cell: num(g => g.open_cases), className: 'om-num'},
        ], groups, {
            empty: zhText('desk.groups.none'),
            cards: true,
            rowData: g => ({group: String(g.id), name: g.name, ...(g.id === this.chosen ? {open: 'true'} : {})}),
            onRow: this.writer ? g => { this.chosen = this.chosen === g.id ? null : g.id; this.render(people); } : undefined,
            foot: groups.length ? [footRow(zhText('desk.groups.unassigned_row'), 3, fmtInt(unassigned))] : [],
        }));
        const open = groups.find(g => g.id === this.chosen);
        this.editor.replaceChildren();
        if (open) {
            const form = new GroupForm(open, people, edit => void this.save(form, open.id, edit), () => void this.remove(form, open));
            this.editor.append(el('h3', undefined, zhText('desk.groups.edit_title', {name: open.name})), form.el);
        }
        if (this.writer) {
            const form = new GroupForm(null, people, edit => void this.create(form, edit));
            this.createBox.replaceChildren(this.createBox.querySelector('summary')!, form.el);
            this.assign.show(this.project!, groups);
        }
    }

    private async create(form: GroupForm, edit: GroupEdit & {name: string}): Promise<void> {
        form.notice.busy(zhText('desk.common.submitting'));
        try {
            const group = await whileBusy([form.save], () => createGroup(this.project!, edit));
            this.chosen = null;
            await this.load();
            this.notice.ok(zhText('desk.groups.created', {name: group.name}));
        } catch (err) {
            form.notice.fail(refusal(err));
        }
    }

    private async save(form: GroupForm, id: number, edit: GroupEdit): Promise<void> {
        form.notice.busy(zhText('desk.common.submitting'));
        try {
            const group = await whileBusy([form.save], () => changeGroup(id, edit));
            await this.load();
            this.notice.ok(zhText('desk.groups.saved', {name: group?.name ?? edit.name ?? ''}));
        } catch (err) {
            form.notice.fail(refusal(err));
        }
    }

    private async remove(form: GroupForm, group: WorkGroup): Promise<void> {
        const ok = await confirmWrite(zhText, {title: zhText('desk.groups.delete_confirm', {name: group.name}), lines: [], needsReason: false,
            confirmLabel: zhText('desk.groups.delete'), danger: true});
        if (ok === null) return;
        form.notice.busy(zhText('desk.common.submitting'));
        try {
            await whileBusy(form.remove ? [form.remove] : [], () => deleteGroup(group.id));
            this.chosen = null;
            await this.load();
            this.notice.ok(zhText('desk.groups.deleted', {name: group.name}));
        } catch (err) {
            form.notice.fail(refusal(err));
        }
    }
}
