// The cockpit's estate drawer beside the map: a clicked resettlement estate's 楼盘表 (with holders for those who may see household files), its counts, live from the cockpit's feed (apply, refresh); closes with × or Escape.
import {refusal} from '../api/client';
import {t} from '../i18n';
import {el, errorLine} from '../ui/dom';
import {fetchGrid, type UnitEvent} from '../housing/api';
import {UnitGrid} from '../housing/grid';

export class EstateDrawer {
    readonly el = el('aside', 'om-estate-drawer');
    private title = el('h2');
    private meta = el('p', 'om-card-note');
    private grid = new UnitGrid();
    private body = el('div', 'om-estate-body');
    private code: string | null = null;

    constructor() {
        this.el.hidden = true;
        this.el.setAttribute('aria-label', t('housing.drawer.label'));
        const close = el('button', 'om-btn om-btn-quiet om-estate-close', '×');
        close.type = 'button';
        close.title = t('housing.drawer.close');
        close.addEventListener('click', () => this.close());
        document.addEventListener('keydown', e => { if (e.key === 'Escape' && !this.el.hidden) this.close(); });
        const head = el('header', 'om-card-head');
        head.append(this.title, close);
        this.body.append(this.grid.el);
        this.el.append(head, this.meta, this.body);
        document.body.append(this.el);
    }

    async open(code: string): Promise<void> {
        this.code = code;
        this.el.hidden = false;
        this.el.dataset.estate = code;
        delete this.el.dataset.ready;
        this.title.textContent = code;
        try {
            const data = await fetchGrid(code);
            if (this.code !== code) return;
            this.title.textContent = data.name;
            this.meta.textContent = t('housing.drawer.meta', {region: data.region_name, delivery: data.delivery_planned ?? '—',
                types: data.types.map(x => `${x.code} ${x.area}㎡`).join(' / ')});
            this.body.replaceChildren(this.grid.el);
            this.grid.show(data);
            this.el.dataset.ready = 'true';
        } catch (err) {
            this.body.replaceChildren(errorLine(t('housing.drawer.failed', {reason: refusal(err)})));
        }
    }

    /** A unit event from the feed: recolours the cell when it is of the estate shown. */
    apply(ev: UnitEvent): void {
        if (ev.estate_code === this.code) this.grid.apply(ev);
    }

    /** Events may have been missed (the feed resynced): read the grid again. */
    refresh(): void {
        const code = this.code;
        if (code) void fetchGrid(code).then(g => { if (this.code === code) this.grid.show(g); });
    }

    close(): void {
        this.code = null;
        this.el.hidden = true;
    }
}
