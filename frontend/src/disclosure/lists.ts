// The five public lists of a project (五榜公示: 调查登记, 签约, 补偿支付, 奖励, 进度) as tabs, each a paged table of masked rows.
import {refusal} from '../api/client';
import {fmtYuan} from '../format';
import {inLang, zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice} from '../ui/form';
import {Pager, dataTable} from '../ui/table';
import {LISTS, fetchPublicList, type Cell, type ListKey, type PublicList} from './api';

// the public page has no language switch (yet): its texts are Chinese
const zh = (key: string) => inLang('zh', key);

const PAGE = 20;
const int = new Intl.NumberFormat('zh-CN', {maximumFractionDigits: 2});

/** A cell as shown: money with two decimals, other numbers grouped, booleans as 是/否, empty as —. */
function cellText(key: string, v: Cell | undefined): string {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return v ? zhText('public.lists.yes') : zhText('public.lists.no');
    if (typeof v === 'number') return /yuan|amount|金额/.test(key) ? fmtYuan(v) : int.format(v);
    return v;
}

export class PublicLists {
    readonly el = el('section', 'pub-card pub-lists');
    private tabs = el('div', 'pub-tabs');
    private table = el('div', 'pub-list-table');
    private caption = el('p', 'pub-list-caption');
    private notice = new Notice();
    private pager = new Pager(PAGE, offset => void this.load(this.current, offset));
    private current: ListKey = 'survey';
    private generation = 0;

    constructor(private project: string) {
        this.el.id = 'lists';
        this.el.setAttribute('aria-label', zhText('public.lists.title'));
        this.tabs.setAttribute('role', 'tablist');
        for (const l of LISTS) {
            const b = el('button', 'pub-tab', zhText('public.lists.tab', {list: zh(`list.${l}`)}));
            b.type = 'button';
            b.dataset.list = l;
            b.setAttribute('role', 'tab');
            b.addEventListener('click', () => void this.load(l, 0));
            this.tabs.append(b);
        }
        this.el.append(el('h2', undefined, zhText('public.lists.title')), this.tabs, this.caption, this.notice.el, this.table, this.pager.el);
        void this.load('survey', 0);
    }

    private async load(list: ListKey, offset: number): Promise<void> {
        const generation = ++this.generation;
        this.current = list;
        for (const b of this.tabs.querySelectorAll<HTMLButtonElement>('button')) b.setAttribute('aria-selected', String(b.dataset.list === list));
        this.el.dataset.list = list;
        this.el.dataset.state = 'loading';
        this.notice.busy(zhText('public.common.reading'));
        try {
            const doc = await fetchPublicList(this.project, list, PAGE, offset);
            if (generation !== this.generation) return;
            this.notice.clear();
            this.render(doc, offset);
            this.el.dataset.state = 'ready';
        } catch (err) {
            if (generation !== this.generation) return;
            this.notice.fail(zhText('public.lists.failed', {reason: refusal(err)}));
            this.table.replaceChildren();
            this.el.dataset.state = 'error';
        }
    }

    private render(doc: PublicList, offset: number): void {
        const value = (row: PublicList['rows'][number], key: string, i: number): Cell | undefined =>
            Array.isArray(row) ? row[i] : row[key];
        this.caption.textContent = zhText('public.lists.caption', {list: zh(`list.${doc.list}`), total: doc.total});
        this.table.replaceChildren(dataTable(
            doc.columns.map((c, i) => ({zh: zh(`list.column.${c.key}`), cell: (r: PublicList['rows'][number]) => cellText(c.key, value(r, c.key, i)), className: `pub-col-${c.key}`})),
            doc.rows, {empty: zhText('public.lists.empty')},
        ));
        this.pager.show(offset, doc.total);
    }
}
