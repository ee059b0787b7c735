// A work group's form on the desk: name, leader and members (picked by username from the accounts an admin may list), for a new group or one being changed.
import {zhText} from '../i18n';
import type {GroupEdit, Person, WorkGroup} from '../groups/api';
import {el} from '../ui/dom';
import {Notice, button, field, input} from '../ui/form';

let lists = 0;

/** A username field with the accounts as suggestions; `id()` is the account's id, null when none matches. */
function personInput(name: string, people: Person[], listId: string, value = ''): {input: HTMLInputElement; id: () => number | null} {
    const box = input(name, {value, autocomplete: 'off', placeholder: zhText('desk.groups.username_placeholder')});
    box.setAttribute('list', listId);
    const id = () => people.find(p => p.username === box.value.trim())?.id ?? null;
    return {input: box, id};
}

export class GroupForm {
    readonly el = el('form', 'dk-group-form');
    readonly notice = new Notice();
    private name: HTMLInputElement;
    private leader: {input: HTMLInputElement; id: () => number | null};
    private members: Person[];
    private chips = el('div', 'dk-group-chips');
    readonly save: HTMLButtonElement;
    readonly remove: HTMLButtonElement | null = null;

    /**
     * `people`: the accounts to pick from, null when the user may not list them (then only the
     * name can be set). `onSave` gets what changed; `onDelete` is offered for an existing group.
     */
    constructor(group: WorkGroup | null, private people: Person[] | null, onSave: (edit: GroupEdit & {name: string}) => void, onDelete?: () => void) {
        this.el.setAttribute('aria-label', group ? zhText('desk.groups.edit_title', {name: group.name}) : zhText('desk.groups.new_title'));
        this.el.dataset.group = group ? String(group.id) : 'new';
        this.name = input('group_name', {value: group?.name ?? '', required: true, maxLength: 40, placeholder: zhText('desk.groups.name_placeholder')});
        this.members = [...(group?.members ?? [])];
        const row = el('div', 'dk-form-row');
        row.append(field(zhText('desk.groups.name'), this.name));
        const listId = `dk-people-${++lists}`;
        this.leader = personInput('leader', people ?? [], listId, group?.leader?.username ?? '');
        if (people) {
            const datalist = el('datalist');
            datalist.id = listId;
            datalist.append(...people.map(p => Object.assign(el('option'), {value: p.username})));
            const add = personInput('member', people, listId);
            const addButton = button(zhText('desk.groups.add_member'), 'quiet');
            const addMember = () => {
                const id = add.id();
                if (id === null) return this.notice.fail(zhText('desk.groups.no_such_user', {name: add.input.value.trim()}));
                if (!this.members.some(m => m.id === id)) this.members.push({id, username: add.input.value.trim()});
                add.input.value = '';
                this.notice.clear();
                this.renderChips();
            };
            addButton.addEventListener('click', addMember);
            add.input.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); addMember(); } });
            row.append(field(zhText('desk.groups.leader'), this.leader.input), field(zhText('desk.groups.member'), add.input), addButton, datalist);
        }
        this.save = button(group ? zhText('desk.groups.save') : zhText('desk.groups.create'), 'primary', 'submit');
        row.append(this.save);
        if (group && onDelete) {
            this.remove = button(zhText('desk.groups.delete'), 'danger');
            // the server refuses (409) while the group holds households; say so before the click
            if (group.households > 0) this.remove.title = zhText('desk.groups.delete_holds', {count: group.households});
            this.remove.addEventListener('click', onDelete);
            row.append(this.remove);
        }
        this.el.append(row);
        if (people) this.el.append(this.chips);
        else this.el.append(el('p', 'om-hint', zhText('desk.groups.people_admin_only')));
        this.el.append(this.notice.el);
        this.renderChips();
        this.el.addEventListener('submit', e => {
            e.preventDefault();
            const name = this.name.value.trim();
            if (!name) return this.notice.fail(zhText('desk.groups.name_missing'));
            const edit: GroupEdit & {name: string} = {name};
            if (this.people) {
                const leader = this.leader.input.value.trim();
                const id = this.leader.id();
                if (leader && id === null) return this.notice.fail(zhText('desk.groups.no_such_user', {name: leader}));
                edit.leader_id = id;
                edit.member_ids = this.members.map(m => m.id);
            }
            onSave(edit);
        });
    }

    private renderChips(): void {
        this.chips.replaceChildren(el('span', 'dk-group-chips-label', zhText('desk.groups.members_count', {count: this.members.length})));
        for (const m of this.members) {
            const chip = el('span', 'dk-group-chip', m.username);
            chip.dataset.member = m.username;
            const x = el('button', 'dk-group-chip-x', '×');
            x.type = 'button';
            x.setAttribute('aria-label', zhText('desk.groups.remove_member', {name: m.username}));
            x.addEventListener('click', () => {
                this.members = this.members.filter(o => o.id !== m.id);
                this.renderChips();
            });
            chip.append(x);
            this.chips.append(chip);
        }
    }
}
