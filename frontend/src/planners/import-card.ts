// The import card (admins and operators): target, project, invalid geometries, CRS, the rows that pass only, file; upload progress, then the job's progress, report and rejected rows.
import {errorSentence, refusal} from '../api/client';
import {fetchImport, householdTemplateUrl, rejectedRowsUrl, startImport, type ImportJob, type ImportTarget, type InvalidGeometry} from '../api/planners';
import type {ProjectRow} from '../api/types';
import {fmtInt} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {reportView} from './import-report';

const POLL_MS = 500;
const SURVEY_FILES = '.geojson,.json,.zip,.gpkg,.dxf';
const LEDGER_FILES = '.xlsx,.csv';
const TARGETS: ImportTarget[] = ['buildings', 'parcels', 'households'];
const INVALID: InvalidGeometry[] = ['repair', 'reject'];


const why = refusal;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function select<T extends string>(options: T[]): HTMLSelectElement {
    const s = el('select', 'om-input');
    for (const value of options) s.append(Object.assign(el('option'), {value}));
    return s;
}

/** A labelled form field whose label text follows the language. */
function field(control: HTMLElement): {label: HTMLLabelElement; text: HTMLSpanElement} {
    const label = el('label', 'om-field');
    const text = el('span');
    label.append(text, control);
    return {label, text};
}

export class ImportCard {
    readonly card = new Card('card.import', 'om-import');
    private target = select(TARGETS);
    private project = el('input', 'om-input');
    private projects = el('datalist');
    private invalid = select(INVALID);
    private crs = el('input', 'om-input');
    private acceptValid = el('input', 'om-input');
    private file = el('input');
    private fileButton = el('button', 'om-button om-button-quiet');
    private fileName = el('span', 'om-file-name');
    private submit = el('button', 'om-button');
    private template = el('a', 'om-link');
    private state = el('p', 'om-import-state');
    private bar = el('progress', 'om-import-progress');
    private message = el('p', 'om-message om-message-error');
    private report = el('div');
    private rejectedFiles = el('p', 'om-import-rejected-files');
    private jobId: string | null = null;
    private fields: {text: HTMLSpanElement; label: MessageKey}[] = [];
    private job: ImportJob | null = null;
    private phase: 'idle' | 'uploading' | 'following' = 'idle';
    private generation = 0;

    constructor() {
        this.projects.id = 'om-import-projects';
        this.project.setAttribute('list', this.projects.id);
        this.project.spellcheck = false;
        this.crs.spellcheck = false;
        this.crs.placeholder = 'EPSG:4549 / GCJ02';
        this.acceptValid.type = 'checkbox';
        this.acceptValid.name = 'accept_valid';
        this.rejectedFiles.hidden = true;
        // The browser's own file button speaks the browser's language; ours follows the page's.
        Object.assign(this.file, {type: 'file', hidden: true});
        this.target.addEventListener('change', () => this.fitTarget());
        this.file.addEventListener('change', () => { this.fileName.textContent = this.file.files?.[0]?.name ?? ''; });
        this.fileButton.type = 'button';
        this.fileButton.addEventListener('click', () => this.file.click());
        const picker = el('span', 'om-file-picker');
        picker.append(this.fileButton, this.fileName, this.file);
        this.submit.type = 'submit';
        this.template.href = householdTemplateUrl();
        this.template.download = 'households.xlsx';
        this.message.setAttribute('role', 'alert');
        this.message.hidden = true;
        this.bar.hidden = true;

        const form = el('form', 'om-import-form');
        const add = (control: HTMLElement, label: MessageKey) => {
            const f = field(control);
            this.fields.push({text: f.text, label});
            form.append(f.label);
        };
        add(this.target, 'import.field.target');
        add(this.project, 'import.field.project');
        add(this.invalid, 'import.field.invalid');
        add(this.crs, 'import.field.crs');
        add(this.acceptValid, 'import.field.accept_valid');
        add(picker, 'import.field.file');
        const actions = el('div', 'om-form-row');
        actions.append(this.submit, this.template);
        form.append(actions, this.projects);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.card.body.append(form, this.state, this.bar, this.message, this.rejectedFiles, this.report);
        this.fitTarget();
        this.renderText();
        onLang(() => this.renderText());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** A household ledger is a table (XLSX or CSV) without geometry: geometry options do not apply to it. */
    private fitTarget(): void {
        const ledger = this.target.value === 'households';
        this.file.accept = ledger ? LEDGER_FILES : SURVEY_FILES;
        this.invalid.disabled = ledger;
        this.crs.disabled = ledger;
        this.acceptValid.disabled = ledger;
        if (this.file.files?.[0] && !this.file.accept.split(',').some(ext => this.file.files![0].name.toLowerCase().endsWith(ext))) {
            this.file.value = '';
            this.fileName.textContent = '';
        }
    }

    /** The projects the cockpit lists now, offered as codes; the selected one fills an empty field. */
    setProjects(rows: ProjectRow[], selected: ProjectRow | null): void {
        this.projects.replaceChildren(...rows.map(p => Object.assign(el('option'), {value: p.code, label: p.name})));
        if (selected && !this.project.value) this.project.value = selected.code;
    }

    private async run(): Promise<void> {
        const file = this.file.files?.[0];
        if (!file) return this.fail(t('planners.choose_a_file'));
        if (!this.project.value.trim()) return this.fail(t('planners.enter_the_project_code'));
        const generation = ++this.generation;
        this.fail(null);
        this.report.replaceChildren();
        this.rejectedFiles.hidden = true;
        this.job = null;
        this.jobId = null;
        this.phase = 'uploading';
        this.submit.disabled = true;
        this.progress(0, 0);
        try {
            const {id} = await startImport(file, {
                target: this.target.value as ImportTarget, project: this.project.value, invalid: this.invalid.value as InvalidGeometry, crs: this.crs.disabled ? '' : this.crs.value,
                acceptValid: !this.acceptValid.disabled && this.acceptValid.checked,
            }, (sent, total) => this.progress(sent, total));
            this.phase = 'following';
            this.jobId = id;
            for (;;) {
                const job = await fetchImport(id);
                if (generation !== this.generation) return;
                this.job = job;
                this.progress(job.done, job.total);
                if (job.state === 'done' || job.state === 'failed') break;
                await sleep(POLL_MS);
            }
            const {state, report, error} = this.job;
            if (report) this.report.replaceChildren(reportView(report));
            this.renderRejectedFiles();
            // All or nothing unless the rows that pass were asked for: then the rejected ones come back as a file.
            if (state === 'done' && report?.accept_valid) {
                this.fail(t('import.partial_done', {count: report.left_out ?? 0}), 'om-message-busy');
            } else if (state === 'failed') {
                this.fail(report?.rejected.length
                    ? t('import.rejected_rows', {count: report.rejected.length})
                    : `${t('planners.import_failed_nothing_was_written')}: ${(error && errorSentence(error.code, error.values)) ?? errorSentence('unprocessable')}`);
            }
        } catch (err) {
            if (generation === this.generation) this.fail(why(err));
        } finally {
            if (generation === this.generation) {
                this.phase = 'idle';
                this.submit.disabled = false;
            }
        }
    }

    /** The bar and the line above it: bytes while uploading, rows once the server works on the file. */
    private progress(done: number, total: number): void {
        const state = this.job?.state;
        this.bar.hidden = state === 'failed';
        this.bar.max = Math.max(total, 1);
        this.bar.value = Math.min(done, this.bar.max);
        if (total === 0) this.bar.removeAttribute('value'); // indeterminate: the total is not known yet
        this.card.el.dataset.state = this.phase === 'uploading' ? 'uploading' : state ?? '';
        this.state.textContent = this.phase === 'uploading'
            ? `${t('planners.uploading_progress')} ${total > 0 ? `${Math.round((done / total) * 100)}%` : ''}`
            : state ? `${t(`import.state.${state}`)}${total > 0 ? ` · ${fmtInt(done)} / ${fmtInt(total)}` : ''}` : '';
    }

    private fail(message: string | null, className = 'om-message-error'): void {
        this.message.hidden = message === null;
        this.message.textContent = message ?? '';
        this.message.className = `om-message ${className}`;
    }

    /** Links to the rejected rows (GeoJSON to correct and import again, XLSX to read), when the job rejected any. */
    private renderRejectedFiles(): void {
        const id = this.jobId;
        const rejected = this.job?.report?.rejected.length ?? 0;
        this.rejectedFiles.hidden = !id || rejected === 0;
        if (!id || rejected === 0) return;
        const link = (kind: 'geojson' | 'xlsx', label: MessageKey) => {
            const a = el('a', 'om-link', t(label));
            a.href = rejectedRowsUrl(id, kind);
            a.download = '';
            a.dataset.kind = kind;
            return a;
        };
        this.rejectedFiles.replaceChildren(t('import.rejected_files'), ' ', link('geojson', 'import.rejected_geojson'), ' · ', link('xlsx', 'import.rejected_xlsx'));
    }

    private renderText(): void {
        for (const f of this.fields) f.text.textContent = t(f.label);
        TARGETS.forEach((k, i) => { this.target.options[i].textContent = t(`import.target.${k}`); });
        INVALID.forEach((k, i) => { this.invalid.options[i].textContent = t(`import.invalid.${k}`); });
        this.submit.textContent = t('planners.upload_and_import');
        this.fileButton.textContent = t('planners.choose_file');
        this.template.textContent = t('planners.household_ledger_template');
        if (this.job || this.phase !== 'idle') this.progress(this.job?.done ?? 0, this.job?.total ?? 0);
        if (this.job?.report) this.report.replaceChildren(reportView(this.job.report));
        this.renderRejectedFiles();
        // the partial import's line follows the language too
        const report = this.job?.report;
        if (this.job?.state === 'done' && report?.accept_valid) this.fail(t('import.partial_done', {count: report.left_out ?? 0}), 'om-message-busy');
    }
}
