// One household's file (户档) on the desk: holder, members, area, status, compensation, agreement, payments, attachments, objections.
import {appUrl, refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime, fmtYuan} from '../format';
import {RESETTLEMENT_ZH, batchChip, chip, householdChip, objectionChip} from '../labels';
import {el} from '../ui/dom';
import {button, link} from '../ui/form';
import {dataTable} from '../ui/table';
import {agreementPath, fetchHousehold, type HouseholdFile, type HouseholdPayment} from './api';
import {AttachmentsView} from './attachments';
import {CompensationView} from './compensation';

/** A definition list of label → value pairs, two or three to a line on a wide screen. */
function facts(pairs: [string, string | Node][]): HTMLElement {
    const dl = el('dl', 'dk-facts');
    for (const [k, v] of pairs) {
        const div = el('div');
        const dd = el('dd');
        dd.append(v);
        div.append(el('dt', undefined, k), dd);
        dl.append(div);
    }
    return dl;
}

export class HouseholdFileView {
    readonly el = el('section', 'om-card dk-file');
    private generation = 0;
    id: number | null = null;

    constructor(private user: User, private onClose: () => void) {
        this.el.setAttribute('aria-label', '户档');
        this.clear();
    }

    /** The hint shown while no household is open. */
    clear(): void {
        this.id = null;
        this.generation++;
        this.el.dataset.state = 'empty';
        this.el.replaceChildren(el('p', 'om-empty dk-file-hint', '点击查询结果中的一户，查看其户档：补偿测算、协议、支付与附件。'));
    }

    /** Loads and shows household `id`; `reveal` scrolls the file into view once drawn. */
    async open(id: number, reveal = false): Promise<void> {
        const generation = ++this.generation;
        this.id = id;
        this.el.dataset.state = 'loading';
        this.el.replaceChildren(el('p', 'om-empty', '正在读取户档…'));
        try {
            const h = await fetchHousehold(id);
            if (generation !== this.generation) return;
            this.render(h);
            if (reveal) this.el.scrollIntoView({block: 'start'});
        } catch (err) {
            if (generation !== this.generation) return;
            this.el.dataset.state = 'error';
            this.el.replaceChildren(el('p', 'om-notice', `户档读取失败：${refusal(err)}`));
        }
    }

    private render(h: HouseholdFile): void {
        const mayWrite = this.user.role === 'admin' || this.user.role === 'operator';
        const head = el('header', 'dk-file-head');
        const title = el('h2', undefined, h.holder_name);
        title.append(el('small', undefined, h.code));
        const chips = el('div', 'dk-chips');
        chips.append(householdChip(h.status));
        if (h.difficult) chips.append(chip('困难户', 'difficult', 'bad'));
        const docx = link('征收补偿协议（.docx）', appUrl(agreementPath(h.id)), 'om-btn om-btn-quiet');
        docx.download = `${h.code}-征收补偿协议.docx`;
        const close = button('关闭', 'quiet');
        close.addEventListener('click', () => this.onClose());
        const tools = el('div', 'dk-file-tools');
        tools.append(docx, close);
        head.append(title, chips, tools);

        const basics = el('section', 'dk-section');
        basics.append(facts([
            ['户主', h.holder_name],
            ['身份证号', h.holder_id_number],
            ['家庭人口', `${h.members} 人`],
            ['认定面积', `${h.recorded_area} m²`],
            ['楼栋', h.building_code ?? '—'],
            ['项目', `${h.project_name}（${h.project_code}）`],
            ['安置方式', h.resettlement ? RESETTLEMENT_ZH[h.resettlement] ?? h.resettlement : '未选择'],
        ]));

        const money = el('section', 'dk-section dk-agreement');
        money.append(el('h3', undefined, '协议与支付'));
        const a = h.agreement;
        money.append(a
            ? facts([['协议金额', `${fmtYuan(a.yuan)} 元`], ['签约时间', fmtTime(a.signed_at)],
                ['已纳入支付批次', `${fmtYuan(a.committed_yuan)} 元`], ['已支付', `${fmtYuan(a.paid_yuan)} 元`],
                ['尚未支付', `${fmtYuan(a.yuan - a.paid_yuan)} 元`]])
            : el('p', 'om-empty', '尚未签订征收补偿协议'));
        money.append(dataTable<HouseholdPayment>([
            {zh: '支付批次', cell: p => `#${p.batch_id}`},
            {zh: '金额（元）', cell: p => fmtYuan(p.yuan), className: 'om-num'},
            {zh: '批次状态', cell: p => batchChip(p.batch_status)},
        ], h.payments, {empty: '暂无支付记录'}));

        this.el.dataset.state = 'open';
        this.el.dataset.household = String(h.id);
        this.el.replaceChildren(head, basics,
            new CompensationView(h.id, h.compensation, this.user.role === 'admin', () => void this.open(h.id)).el,
            money, new AttachmentsView(h.id, h.attachments, mayWrite).el);
        if (h.objections?.length) {
            const obj = el('section', 'dk-section');
            obj.append(el('h3', undefined, '申诉'));
            for (const o of h.objections) {
                const item = el('div', 'dk-objection-mini');
                item.append(el('strong', undefined, o.ticket ?? ''), objectionChip(o.status ?? ''), el('p', undefined, o.body ?? ''));
                if (o.answer) item.append(el('p', 'dk-answer', `答复：${o.answer}`));
                obj.append(item);
            }
            this.el.append(obj);
        }
    }
}

