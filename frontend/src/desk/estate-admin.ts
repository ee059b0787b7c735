// The desk's 房源管理 card (admins and the region's operators): add an estate with its outline (a GeoJSON file in EPSG:4326), redraw the chosen estate's outline, say which projects' swap households draw on it (admins), and import its 房源表 (XLSX/CSV from the template: all or nothing, or only the rows that pass; rejected rows listed by row and column in the server's words).
import {ApiError, errorSentence, refusal} from '../api/client';
import {fetchRegions} from '../admin/api';
import {fmtInt} from '../format';
import {zhText} from '../i18n';
import {createEstate, estateProjects, importInventory, inventoryTemplateUrl, redrawEstate, setEstateProjects, type InventoryReport} from '../housing/api';
import {el} from '../ui/dom';
import {Notice, button, field, input, textarea, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';

/** The polygon of a GeoJSON file: a geometry, a Feature, or a FeatureCollection's only feature; the server judges the rest. */
async function outlineOf(file: File): Promise<unknown> {
    let json: {type?: string; geometry?: unknown; features?: {geometry?: unknown}[]};
    try {
        json = JSON.parse(await file.text()) as typeof json;
    } catch (err) {
        throw new Error(zhText('desk.housing.outline_unreadable', {name: file.name, reason: String(err)}), {cause: err});
    }
    if (json.type === 'FeatureCollection') {
        if (json.features?.length !== 1) throw new Error(zhText('desk.housing.outline_one', {name: file.name, count: json.features?.length ?? 0}));
        return json.features[0].geometry;
    }
    return json.type === 'Feature' ? json.geometry : json;
}

/** A refusal in the server's words, or what the page itself found wrong with the file. */
const said = (err: unknown) => (err instanceof Error && !(err instanceof ApiError) ? err.message : refusal(err));

/** Runs `work` on the form's submit with its button busy; its refusal goes to `notice` (the file that was missing too). */
function onSubmit(form: HTMLFormElement, send: HTMLButtonElement, notice: Notice, work: () => Promise<void>): void {
    form.addEventListener('submit', e => {
        e.preventDefault();
        void whileBusy([send], async () => {
            try {
                await work();
            } catch (err) {
                notice.fail(said(err));
            }
        });
    });
}

/** The one file chosen in `picker`, or the refusal that none was. */
function chosen(picker: HTMLInputElement): File {
    const file = picker.files?.[0];
    if (!file) throw new Error(zhText('desk.housing.file_missing'));
    return file;
}

export class EstateAdmin {
    readonly el = el('section', 'om-card dk-estate-admin');
    private estate: string | null = null;
    private redrawTitle = el('h3');
    private inventoryTitle = el('h3');
    private drawsTitle = el('h3');
    private draws = textarea('draws', {rows: 3, placeholder: '330602-2025-0004'});
    private drawsNotice = new Notice();

    /** `changed` after an estate was added or changed: the tab reads its estates again and opens `code`. */
    constructor(private changed: (code: string) => void, private admin: boolean) {
        this.el.append(el('h2', undefined, zhText('desk.housing.admin_title')), this.createForm(), this.redrawForm(), this.drawsForm(),
            this.inventoryForm());
    }

    /** The estate the redraw and the import act on (the tab's chosen one). */
    setEstate(code: string | null): void {
        this.estate = code;
        this.redrawTitle.textContent = zhText('desk.housing.redraw_title', {code: code ?? '—'});
        this.inventoryTitle.textContent = zhText('desk.housing.inventory_title', {code: code ?? '—'});
        this.drawsTitle.textContent = zhText('desk.housing.draws_title', {code: code ?? '—'});
        this.drawsNotice.clear();
        this.draws.value = '';
        if (code) void estateProjects(code).then(r => { if (this.estate === code) this.draws.value = r.projects.join('\n'); })
            .catch(err => this.drawsNotice.fail(said(err)));
    }

    /** The projects whose swap households may choose from the estate: the whole list, one code a line (admins save). */
    private drawsForm(): HTMLFormElement {
        const form = el('form', 'dk-estate-draws');
        const send = button(zhText('desk.housing.draws_save'), 'primary', 'submit');
        this.draws.disabled = !this.admin;
        form.append(this.drawsTitle, field(zhText('desk.housing.draws'), this.draws), ...(this.admin ? [send] : []), this.drawsNotice.el);
        onSubmit(form, send, this.drawsNotice, async () => {
            if (!this.estate) return;
            const projects = [...new Set(this.draws.value.split(/[\s,，;；、]+/).map(c => c.trim()).filter(Boolean))];
            const saved = await setEstateProjects(this.estate, projects);
            this.draws.value = saved.projects.join('\n');
            this.drawsNotice.ok(zhText('desk.housing.draws_saved', {count: saved.projects.length}));
        });
        return form;
    }

    private createForm(): HTMLFormElement {
        const form = el('form', 'dk-estate-new');
        const code = input('estate_code', {required: true, placeholder: 'AZ-330602-009', autocomplete: 'off'});
        const name = input('estate_name', {required: true, autocomplete: 'off'});
        const region = input('estate_region', {required: true, autocomplete: 'off'});
        const regions = el('datalist');
        regions.id = 'dk-estate-regions';
        region.setAttribute('list', regions.id);
        void fetchRegions().then(list => regions.replaceChildren(...list.map(r => new Option(`${r.name}（${r.level}）`, r.code)))).catch(() => {});
        const address = input('estate_address', {autocomplete: 'off'});
        const delivery = input('estate_delivery', {type: 'date'});
        const outline = input('estate_outline', {type: 'file', accept: '.geojson,.json', required: true});
        const send = button(zhText('desk.housing.create'), 'primary', 'submit');
        const notice = new Notice();
        const row = el('div', 'dk-form-row');
        row.append(field(zhText('desk.housing.new_code'), code), field(zhText('desk.housing.new_name'), name), field(zhText('desk.housing.new_region'), region),
            field(zhText('desk.housing.new_address'), address), field(zhText('desk.housing.new_delivery'), delivery), field(zhText('desk.housing.outline_file'), outline));
        form.append(el('h3', undefined, zhText('desk.housing.new_title')), row, regions, send, notice.el);
        onSubmit(form, send, notice, async () => {
            const made = await createEstate({code: code.value.trim(), name: name.value.trim(), region: region.value.trim(),
                address: address.value.trim() || null, delivery_planned: delivery.value || null, outline: await outlineOf(chosen(outline))});
            notice.ok(zhText('desk.housing.created', {code: made.code, area: fmtInt(made.area_m2)}));
            this.changed(made.code);
        });
        return form;
    }

    private redrawForm(): HTMLFormElement {
        const form = el('form', 'dk-estate-redraw');
        const outline = input('estate_redraw', {type: 'file', accept: '.geojson,.json', required: true});
        const send = button(zhText('desk.housing.redraw'), 'primary', 'submit');
        const notice = new Notice();
        form.append(this.redrawTitle, field(zhText('desk.housing.outline_file'), outline), send, notice.el);
        onSubmit(form, send, notice, async () => {
            const file = chosen(outline);
            if (!this.estate) return;
            const done = await redrawEstate(this.estate, await outlineOf(file));
            notice.ok(zhText('desk.housing.redrawn', {code: done.code, area: fmtInt(done.area_m2)}));
            this.changed(done.code);
        });
        return form;
    }

    private inventoryForm(): HTMLFormElement {
        const form = el('form', 'dk-estate-inventory');
        const file = input('inventory_file', {type: 'file', accept: '.xlsx,.csv', required: true});
        const acceptValid = input('accept_valid', {type: 'checkbox'});
        const template = el('a', 'dk-template', zhText('desk.housing.template'));
        template.href = inventoryTemplateUrl();
        const send = button(zhText('desk.housing.import'), 'primary', 'submit');
        const notice = new Notice();
        const report = el('div', 'dk-inventory-report');
        const accept = el('label', 'dk-check');
        accept.append(acceptValid, zhText('desk.housing.accept_valid'));
        form.append(this.inventoryTitle, template, field(zhText('desk.housing.inventory_file'), file), accept, send, notice.el, report);
        onSubmit(form, send, notice, async () => {
            const picked = chosen(file);
            const estate = this.estate;
            if (!estate) return;
            report.replaceChildren();
            const answer = await importInventory(estate, picked, acceptValid.checked);
            if (answer.written) notice.ok(zhText('desk.housing.imported', {inserted: fmtInt(answer.inserted), updated: fmtInt(answer.updated), read: fmtInt(answer.read)}));
            else notice.fail(zhText('desk.housing.import_rejected', {count: fmtInt(answer.rejected.length)}));
            if (answer.rejected.length) report.append(rejectedTable(answer));
            if (answer.written) this.changed(estate);
        });
        return form;
    }
}

/** The rows the import refused: row, column, the problem in the server's words. */
function rejectedTable(answer: InventoryReport): HTMLElement {
    return dataTable(
        [
            {zh: zhText('import.report.row'), cell: r => String(r.row), className: 'om-num'},
            {zh: zhText('desk.housing.column'), cell: r => String(r.values.field ?? '—')},
            {zh: zhText('import.report.problem'), cell: r => errorSentence(r.code, r.values) || r.problem},
        ],
        answer.rejected,
        {rowData: r => ({row: String(r.row)})},
    );
}
