// 用户 tab: every account with its role, region scope and state; a form to create one; for the chosen account, role and region, an operator's write scope (region or their work groups), disabling, a new password and unlocking — each change but the write scope ends that person's sessions at once.
import {refusal} from '../api/client';
import type {Role} from '../auth/api';
import {fmtTime} from '../format';
import {t} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, select, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {changeAccount, createAccount, fetchAccounts, resetPassword, setDisabled, setWriteScope, unlockAccount, type Account, type AccountAnswer, type WriteScope} from './api';
import {Fields, adminForm, confirmInline, shownOnce} from './fields';
import {regionSelect, scopeRegions} from './regions';
import type {View} from './main';

const ROLES: Role[] = ['admin', 'operator', 'planner', 'viewer'];
const roleOptions = () => ROLES.map(r => ({value: r, zh: t(`role.${r}`)}));
/** The policy the server holds too (backend/src/auth/policy.rs): checked here first, to say it in the field. */
const MIN_PASSWORD = 10;
const USERNAME = /^[A-Za-z0-9_.-]{2,40}$/;

function stateChip(a: Account): HTMLElement {
    const [key, tone] = a.disabled ? ['admin.users.state_disabled', 'om-chip-bad'] as const
        : a.locked ? ['admin.users.state_locked', 'om-chip-wait'] as const : ['admin.users.state_active', 'om-chip-done'] as const;
    const chip = el('span', `om-chip ${tone}`, t(key));
    chip.dataset.state = a.disabled ? 'disabled' : a.locked ? 'locked' : 'active';
    return chip;
}

/** Client-side checks of a password typed by the admin ('' means: let the server generate one). */
function passwordProblem(username: string, password: string): string | null {
    if (password === '') return null;
    if ([...password].length < MIN_PASSWORD) return t('admin.users.password_short', {min: MIN_PASSWORD});
    if (password.toLowerCase() === username.toLowerCase()) return t('admin.users.password_username');
    return null;
}

export class UsersTab implements View {
    readonly el = el('section', 'ad-users');
    private createCard = new Card('admin.users.create', 'ad-create');
    private listCard = new Card('admin.users.title', 'ad-list');
    private detail = el('div', 'ad-detail');
    private accounts: Account[] = [];
    private selected: string | null = null;

    constructor() {
        this.el.append(this.listCard.el, this.createCard.el);
        void this.createForm();
    }

    show(): void {
        void this.load();
    }

    private async load(): Promise<void> {
        try {
            this.accounts = await fetchAccounts();
            this.listCard.setError(null);
            this.renderList();
        } catch (err) {
            this.listCard.setError(t('admin.common.load_failed', {reason: refusal(err)}));
        }
    }

    private renderList(): void {
        this.listCard.setNote(t('admin.users.count', {count: this.accounts.length}));
        const table = dataTable<Account>([
            {zh: t('admin.users.username'), cell: a => a.username},
            {zh: t('admin.users.state'), cell: stateChip},
            {zh: t('admin.users.role'), cell: a => t(`role.${a.role}`)},
            {zh: t('admin.users.region'), cell: a => (a.region_code ? `${a.region_name ?? ''}（${a.region_code}）` : '—')},
            {zh: t('admin.users.created_at'), cell: a => fmtTime(a.created_at)},
            {zh: t('admin.users.last_login'), cell: a => fmtTime(a.last_login_at)},
        ], this.accounts, {
            onRow: a => { this.selected = a.username; this.renderList(); },
            rowData: a => ({username: a.username}),
            empty: t('admin.users.none'),
        });
        for (const tr of table.querySelectorAll('tr[data-username]')) {
            if ((tr as HTMLElement).dataset.username === this.selected) tr.setAttribute('aria-current', 'true');
        }
        const chosen = this.accounts.find(a => a.username === this.selected);
        this.detail.replaceChildren();
        if (chosen) void this.renderDetail(chosen);
        else this.detail.append(el('p', 'ad-hint', t('admin.users.pick')));
        this.listCard.body.replaceChildren(table, this.detail);
    }

    /** After a write: the answer's account replaces the row, and a generated password is shown once. */
    private async applied(answer: AccountAnswer, notice: Notice, done: string): Promise<void> {
        this.selected = answer.user.username;
        await this.load();
        const n = new Notice();
        n.ok(done);
        this.detail.prepend(n.el);
        if (answer.password) this.detail.prepend(shownOnce('admin.users.password_once', [{labelKey: 'admin.users.new_password', value: answer.password}]));
        notice.clear();
    }

    private async renderDetail(a: Account): Promise<void> {
        const regions = await scopeRegions().catch(() => []);
        const box = this.detail;
        box.dataset.username = a.username;
        const head = el('h3', undefined, t('admin.users.manage', {username: a.username}));
        head.append(' ', stateChip(a));
        if (a.failures > 0) box.append(el('p', 'ad-hint', t('admin.users.failures', {count: a.failures})));
        const notice = new Notice();

        // role and region
        const fields = new Fields();
        const role = select('role', roleOptions(), a.role);
        const region = regionSelect('region_code', regions, a.region_code);
        const save = button(t('admin.users.save_role'), 'primary', 'submit');
        const roleForm = adminForm('dk-form-row ad-role-form');
        roleForm.append(fields.add('role', 'admin.users.role', role), fields.add('region', 'admin.users.region', region), save);
        roleForm.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            fields.clear();
            if (role.value === 'operator' && !region.value) return fields.fail('region', t('admin.users.region_needed'));
            if (!(await confirmInline(roleForm, t('admin.users.confirm_role', {username: a.username})))) return;
            try {
                const answer = await whileBusy([save], () => changeAccount(a.username, role.value as Role, region.value || null));
                await this.applied(answer, notice, t('admin.users.role_saved', {username: a.username}));
            } catch (err) {
                if (!fields.failFrom(err, {region_code: 'region', username: 'role'})) notice.fail(refusal(err));
            }
        })());

        // an operator's write scope: the region, or only their work groups' households
        const scope = select('write_scope', (['region', 'group'] as const).map(v => ({value: v, zh: t(`admin.users.scope_${v}`)})), a.write_scope);
        const saveScope = button(t('admin.users.save_scope'), 'quiet', 'submit');
        const scopeForm = adminForm('dk-form-row ad-scope-form');
        scopeForm.hidden = a.role !== 'operator';
        scopeForm.append(fields.add('write_scope', 'admin.users.write_scope', scope), saveScope);
        scopeForm.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            try {
                const answer = await whileBusy([saveScope], () => setWriteScope(a.id, scope.value as WriteScope));
                await this.applied(answer, notice, t('admin.users.scope_saved', {username: a.username}));
            } catch (err) {
                notice.fail(refusal(err));
            }
        })());

        // disable / enable
        const toggle = button(a.disabled ? t('admin.users.enable') : t('admin.users.disable'), a.disabled ? 'quiet' : 'danger');
        toggle.dataset.action = a.disabled ? 'enable' : 'disable';
        toggle.addEventListener('click', () => void (async () => {
            if (!a.disabled && !(await confirmInline(toggle, t('admin.users.confirm_disable', {username: a.username})))) return;
            try {
                const answer = await whileBusy([toggle], () => setDisabled(a.username, !a.disabled));
                await this.applied(answer, notice, t(a.disabled ? 'admin.users.enabled' : 'admin.users.disabled', {username: a.username}));
            } catch (err) {
                notice.fail(refusal(err));
            }
        })());
        const unlock = button(t('admin.users.unlock'), 'quiet');
        unlock.hidden = !a.locked && a.failures === 0;
        unlock.addEventListener('click', () => void (async () => {
            try {
                await whileBusy([unlock], () => unlockAccount(a.username));
                await this.applied({user: a}, notice, t('admin.users.unlocked', {username: a.username}));
            } catch (err) {
                notice.fail(refusal(err));
            }
        })());
        const trail = el('a', 'om-link', t('admin.users.see_audit'));
        trail.href = `#audit/${encodeURIComponent(a.username)}`;
        const actions = el('div', 'ad-actions');
        actions.append(toggle, unlock, trail);

        // new password
        const pwFields = new Fields();
        const password = input('new_password', {type: 'password', autocomplete: 'new-password', placeholder: t('admin.users.password_blank')});
        const reset = button(t('admin.users.reset'), 'quiet', 'submit');
        const pwForm = adminForm('dk-form-row ad-password-form');
        pwForm.append(pwFields.add('password', 'admin.users.new_password', password, 'dk-grow'), reset);
        pwForm.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            pwFields.clear();
            const problem = passwordProblem(a.username, password.value);
            if (problem) return pwFields.fail('password', problem);
            if (!(await confirmInline(pwForm, t('admin.users.confirm_reset', {username: a.username})))) return;
            try {
                const answer = await whileBusy([reset], () => resetPassword(a.username, password.value || null));
                await this.applied(answer, notice, t('admin.users.reset_done', {username: a.username}));
            } catch (err) {
                if (!pwFields.failFrom(err)) notice.fail(refusal(err));
            }
        })());
        box.append(head, roleForm, scopeForm, actions, pwForm, notice.el);
    }

    private async createForm(): Promise<void> {
        const fields = new Fields();
        const username = input('username', {autocomplete: 'off', spellcheck: false, required: true});
        const role = select('role', roleOptions(), 'operator');
        const regions = await scopeRegions().catch(() => []);
        const region = regionSelect('region_code', regions, null);
        const password = input('password', {type: 'password', autocomplete: 'new-password', placeholder: t('admin.users.password_blank')});
        const submit = button(t('admin.users.create_button'), 'primary', 'submit');
        const notice = new Notice();
        const secret = el('div');
        const form = adminForm('dk-form-row ad-create-form');
        form.setAttribute('aria-label', t('admin.users.create'));
        form.append(
            fields.add('username', 'admin.users.username', username), fields.add('role', 'admin.users.role', role),
            fields.add('region', 'admin.users.region', region, 'ad-region'), fields.add('password', 'admin.users.password', password), submit,
        );
        this.createCard.body.append(form, el('p', 'ad-hint', t('admin.users.create_hint', {min: MIN_PASSWORD})), secret, notice.el);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            fields.clear();
            notice.clear();
            secret.replaceChildren();
            const name = username.value.trim();
            if (!USERNAME.test(name)) return fields.fail('username', t('admin.users.username_rule'));
            if (role.value === 'operator' && !region.value) return fields.fail('region', t('admin.users.region_needed'));
            const problem = passwordProblem(name, password.value);
            if (problem) return fields.fail('password', problem);
            try {
                const answer = await whileBusy([submit], () =>
                    createAccount({username: name, role: role.value as Role, region_code: region.value || null, password: password.value || null}));
                notice.ok(t('admin.users.created', {username: name}));
                if (answer.password) secret.append(shownOnce('admin.users.password_once', [{labelKey: 'admin.users.new_password', value: answer.password}]));
                form.reset();
                role.value = 'operator';
                this.selected = name;
                await this.load();
            } catch (err) {
                if (!fields.failFrom(err, {region_code: 'region'})) notice.fail(refusal(err));
            }
        })());
    }
}
