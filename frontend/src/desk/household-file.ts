// One household's file (户档) on the desk: holder, members, area, status, compensation, agreement, payments, 补偿决定, attachments, objections.
import {appUrl, refusal} from '../api/client';
import type {User} from '../auth/api';
import {fmtTime, fmtYuan} from '../format';
import {RESETTLEMENT_ZH, batchChip, chip, householdChip, objectionChip} from '../labels';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {button, link} from '../ui/form';
import {dataTable} from '../ui/table';
import {agreementPath, fetchHousehold, type HouseholdFile, type HouseholdPayment} from './api';
import {AttachmentsView} from './attachments';
import {CompensationView} from './compensation';
import {DecisionView} from './decision';
import {householdStatusSection} from './household-status';

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
        this.el.setAttribute('aria-label', zhText('desk.file.title'));
        this.clear();
    }

    /** The hint shown while no household is open. */
    clear(): void {
        this.id = null;
        this.generation++;
        this.el.dataset.state = 'empty';
        this.el.replaceChildren(el('p', 'om-empty dk-file-hint', zhText('desk.file.hint')));
    }

    /** Loads and shows household `id`; `reveal` scrolls the file into view once drawn. */
    async open(id: number, reveal = false): Promise<void> {
        const generation = ++this.generation;
        this.id = id;
        this.el.dataset.state = 'loading';
        this.el.replaceChildren(el('p', 'om-empty', zhText('desk.file.loading')));
        try {
            const h = await fetchHousehold(id);
            if (generation !== this.generation) return;
            this.render(h);
            if (reveal) this.el.scrollIntoView({block: 'start'});
        } catch (err) {
            if (generation !== this.generation) return;
            this.el.dataset.state = 'error';
            this.el.replaceChildren(el('p', 'om-notice', zhText('desk.file.failed', {reason: refusal(err)})));
        }
    }

    private render(h: HouseholdFile): void {
        const mayWrite = this.user.role === 'admin' || this.user.role === 'operator';
        const head = el('header', 'dk-file-head');
        const title = el('h2', undefined, h.holder_name);
        title.append(el('small', undefined, h.code));
        const chips = el('div', 'dk-chips');
        chips.append(householdChip(h.status));
        if (h.difficult) chips.append(chip(zhText('desk.file.difficult'), 'difficult', 'bad'));
        const docx = link(zhText('desk.file.agreement_docx'), appUrl(agreementPath(h.id)), 'om-btn om-btn-quiet');
        docx.download = zhText('desk.file.agreement_file', {code: h.code});
        const close = button(zhText('desk.common.close'), 'quiet');
        close.addEventListener('click', () => this.onClose());
        const tools = el('div', 'dk-file-tools');
        tools.append(docx, close);
        head.append(title, chips, tools);

        const basics = el('section', 'dk-section');
        basics.append(facts([
            [zhText('list.column.holder'), h.holder_name],
            [zhText('list.column.id_number'), h.holder_id_number],
            [zhText('desk.file.members'), zhText('desk.file.members_value', {count: h.members})],
            [zhText('desk.common.recorded_area'), `${h.recorded_area} m²`],
            [zhText('desk.common.building'), h.building_code ?? '—'],
            [zhText('desk.common.project'), zhText('desk.file.project_value', {name: h.project_name, code: h.project_code})],
            [zhText('list.column.resettlement'), h.resettlement ? RESETTLEMENT_ZH[h.resettlement] ?? h.resettlement : zhText('desk.file.resettlement_none')],
        ]));

        const money = el('section', 'dk-section dk-agreement');
        money.append(el('h3', undefined, zhText('desk.file.money')));
        const a = h.agreement;
        money.append(a
            ? facts([[zhText('desk.common.agreement_amount'), zhText('desk.common.yuan', {amount: fmtYuan(a.yuan)})], [zhText('desk.file.signed_at'), fmtTime(a.signed_at)],
                [zhText('desk.file.committed'), zhText('desk.common.yuan', {amount: fmtYuan(a.committed_yuan)})], [zhText('desk.common.paid'), zhText('desk.common.yuan', {amount: fmtYuan(a.paid_yuan)})],
                [zhText('desk.file.unpaid'), zhText('desk.common.yuan', {amount: fmtYuan(a.yuan - a.paid_yuan)})]])
            : el('p', 'om-empty', zhText('desk.file.no_agreement')));
        money.append(dataTable<HouseholdPayment>([
            {zh: zhText('desk.batches.title'), cell: p => `#${p.batch_id}`},
            {zh: zhText('desk.common.yuan_column'), cell: p => fmtYuan(p.yuan), className: 'om-num'},
            {zh: zhText('desk.file.batch_status'), cell: p => batchChip(p.batch_status)},
        ], h.payments, {empty: zhText('desk.file.no_payments')}));

        this.el.dataset.state = 'open';
        this.el.dataset.household = String(h.id);
        // A write changes the state chip at once; the rest of the file (the agreement) on the next open.
        const status = householdStatusSection(this.user, h.id, now => chips.firstElementChild?.replaceWith(householdChip(now.status)));
        this.el.replaceChildren(head, basics, status,
            new CompensationView(h.id, h.compensation, this.user.role === 'admin', () => void this.open(h.id)).el,
            money, new DecisionView(h.id).el, new AttachmentsView(h.id, h.attachments, mayWrite).el);
        if (h.objections?.length) {
            const obj = el('section', 'dk-section');
            obj.append(el('h3', undefined, zhText('desk.file.objections')));
            for (const o of h.objections) {
                const item = el('div', 'dk-objection-mini');
                item.append(el('strong', undefined, o.ticket ?? ''), objectionChip(o.status ?? ''), el('p', undefined, o.body ?? ''));
                if (o.answer) item.append(el('p', 'dk-answer', zhText('desk.common.answer', {answer: o.answer})));
                obj.append(item);
            }
            this.el.append(obj);
        }
    }
}

