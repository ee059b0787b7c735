// A household's compensation: the computed lines with their basis, the 一事一议 override as it stands, and the admin's override form.
import {refusal} from '../api/client';
import {fmtTime, fmtYuan} from '../format';
import {el} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable, footRow} from '../ui/table';
import {setOverride, type Compensation, type CompensationLine} from './api';

export class CompensationView {
    readonly el = el('section', 'dk-section dk-compensation');

    /** `onChanged` reloads the household's file after the override was saved or removed. */
    constructor(private householdId: number, c: Compensation, isAdmin: boolean, private onChanged: () => void) {
        const foot = [footRow('测算合计', 2, fmtYuan(c.computed_yuan))];
        if (c.override) foot.push(footRow('一事一议调整后', 2, fmtYuan(c.override.yuan)));
        const total = footRow('应补偿合计', 2, fmtYuan(c.total_yuan));
        total.className = 'dk-total';
        total.dataset.total = String(c.total_yuan);
        foot.push(total);
        this.el.append(el('h3', undefined, '补偿测算'), dataTable<CompensationLine>([
            {zh: '补偿项目', cell: l => l.zh},
            {zh: '计算依据', cell: l => l.basis, className: 'dk-basis'},
            {zh: '金额（元）', cell: l => fmtYuan(l.yuan), className: 'om-num'},
        ], c.lines, {foot, empty: '该项目尚未设定补偿标准', rowData: l => ({key: l.key})}));
        if (c.projected) this.el.append(el('p', 'dk-note', '尚未签约：签约奖励按今日签约测算，以实际签约日期为准。'));

        if (c.override) {
            const o = c.override;
            const box = el('div', 'dk-override-now');
            box.append(el('strong', undefined, `一事一议：${fmtYuan(o.yuan)} 元`), el('span', undefined, `理由：${o.reason}`),
                el('small', undefined, `${o.by} · ${fmtTime(o.at)}`));
            this.el.append(box);
        }
        if (isAdmin) this.el.append(this.overrideForm(c));
    }

    /** Amount and reason (both required: every override is audited); "撤销调整" goes back to the computed sum. */
    private overrideForm(c: Compensation): HTMLElement {
        const details = el('details', 'dk-override');
        details.append(el('summary', undefined, c.override ? '修改或撤销一事一议调整' : '一事一议调整（管理员）'));
        const form = el('form', 'dk-form-row');
        form.setAttribute('aria-label', '一事一议调整');
        const yuan = input('override_yuan', {type: 'number', step: '0.01', min: '0', required: true, value: String(c.override?.yuan ?? c.computed_yuan)});
        const reason = input('override_reason', {required: true, placeholder: '调整理由（必填，记入审计日志）'});
        const save = button('保存调整', 'primary', 'submit');
        const clear = button('撤销调整', 'quiet');
        clear.hidden = !c.override;
        const notice = new Notice();
        form.append(field('调整后金额（元）', yuan), field('理由', reason, 'dk-grow'), save, clear);
        details.append(form, notice.el);

        const submit = async (amount: number | null) => {
            if (!reason.value.trim()) return notice.fail('请填写调整理由');
            if (amount !== null && !(amount >= 0)) return notice.fail('请填写调整后金额');
            notice.busy('正在保存…');
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
