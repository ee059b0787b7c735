// 查询本户: a resident enters name and ID number and sees only their own household's record; refusals explained kindly.
import {ApiError} from '../api/client';
import {fmtTime, fmtYuan} from '../format';
import {HOUSEHOLD_STATUS_ZH, OBJECTION_STATUS_ZH} from '../labels';
import {el} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {lookup, type OwnHousehold} from './api';
import {idProblem, normaliseId} from './id-number';

/** What the resident did the look-up with, handed to the objection form so they need not type it twice. */
export type Resident = {name: string; id_number: string; household_code: string};

/** The kind words for a refused public request (404: no match; 429: too many tries). */
export function publicRefusal(err: unknown, notFound: string): string {
    if (!(err instanceof ApiError)) return '查询失败，请稍后再试。';
    if (err.status === 404) return notFound;
    if (err.status === 429) {
        const wait = err.retryAfter ? `请 ${err.retryAfter} 秒后再试` : '请稍后再试';
        return `查询过于频繁，${wait}。为保护居民信息，每个网络地址每分钟最多查询 5 次。`;
    }
    if (err.status === 0) return '无法连接服务器，请检查网络后重试。';
    return `未能完成：${err.detail || `HTTP ${err.status}`}`;
}

export class LookupBox {
    readonly el = el('section', 'pub-card pub-lookup');
    private name = input('name', {autocomplete: 'name', required: true, maxLength: 30, placeholder: '与登记一致的户主姓名'});
    private idNumber = input('id_number', {autocomplete: 'off', required: true, maxLength: 20, inputMode: 'text', placeholder: '18 位身份证号'});
    private send = button('查询', 'primary', 'submit');
    private notice = new Notice();
    private result = el('div', 'pub-lookup-result');

    constructor(private onObject: (r: Resident) => void) {
        this.el.id = 'lookup';
        this.el.setAttribute('aria-label', '查询本户');
        const form = el('form', 'pub-form');
        form.append(field('户主姓名', this.name), field('身份证号', this.idNumber), this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.el.append(el('h2', undefined, '查询本户'),
            el('p', 'pub-hint', '输入户主姓名和身份证号，查看本户的调查登记、补偿测算、签约与支付情况。仅显示与您信息相符的住户。'),
            form, this.notice.el, this.result);
    }

    private async run(): Promise<void> {
        const name = this.name.value.trim();
        const id = normaliseId(this.idNumber.value);
        this.result.replaceChildren();
        if (!name) return this.notice.fail('请输入户主姓名');
        const problem = idProblem(id);
        if (problem) return this.notice.fail(problem);
        this.notice.busy('正在查询…');
        try {
            const r = await whileBusy([this.send], () => lookup(name, id));
            if (r.households.length === 0) return this.notice.fail('未查到相符的住户记录。');
            this.notice.ok(`查到 ${r.households.length} 户记录`);
            const clear = button('清除查询结果', 'quiet');
            clear.addEventListener('click', () => { this.result.replaceChildren(); this.notice.clear(); this.idNumber.value = ''; });
            this.result.append(...r.households.map(h => this.record(h, {name, id_number: id, household_code: h.code})), clear);
        } catch (err) {
            this.notice.fail(publicRefusal(err, '未查到与该姓名和身份证号相符的已公开项目住户。请核对姓名（与登记一致）和身份证号后重试；如有疑问，请联系项目征收指挥部。'));
        }
    }

    private record(h: OwnHousehold, who: Resident): HTMLElement {
        const card = el('article', 'pub-record');
        card.dataset.household = h.code;
        card.append(el('h3', undefined, `${h.project_name} · ${h.code}`));
        const dl = el('dl', 'pub-facts');
        const add = (k: string, v: string) => {
            const d = el('div');
            d.append(el('dt', undefined, k), el('dd', undefined, v));
            dl.append(d);
        };
        add('楼栋', h.building_code ?? '—');
        add('进度', HOUSEHOLD_STATUS_ZH[h.status] ?? h.status);
        add('认定面积', `${h.recorded_area} m²`);
        add('应补偿', h.compensation?.total_yuan !== undefined ? `${fmtYuan(h.compensation.total_yuan)} 元` : '—');
        add('协议金额', h.agreement ? `${fmtYuan(h.agreement.yuan)} 元` : '尚未签约');
        if (h.agreement) add('签约日期', fmtTime(h.agreement.signed_on ?? h.agreement.signed_at).slice(0, 10));
        add('已支付', `${fmtYuan(h.paid_yuan ?? h.agreement?.paid_yuan ?? 0)} 元`);
        card.append(dl);
        const lines = h.compensation?.lines ?? [];
        if (lines.length) {
            card.append(el('h4', undefined, '补偿测算明细'), dataTable([
                {zh: '项目', cell: (l: typeof lines[number]) => l.zh},
                {zh: '依据', cell: (l: typeof lines[number]) => l.basis, className: 'pub-basis'},
                {zh: '金额（元）', cell: (l: typeof lines[number]) => fmtYuan(l.yuan), className: 'om-num'},
            ], lines));
            if (h.compensation?.projected) card.append(el('p', 'pub-hint', '尚未签约：签约奖励按今日签约测算，以实际签约日期为准。'));
        }
        if (h.objections.length) {
            card.append(el('h4', undefined, '本户申诉'));
            for (const o of h.objections) {
                const p = el('p', 'pub-objection-line', `${o.ticket} · ${OBJECTION_STATUS_ZH[o.status] ?? o.status} · ${o.body}`);
                if (o.answer) p.append(el('span', 'pub-answer', `答复：${o.answer}`));
                card.append(p);
            }
        }
        const object = button('对本户情况提出申诉', 'quiet');
        object.addEventListener('click', () => this.onObject(who));
        card.append(object);
        return card;
    }
}
