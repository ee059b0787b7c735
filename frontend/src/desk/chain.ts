// The 审批流程 card: the approval chain new batches of the project follow (its version and who takes each step), and for admins an editor that saves a new version.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime} from '../format';
import {el} from '../ui/dom';
import {Notice, button, input, select, whileBusy} from '../ui/form';
import {saveChain, type ApprovalChain, type ChainStep, type StepEdit, type StepRole} from './api';

const ROLES: {value: StepRole; zh: string}[] = [{value: 'operator', zh: '区域操作员'}, {value: 'admin', zh: '管理员'}];

/** Who takes a step, in words: 管理员, or 区域操作员 (the region's operators, and admins), with the office when the step names one. */
export const holderZh = (s: Pick<ChainStep, 'role' | 'office'>) =>
    `${ROLES.find(r => r.value === s.role)?.zh ?? s.role}${s.office ? `·${s.office}` : ''}`;

/** Chains an admin can start from: the default, and Heshui County's seven steps (合水县棚改资金审批). */
const TEMPLATES: {zh: string; steps: StepEdit[]}[] = [
    {zh: '默认四步', steps: [
        {key: 'review', name: '审核', role: 'operator', office: null},
        {key: 'approve', name: '审批', role: 'admin', office: null},
        {key: 'check', name: '复核', role: 'admin', office: null},
        {key: 'pay', name: '支付', role: 'admin', office: null},
    ]},
    {zh: '合水县七步', steps: [
        {key: 'agreement_review', name: '补偿协议审核', role: 'operator', office: '征收所'},
        {key: 'leader_precheck', name: '分管领导预审', role: 'admin', office: '分管领导'},
        {key: 'office_review', name: '办公室主任审核', role: 'admin', office: '办公室'},
        {key: 'finance_approval', name: '财务审批', role: 'admin', office: '财务'},
        {key: 'company_approval', name: '公司审批', role: 'admin', office: '立鑫公司'},
        {key: 'bank_payment', name: '银行付款', role: 'admin', office: '代理银行'},
        {key: 'disburse', name: '拨付到户', role: 'operator', office: '拨付专岗'},
    ]},
];

type Row = {li: HTMLLIElement; name: HTMLInputElement; key: HTMLInputElement; role: HTMLSelectElement; office: HTMLInputElement};

export class ChainCard {
    readonly el = el('section', 'om-card dk-chain');
    private notice = new Notice();
    private project = '';

    /** `onSaved` reloads the funds: the card and the batches show the new version. */
    constructor(private user: User, private onSaved: () => void) {
        this.el.setAttribute('aria-label', '审批流程');
    }

    show(project: string, chain: ApprovalChain): void {
        if (project !== this.project) this.notice.clear();
        this.project = project;
        this.el.dataset.version = String(chain.version);
        this.el.dataset.steps = String(chain.steps.length);
        const head = el('header', 'om-card-head');
        const title = el('h2', undefined, '审批流程');
        title.append(el('small', 'om-card-note', `${chain.project_specific ? '本项目' : '默认'}第 ${chain.version} 版`));
        head.append(title);
        const steps = el('ol', 'dk-chain-steps');
        steps.append(el('li', 'dk-chain-start', '提交'));
        for (const s of chain.steps) {
            const li = el('li', undefined, s.name);
            li.dataset.key = s.key;
            li.append(el('small', undefined, holderZh(s)));
            steps.append(li);
        }
        const notes = el('p', 'dk-chain-note',
            `每一环节由不同的人办理（提交也算一个环节），最后一个环节完成即支付。${chain.created_by ? `${chain.created_by} 于 ${fmtTime(chain.created_at)} 设定。` : ''}`);
        if (chain.in_flight_on_earlier_versions > 0) notes.append(` 另有 ${chain.in_flight_on_earlier_versions} 个在途批次按原流程办理。`);
        this.el.replaceChildren(head, steps, notes, this.notice.el);
        if (this.user.role === 'admin') this.el.append(this.editor(chain));
    }

    /** A folded editor: one row per step (name, key, who, office), reordered or removed in place, saved as a new version. */
    private editor(chain: ApprovalChain): HTMLElement {
        const details = el('details', 'dk-chain-edit');
        details.append(el('summary', undefined, '修改流程（保存为新版本，在途批次不受影响）'));
        const list = el('ol', 'dk-chain-rows');
        let rows: Row[] = [];
        const render = () => list.replaceChildren(...rows.map(r => r.li));
        const row = (s: StepEdit): Row => {
            const li = el('li', 'dk-chain-row');
            const r: Row = {
                li,
                name: input('step_name', {value: s.name, placeholder: '环节名称', maxLength: 40, required: true}),
                key: input('step_key', {value: s.key, placeholder: '标识（如 review）', maxLength: 32, pattern: '[a-z][a-z0-9_]{1,31}'}),
                role: select('step_role', ROLES, s.role),
                office: input('step_office', {value: s.office ?? '', placeholder: '岗位（可空）', maxLength: 40}),
            };
            r.name.setAttribute('aria-label', '环节名称');
            r.key.setAttribute('aria-label', '环节标识');
            r.role.setAttribute('aria-label', '办理角色');
            r.office.setAttribute('aria-label', '办理岗位');
            const move = (by: number) => {
                const i = rows.indexOf(r);
                const j = i + by;
                if (j < 0 || j >= rows.length) return;
                [rows[i], rows[j]] = [rows[j], rows[i]];
                render();
            };
            const up = button('↑', 'quiet');
            up.setAttribute('aria-label', '上移');
            up.addEventListener('click', () => move(-1));
            const down = button('↓', 'quiet');
            down.setAttribute('aria-label', '下移');
            down.addEventListener('click', () => move(1));
            const remove = button('删除', 'quiet');
            remove.addEventListener('click', () => { rows = rows.filter(x => x !== r); render(); });
            li.append(r.name, r.key, r.role, r.office, up, down, remove);
            return r;
        };
        const load = (steps: StepEdit[]) => { rows = steps.map(row); render(); };
        load(chain.steps.map(s => ({key: s.key, name: s.name, role: s.role, office: s.office})));

        const add = button('添加环节', 'quiet');
        add.addEventListener('click', () => { rows.push(row({key: '', name: '', role: 'admin', office: null})); render(); rows.at(-1)?.name.focus(); });
        const template = select('chain_template', [{value: '', zh: '载入模板…'}, ...TEMPLATES.map((t, i) => ({value: String(i), zh: t.zh}))]);
        template.setAttribute('aria-label', '载入流程模板');
        template.addEventListener('change', () => {
            const t = TEMPLATES[Number(template.value)];
            if (template.value && t) load(t.steps);
            template.value = '';
        });
        const save = button('保存为新版本', 'primary', 'submit');
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
            if (steps.length === 0) return this.notice.fail('流程至少要有一个环节');
            void this.save(steps, save);
        });
        details.append(form);
        return details;
    }

    private async save(steps: StepEdit[], send: HTMLButtonElement): Promise<void> {
        this.notice.busy('正在保存…');
        try {
            const chain = await whileBusy([send], () => saveChain(this.project, steps));
            const kept = chain.in_flight_on_earlier_versions;
            this.notice.ok(`已保存为第 ${chain.version} 版：新提交的批次按此流程办理${kept ? `，${kept} 个在途批次仍按原流程` : ''}`);
            this.onSaved();
        } catch (err) {
            this.notice.fail(refusal(err));
        }
    }
}
