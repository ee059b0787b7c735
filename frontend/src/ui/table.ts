// A data table in a horizontally scrolling frame (wide tables never widen the page) and a pager for limit/offset lists.
import {zhText} from '../i18n';
import {el} from './dom';

/** One column: its heading, how a row fills the cell (text or an element), and an optional class (numbers align right). */
export type Column<R> = {
    zh: string;
    cell: (row: R) => string | Node;
    className?: string;
};

export type TableOptions<R> = {
    /** Called when a row is clicked or chosen with Enter: the row becomes a button for keyboards too. */
    onRow?: (row: R, tr: HTMLTableRowElement) => void;
    /** Shown in place of the table when there are no rows. */
    empty?: string;
    /** Extra attributes per row (data-id for tests and for marking the open row). */
    rowData?: (row: R) => Record<string, string>;
    /** Rows summed up under the body (合计). */
    foot?: HTMLTableRowElement[];
    /** On a phone each row becomes a card of "heading: value" lines instead of a table wider than the screen. */
    cards?: boolean;
};

/** `<div class="om-table-frame"><table>…</table></div>`: the frame scrolls sideways inside its card. */
export function dataTable<R>(columns: Column<R>[], rows: R[], opts: TableOptions<R> = {}): HTMLElement {
    const frame = el('div', opts.cards ? 'om-table-frame om-table-cards' : 'om-table-frame');
    if (rows.length === 0 && opts.empty) {
        frame.append(el('p', 'om-empty', opts.empty));
        return frame;
    }
    const table = el('table', 'om-table');
    const head = el('tr');
    for (const c of columns) head.append(el('th', c.className, c.zh));
    table.createTHead().append(head);
    const body = table.createTBody();
    for (const row of rows) {
        const tr = el('tr');
        for (const c of columns) {
            const td = el('td', c.className);
            // the heading beside the value when the row is shown as a card
            td.dataset.label = c.zh;
            td.append(c.cell(row));
            tr.append(td);
        }
        for (const [k, v] of Object.entries(opts.rowData?.(row) ?? {})) tr.dataset[k] = v;
        if (opts.onRow) {
            const open = opts.onRow;
            tr.tabIndex = 0;
            tr.classList.add('om-table-link');
            tr.addEventListener('click', () => open(row, tr));
            tr.addEventListener('keydown', e => { if (e.key === 'Enter') open(row, tr); });
        }
        body.append(tr);
    }
    if (opts.foot?.length) table.createTFoot().append(...opts.foot);
    frame.append(table);
    return frame;
}

/** A row for a table foot: a label spanning `span` columns, then the given cells. */
export function footRow(label: string, span: number, ...cells: (string | Node)[]): HTMLTableRowElement {
    const tr = el('tr');
    const th = el('th', undefined, label);
    th.colSpan = span;
    tr.append(th);
    for (const c of cells) {
        const td = el('td', 'om-num');
        td.append(c);
        tr.append(td);
    }
    return tr;
}

/** "第 1–50 条，共 812 条" with 上一页 / 下一页; calls `go(offset)` when a page is chosen. */
export class Pager {
    readonly el = el('nav', 'om-pager');
    private info = el('span', 'om-pager-info');
    private prev = el('button', 'om-btn om-btn-quiet', zhText('table.pager.prev'));
    private next = el('button', 'om-btn om-btn-quiet', zhText('table.pager.next'));
    private offset = 0;
    private total = 0;

    constructor(private limit: number, private go: (offset: number) => void) {
        this.el.setAttribute('aria-label', zhText('table.pager.label'));
        this.prev.type = this.next.type = 'button';
        this.prev.addEventListener('click', () => this.go(Math.max(0, this.offset - this.limit)));
        this.next.addEventListener('click', () => this.go(this.offset + this.limit));
        this.el.append(this.prev, this.info, this.next);
        this.show(0, 0);
    }

    show(offset: number, total: number): void {
        this.offset = offset;
        this.total = total;
        const last = Math.min(total, offset + this.limit);
        this.info.textContent = total === 0 ? zhText('table.pager.none') : zhText('table.pager.range', {first: offset + 1, last, total});
        this.prev.disabled = offset <= 0;
        this.next.disabled = last >= this.total;
        this.el.hidden = total <= this.limit && offset === 0;
    }
}
