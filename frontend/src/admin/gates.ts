// 程序闸门 tab: a project's three gates (签约, 补偿决定, 拆除) — open or shut, the step that opens each and its state, the funds against the budget for signing, the admin override in force — with override and revoke, each with a reason (audited by the server).
import {getJson, refusal, sendJson} from '../api/client';
import {fmtTime, fmtYuan} from '../format';
import {t, type MessageKey} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {adminForm} from './fields';
import {ProjectTab} from './project-tab';

type Gate = {
    gate: 'signing' | 'compensation_decision' | 'demolition';
    open: boolean;
    step: {key: string; name: string; state: string; done: boolean} | null;
    funds: {allocated: number; budget: number; enough: boolean} | null;
    override: {id: number; reason: string; by: string | null; at: string} | null;
};
type Gates = {project: string; gates: Gate[]};

const enc = encodeURIComponent;
const gateName = (g: string) => t(`gates.gate.${g}` as MessageKey);
const stateName = (s: string) => t(`gates.state.${s}` as MessageKey);

export class GatesTab extends ProjectTab {
    private notice = new Notice();

    protected async showProject(code: string): Promise<void> {
        const card = new Card('admin.gates.title', 'ad-gates');
        this.body.replaceChildren(card.el);
        try {
            this.draw(card, code, await getJson<Gates>(`api/projects/${enc(code)}/gates`));
        } catch (err) {
            card.setError(t('admin.common.load_failed', {reason: refusal(err)}));
        }
    }

    private draw(card: Card, code: string, answer: Gates): void {
        this.notice.clear();
        const table = dataTable<Gate>([
            {zh: t('admin.gates.gate'), cell: g => el('strong', undefined, gateName(g.gate))},
            {zh: t('admin.gates.state'), cell: g => g.open
                ? el('span', 'om-chip om-chip-done', t('admin.gates.open')) : el('span', 'om-chip om-chip-bad', t('admin.gates.shut'))},
            {zh: t('admin.gates.step'), cell: g => g.step ? `${g.step.name} · ${stateName(g.step.state)}` : t('admin.gates.no_step')},
            {zh: t('admin.gates.funds'), cell: g => g.funds
                ? el('span', g.funds.enough ? '' : 'ad-gate-short', t('admin.gates.funds_value', {allocated: fmtYuan(g.funds.allocated), budget: fmtYuan(g.funds.budget)}))
                : '—'},
            {zh: t('admin.gates.override'), cell: g => g.override
                ? t('admin.gates.override_by', {by: g.override.by ?? '—', at: fmtTime(g.override.at), reason: g.override.reason}) : '—'},
            {zh: t('admin.gates.actions'), cell: g => this.action(card, code, g)},
        ], answer.gates, {rowData: g => ({gate: g.gate, open: String(g.open)})});
        card.body.replaceChildren(el('p', 'ad-hint', t('admin.gates.hint')), table, this.notice.el);
    }

    /** A reason field and 放行 (or 撤销放行 when an override is in force). */
    private action(card: Card, code: string, g: Gate): HTMLElement {
        const form = adminForm('ad-row-actions ad-gate-form');
        const granting = !g.override;
        const reason = input('reason', {placeholder: t('admin.gates.reason'), required: true, minLength: 4});
        reason.setAttribute('aria-label', t('admin.gates.reason'));
        const go = button(t(granting ? 'admin.gates.grant' : 'admin.gates.revoke'), granting ? 'quiet' : 'danger', 'submit');
        go.dataset.action = granting ? 'grant' : 'revoke';
        form.append(reason, go);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            const why = reason.value.trim();
            if (why.length < 4) return this.notice.fail(t('admin.gates.reason_rule'));
            try {
                const answer = await whileBusy([go], () =>
                    sendJson<Gates>('POST', `api/projects/${enc(code)}/gates/${g.gate}/${granting ? 'override' : 'revoke'}`, {reason: why}));
                this.draw(card, code, answer);
                this.notice.ok(t(granting ? 'admin.gates.granted' : 'admin.gates.revoked', {gate: gateName(g.gate)}));
            } catch (err) {
                this.notice.fail(refusal(err));
            }
        })());
        return form;
    }
}
