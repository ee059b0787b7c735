// The 审批流程 card: the approval chain new batches of the project follow (its version and who takes each step), and for admins an editor that saves a new version.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime} from '../format';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, input, select, whileBusy} from '../ui/form';
import {saveChain, type ApprovalChain, type ChainStep, type StepEdit, type StepRole} from './api';

const ROLES: {value: StepRole; zh: string}[] = [{value: 'operator', zh: zhText('desk.chain.role.operator')}, {value: 'admin', zh: zhText('role.admin')}];

/** Who takes a step, in words: 管理员, or 区域操作员 (the region's operators, and admins), with the office when the step names one. */
export const holderZh = (s: Pick<ChainStep, 'role' | 'office'>) =>
    `${ROLES.find(r => r.value === s.role)?.zh ?? s.role}${s.office ? `·${s.office}` : ''}`;

/** Chains an admin can start from: the default, and Heshui County's seven steps (合水县棚改资金审批). */
const TEMPLATES: {zh: string; steps: StepEdit[]}[] = [
    {zh: zhText('desk.chain.template.default'), steps: [
        {key: 'review', name: zhText('desk.chain.step.review'), role: 'operator', office: null},
        {key: 'approve', name: zhText('desk.chain.step.approve'), role: 'admin', office: null},
        {key: 'check', name: zhText('desk.chain.step.check'), role: 'admin', office: null},
        {key: 'pay', name: zhText('desk.chain.step.pay'), role: 'admin', office: null},
    ]},
    {zh: zhText('desk.chain.template.heshui'), steps: [
        {key: 'agreement_review', name: zhText('desk.chain.step.agreement_review'), role: 'operator', office: zhText('desk.chain.office.expropriation')},
        {key: 'leader_precheck', name: zhText('desk.chain.step.leader_precheck'), role: 'admin', office: zhText('desk.chain.office.leader')},
        {key: 'office_review', name: zhText('desk.chain.step.office_review'), role: 'admin', office: zhText('desk.chain.office.office')},
        {key: 'finance_approval', name: zhText('desk.chain.step.finance_approval'), role: 'admin', office: zhText('desk.chain.office.finance')},
        {key: 'company_approval', name: zhText('desk.chain.step.company_approval'), role: 'admin', office: zhText('desk.chain.office.company')},
        {key: 'bank_payment', name: zhText('desk.chain.step.bank_payment'), role: 'admin', office: zhText('desk.chain.office.bank')},
        {key: 'disburse', name: zhText('desk.chain.step.disburse'), role: 'operator', office: zhText('desk.chain.office.disburse')},
    ]},
];

type Row = {li: HTMLLIElement; name: HTMLInputElement; key: HTMLInputElement; role: HTMLSelectElement; office: HTMLInputElement};

export class ChainCard {
    readonly el = el('section', 'om-card dk-chain');
    private notice = new Notice();
    private project = '';

    /** `onSaved` reloads the funds: the card and the batches show the new version. */
    constructor(private user: User, private onSaved: () => void) {
        this.el.setAttribute('aria-label', zhText('desk.chain.title'));
    }

    show(project: string, chain: ApprovalChain): void {
        if (project !== this.project) this.notice.clear();
        this.project = project;
        this.el.dataset.version = String(chain.version);
        this.el.dataset.steps = String(chain.steps.length);
        const head = el('header', 'om-card-head');
        const title = el('h2', undefined, zhText('desk.chain.title'));
        title.append(el('small', 'om-card-note', zhText(chain.project_specific ? 'desk.chain.version_project' : 'desk.chain.version_default', {version: chain.version})));
        head.append(title);
        const steps = el('ol', 'dk-chain-steps');
        steps.append(el('li', 'dk-chain-start', zhText('desk.chain.start')));
        for (const s of chain.steps) {
            const li = el('li', undefined, s.name);
            li.dataset.key = s.key;
            li.append(el('small', undefined, holderZh(s)));
            steps.append(li);
        }
        const notes = el('p', 'dk-chain-note',
            `${zhText('desk.chain.note')}${chain.created_by ? zhText('desk.chain.set_by', {by: chain.created_by, at: fmtTime(chain.created_at)}) : ''}`);
        if (chain.in_flight_on_earlier_versions > 0) notes.append(` ${zhText('desk.chain.in_flight', {count: chain.in_flight_on_earlier_versions})}`);
        this.el.replaceChildren(head, steps, notes, this.notice.el);
        if (this.user.role === 'admin') this.el.append(this.editor(chain));
    }

    /** A folded editor: one row per step (name, key, who, office), reordered or removed in place, saved as a new version. */
    private editor(chain: ApprovalChain): HTMLElement {
        const details = el('details', 'dk-chain-edit');
        details.append(el('summary', undefined, zhText('desk.chain.edit')));
        const list = el('ol', 'dk-chain-rows');
        let rows: Row[] = [];
        const render = () => list.replaceChildren(...rows.map(r => r.li));
        const row = (s: StepEdit): Row => {
            const li = el('li', 'dk-chain-row');
            const r: Row = {
                li,
                name: input('step_name', {value: s.name, placeholder: zhText('desk.chain.step_name'), maxLength: 40, required: true}),
                key: input('step_key', {value: s.key, placeholder: zhText('desk.chain.step_key_placeholder'), maxLength: 32, pattern: '[a-z][a-z0-9_]{1,31}'}),
                role: select('step_role', ROLES, s.role),
                office: input('step_office', {value: s.office ?? '', placeholder: zhText('desk.chain.step_office_placeholder'), maxLength: 40}),
            };
            r.name.setAttribute('aria-label', zhText('desk.chain.step_name'));
            r.key.setAttribute('aria-label', zhText('desk.chain.step_key'));
            r.role.setAttribute('aria-label', zhText('desk.chain.step_role'));
            r.office.setAttribute('aria-label', zhText('desk.chain.step_office'));
            const move = (by: number) => {
                const i = rows.indexOf(r);
                const j = i + by;
                if (j < 0 || j >= rows.length) return;
                [rows[i], rows[j]] = [rows[j], rows[i]];
                render();
            };
            const up = button('↑', 'quiet');
            up.setAttribute('aria-label', zhText('desk.chain.move_up'));
            up.addEventListener('click', () => move(-1));
            const down = button('↓', 'quiet');
            down.setAttribute('aria-label', zhText('desk.chain.move_down'));
            down.addEventListener('click', () => move(1));
            const remove = button(zhText('desk.chain.remove'), 'quiet');
            remove.addEventListener('click', () => { rows = rows.filter(x => x !== r); render(); });
            li.append(r.name, r.key, r.role, r.office, up, down, remove);
            return r;
        };
        const load = (steps: StepEdit[]) => { rows = steps.map(row); render(); };
        load(chain.steps.map(s => ({key: s.key, name: s.name, role: s.role, office: s.office})));

        const add = button(zhText('desk.chain.add'), 'quiet');
        add.addEventListener('click', () => { rows.push(row({key: '', name: '', role: 'admin', office: null})); render(); rows.at(-1)?.name.focus(); });
        const template = select('chain_template', [{value: '', zh: zhText('desk.chain.template_pick')}, ...TEMPLATES.map((t, i) => ({value: String(i), zh: t.zh}))]);
        template.setAttribute('aria-label', zhText('desk.chain.template_label'));
        template.addEventListener('change', () => {
            const t = TEMPLATES[Number(template.value)];
            if (template.value && t) load(t.steps);
            template.value = '';
        });
        const save = button(zhText('desk.chain.save'), 'primary', 'submit');
        const form = el('form', 'dk-chain-form');
        const tools = el('div', 'dk-form-row');
        tools.append(add, template, save);
        form.append(list, tools);
        form.addEventListener('submit', e => {
            e.preventDefault();
            // a step without a key gets one from its place: keys only name steps in URLs
            const steps = rows.map((r, i) => ({
                key: r.key.value.trim() || `step${i + 1}`, name: r.name.value.trim(),
                role: r.role.value as StepRole, office: r.office.value.trim() || null,
            }));
            if (steps.length === 0) return this.notice.fail(zhText('desk.chain.empty'));
            void this.save(steps, save);
        });
        details.append(form);
        return details;
    }

    private async save(steps: StepEdit[], send: HTMLButtonElement): Promise<void> {
        this.notice.busy(zhText('desk.chain.saving'));
        try {
            const chain = await whileBusy([send], () => saveChain(this.project, steps));
            const kept = chain.in_flight_on_earlier_versions;
            this.notice.ok(`${zhText('desk.chain.saved', {version: chain.version})}${kept ? zhText('desk.chain.saved_in_flight', {count: kept}) : ''}`);
            this.onSaved();
        } catch (err) {
            this.notice.fail(refusal(err));
        }
    }
}
