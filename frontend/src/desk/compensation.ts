// A household's compensation: the computed lines with their basis, the 一事一议 override as it stands, and the admin's override form.
import {refusal} from '../api/client';
import {fmtTime, fmtYuan} from '../format';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable, footRow} from '../ui/table';
import {setOverride, type Compensation, type CompensationLine} from './api';

export class CompensationView {
    readonly el = el('section', 'dk-section dk-compensation');

    /** `onChanged` reloads the household's file after the override was saved or removed. */
    constructor(private householdId: number, c: Compensation, isAdmin: boolean, private onChanged: () => void) {
        const foot = [footRow(zhText('desk.compensation.computed'), 2, fmtYuan(c.computed_yuan))];
        if (c.override) foot.push(footRow(zhText('desk.compensation.overridden'), 2, fmtYuan(c.override.yuan)));
        const total = footRow(zhText('desk.compensation.total'), 2, fmtYuan(c.total_yuan));
        total.className = 'dk-total';
        total.dataset.total = String(c.total_yuan);
        foot.push(total);
        this.el.append(el('h3', undefined, zhText('desk.compensation.title')), dataTable<CompensationLine>([
            {zh: zhText('desk.compensation.item'), cell: l => l.zh},
            {zh: zhText('desk.compensation.basis'), cell: l => l.basis, className: 'dk-basis'},
            {zh: zhText('desk.common.yuan_column'), cell: l => fmtYuan(l.yuan), className: 'om-num'},
        ], c.lines, {foot, empty: zhText('desk.compensation.no_standard'), rowData: l => ({key: l.key})}));
        if (c.projected) this.el.append(el('p', 'dk-note', zhText('public.lookup.projected')));

        if (c.override) {
            const o = c.override;
            const box = el('div', 'dk-override-now');
            box.append(el('strong', undefined, zhText('desk.compensation.override_now', {amount: fmtYuan(o.yuan)})), el('span', undefined, zhText('desk.compensation.reason_now', {reason: o.reason})),
                el('small', undefined, `${o.by} · ${fmtTime(o.at)}`));
            this.el.append(box);
        }
        if (isAdmin) this.el.append(this.overrideForm(c));
    }

    /** Amount and reason (both required: every override is audited); "撤销调整" goes back to the computed sum. */
    private overrideForm(c: Compensation): HTMLElement {
        const details = el('details', 'dk-override');
        details.append(el('summary', undefined, c.override ? zhText('desk.compensation.edit') : zhText('desk.compensation.add')));
        const form = el('form', 'dk-form-row');
        form.setAttribute('aria-label', zhText('desk.compensation.form'));
        const yuan = input('override_yuan', {type: 'number', step: '0.01', min: '0', required: true, value: String(c.override?.yuan ?? c.computed_yuan)});
        const reason = input('override_reason', {required: true, placeholder: zhText('desk.compensation.reason_placeholder')});
        const save = button(zhText('desk.compensation.save'), 'primary', 'submit');
        const clear = button(zhText('desk.compensation.clear'), 'quiet');
        clear.hidden = !c.override;
        const notice = new Notice();
        form.append(field(zhText('desk.compensation.amount'), yuan), field(zhText('desk.compensation.reason'), reason, 'dk-grow'), save, clear);
        details.append(form, notice.el);

        const submit = async (amount: number | null) => {
            if (!reason.value.trim()) return notice.fail(zhText('desk.compensation.reason_missing'));
            if (amount !== null && !(amount >= 0)) return notice.fail(zhText('desk.compensation.amount_missing'));
            notice.busy(zhText('desk.chain.saving'));
            try {
                await whileBusy([save, clear], () => setOverride(this.householdId, amount, reason.value.trim()));
                this.onChanged();
            } catch (err) {
                notice.fail(refusal(err));
            }
        };
        form.addEventListener('submit', e => { e.preventDefault(); void submit(Number(yuan.value)); });
        clear.addEventListener('click', () => void submit(null));
        return details;
    }
}
