// The household file's 补偿决定 section: the decision in force and earlier ones, whether one may be made now (the household unsigned, the signing period done) and, if not, which step in which state blocks it; the form when one may; an admin's revocation with a reason.
import {errorSentence, getJson, refusal, sendJson, type ErrorValues} from '../api/client';
import {fmtTime} from '../format';
import {zhText} from '../i18n';
import {el, errorLine} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';

type Decision = {
    id: number; decided_on: string; document_no: string; note: string; by: string | null; at: string;
    in_force: boolean; revoked_at: string | null; revoked_by: string | null; revoke_reason: string | null;
};
type Section = {
    may_decide: boolean; may_revoke: boolean; in_force: Decision | null; decisions: Decision[];
    blocked: {code: string; values: ErrorValues; message: string} | null;
};

const path = (id: number) => `api/households/${id}/compensation-decision`;

/** Today in Beijing, YYYY-MM-DD: the form's default and latest day. */
const beijingToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export class DecisionView {
    readonly el = el('section', 'dk-section dk-decision');
    private notice = new Notice();

    constructor(private householdId: number) {
        this.el.dataset.section = 'decision';
        void this.load();
    }

    private async load(): Promise<void> {
        try {
            this.render(await getJson<Section>(path(this.householdId)));
        } catch (err) {
            this.el.replaceChildren(el('h3', undefined, zhText('desk.decision.title')), errorLine(refusal(err)));
        }
    }

    private render(s: Section): void {
        const now = s.in_force
            ? el('p', 'dk-decision-now', zhText('desk.decision.in_force', {document_no: s.in_force.document_no, decided_on: s.in_force.decided_on, by: s.in_force.by ?? '—'}))
            : el('p', 'om-empty', zhText('desk.decision.none'));
        const parts: HTMLElement[] = [el('h3', undefined, zhText('desk.decision.title')), now];
        if (s.blocked && !s.in_force) {
            const reason = errorSentence(s.blocked.code, s.blocked.values) ?? s.blocked.message;
            const line = el('p', 'dk-decision-blocked', zhText('desk.decision.blocked', {reason}));
            line.dataset.code = s.blocked.code;
            parts.push(line);
        }
        if (s.may_decide) parts.push(el('p', 'dk-note dk-decision-may', zhText('desk.decision.may')), this.form());
        if (s.may_revoke && s.in_force) parts.push(this.revokeForm());
        if (s.decisions.length) {
            parts.push(el('h4', 'dk-decision-history', zhText('desk.decision.history')), dataTable<Decision>([
                {zh: zhText('desk.decision.document_no'), cell: d => d.document_no},
                {zh: zhText('desk.decision.decided_on'), cell: d => d.decided_on},
                {zh: zhText('desk.decision.note'), cell: d => d.revoked_at
                    ? zhText('desk.decision.revoked_line', {by: d.revoked_by ?? '—', at: fmtTime(d.revoked_at), reason: d.revoke_reason ?? ''})
                    : d.note || '—'},
            ], s.decisions, {rowData: d => ({state: d.in_force ? 'in_force' : 'revoked'})}));
        }
        this.el.dataset.may = String(s.may_decide);
        this.el.replaceChildren(...parts, this.notice.el);
    }

    /** Day, document number (文号) and a note; the server checks the gate and the household again. */
    private form(): HTMLElement {
        const form = el('form', 'dk-form-row');
        form.setAttribute('aria-label', zhText('desk.decision.submit'));
        const day = input('decided_on', {type: 'date', required: true, value: beijingToday(), max: beijingToday()});
        const number = input('document_no', {required: true, placeholder: zhText('desk.decision.document_no_hint')});
        const note = input('decision_note', {});
        const submit = button(zhText('desk.decision.submit'), 'primary', 'submit');
        form.append(field(zhText('desk.decision.decided_on'), day), field(zhText('desk.decision.document_no'), number, 'dk-grow'),
            field(zhText('desk.decision.note'), note, 'dk-grow'), submit);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            if (number.value.trim().length < 2) return this.notice.fail(zhText('desk.decision.document_rule'));
            try {
                const s = await whileBusy([submit], () => sendJson<Section>('POST', path(this.householdId),
                    {decided_on: day.value, document_no: number.value.trim(), note: note.value.trim()}));
                this.render(s);
                this.notice.ok(zhText('desk.decision.made'));
            } catch (err) {
                this.notice.fail(refusal(err));
            }
        })());
        return form;
    }

    private revokeForm(): HTMLElement {
        const details = el('details', 'dk-override');
        details.append(el('summary', undefined, zhText('desk.decision.revoke')));
        const form = el('form', 'dk-form-row');
        form.setAttribute('aria-label', zhText('desk.decision.revoke'));
        const reason = input('revoke_reason', {required: true, minLength: 4});
        const go = button(zhText('desk.decision.revoke'), 'danger', 'submit');
        form.append(field(zhText('desk.decision.revoke_reason'), reason, 'dk-grow'), go);
        details.append(form);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            if (reason.value.trim().length < 4) return this.notice.fail(zhText('desk.decision.reason_rule'));
            try {
                const s = await whileBusy([go], () => sendJson<Section>('POST', `${path(this.householdId)}/revoke`, {reason: reason.value.trim()}));
                this.render(s);
                this.notice.ok(zhText('desk.decision.revoked'));
            } catch (err) {
                this.notice.fail(refusal(err));
            }
        })());
        return details;
    }
}
