// 查询本户: a resident enters name and ID number and sees only their own household's record; refusals explained kindly.
import {ApiError, refusal} from '../api/client';
import {fmtTime, fmtYuan} from '../format';
import {HOUSEHOLD_STATUS_ZH, OBJECTION_STATUS_ZH} from '../labels';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {lookup, type OwnHousehold} from './api';
import {idProblem, normaliseId} from './id-number';

/** What the resident did the look-up with, handed to the objection form so they need not type it twice. */
export type Resident = {name: string; id_number: string; household_code: string};

/** The kind words for a refused public request (404: no match; 429: too many tries). */
export function publicRefusal(err: unknown, notFound: string): string {
    if (!(err instanceof ApiError)) return zhText('public.lookup.failed');
    if (err.status === 404) return notFound;
    if (err.status === 429) {
        const wait = err.retryAfter ? zhText('public.lookup.wait_seconds', {seconds: err.retryAfter}) : zhText('public.lookup.wait_later');
        return zhText('public.lookup.too_many', {wait});
    }
    if (err.status === 0) return zhText('public.lookup.offline');
    return zhText('public.lookup.not_done', {detail: refusal(err)});
}

export class LookupBox {
    readonly el = el('section', 'pub-card pub-lookup');
    private name = input('name', {autocomplete: 'name', required: true, maxLength: 30, placeholder: zhText('public.lookup.name_placeholder')});
    private idNumber = input('id_number', {autocomplete: 'off', required: true, maxLength: 20, inputMode: 'text', placeholder: zhText('public.lookup.id_placeholder')});
    private send = button(zhText('public.lookup.send'), 'primary', 'submit');
    private notice = new Notice();
    private result = el('div', 'pub-lookup-result');

    constructor(private onObject: (r: Resident) => void) {
        this.el.id = 'lookup';
        this.el.setAttribute('aria-label', zhText('public.lookup.title'));
        const form = el('form', 'pub-form');
        form.append(field(zhText('public.lookup.name'), this.name), field(zhText('list.column.id_number'), this.idNumber), this.send);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.el.append(el('h2', undefined, zhText('public.lookup.title')),
            el('p', 'pub-hint', zhText('public.lookup.hint')),
            form, this.notice.el, this.result);
    }

    private async run(): Promise<void> {
        const name = this.name.value.trim();
        const id = normaliseId(this.idNumber.value);
        this.result.replaceChildren();
        if (!name) return this.notice.fail(zhText('public.lookup.name_missing'));
        const problem = idProblem(id);
        if (problem) return this.notice.fail(problem);
        this.notice.busy(zhText('public.lookup.busy'));
        try {
            const r = await whileBusy([this.send], () => lookup(name, id));
            if (r.households.length === 0) return this.notice.fail(zhText('public.lookup.none'));
            this.notice.ok(zhText('public.lookup.found', {count: r.households.length}));
            const clear = button(zhText('public.lookup.clear'), 'quiet');
            clear.addEventListener('click', () => { this.result.replaceChildren(); this.notice.clear(); this.idNumber.value = ''; });
            this.result.append(...r.households.map(h => this.record(h, {name, id_number: id, household_code: h.code})), clear);
        } catch (err) {
            this.notice.fail(publicRefusal(err, zhText('public.lookup.not_found')));
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
        add(zhText('public.lookup.building'), h.building_code ?? '—');
        add(zhText('public.lookup.progress'), HOUSEHOLD_STATUS_ZH[h.status] ?? h.status);
        add(zhText('public.lookup.recorded_area'), `${h.recorded_area} m²`);
        add(zhText('public.lookup.compensation'), h.compensation?.total_yuan !== undefined ? zhText('public.lookup.yuan', {amount: fmtYuan(h.compensation.total_yuan)}) : '—');
        add(zhText('public.lookup.agreement_amount'), h.agreement ? zhText('public.lookup.yuan', {amount: fmtYuan(h.agreement.yuan)}) : zhText('public.lookup.unsigned'));
        if (h.agreement) add(zhText('list.column.signed_on'), fmtTime(h.agreement.signed_on ?? h.agreement.signed_at).slice(0, 10));
        add(zhText('public.lookup.paid'), zhText('public.lookup.yuan', {amount: fmtYuan(h.paid_yuan ?? h.agreement?.paid_yuan ?? 0)}));
        card.append(dl);
        const lines = h.compensation?.lines ?? [];
        if (lines.length) {
            card.append(el('h4', undefined, zhText('public.lookup.lines')), dataTable([
                {zh: zhText('public.lookup.line_item'), cell: (l: typeof lines[number]) => l.zh},
                {zh: zhText('list.column.basis'), cell: (l: typeof lines[number]) => l.basis, className: 'pub-basis'},
                {zh: zhText('public.lookup.line_yuan'), cell: (l: typeof lines[number]) => fmtYuan(l.yuan), className: 'om-num'},
            ], lines, {cards: true}));
            if (h.compensation?.projected) card.append(el('p', 'pub-hint', zhText('public.lookup.projected')));
        }
        if (h.objections.length) {
            card.append(el('h4', undefined, zhText('public.lookup.objections')));
            for (const o of h.objections) {
                const p = el('p', 'pub-objection-line', `${o.ticket} · ${OBJECTION_STATUS_ZH[o.status] ?? o.status} · ${o.body}`);
                if (o.answer) p.append(el('span', 'pub-answer', zhText('public.lookup.answer', {answer: o.answer})));
                card.append(p);
            }
        }
        const object = button(zhText('public.lookup.object'), 'quiet');
        object.addEventListener('click', () => this.onObject(who));
        card.append(object);
        return card;
    }
}
