// The import card (admins and operators): target, project, invalid geometries, CRS, file; upload progress, then the job's progress and report.
import {ApiError} from '../api/client';
import {fetchImport, householdTemplateUrl, startImport, type ImportJob, type ImportState, type ImportTarget, type InvalidGeometry} from '../api/planners';
import type {ProjectRow} from '../api/types';
import {fmtInt} from '../format';
import {onLang, tr} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {reportView} from './import-report';

const POLL_MS = 500;
const SURVEY_FILES = '.geojson,.json,.zip,.gpkg,.dxf';
const LEDGER_FILES = '.xlsx,.csv';
const TARGETS: [ImportTarget, string, string][] = [['buildings', '房屋', 'Buildings'], ['parcels', '地块', 'Parcels'], ['households', '被征收户', 'Households']];
const INVALID: [InvalidGeometry, string, string][] = [['repair', '修复后导入', 'repair them'], ['reject', '拒绝该行', 'reject the row']];
const STATES: Record<ImportState, [string, string]> = {
    reading: ['读取文件', 'reading'], checking: ['检查数据', 'checking'], writing: ['写入数据库', 'writing'], done: ['完成', 'done'], failed: ['失败', 'failed'],
};

const why = (err: unknown): string => (err instanceof ApiError ? err.detail || err.message : String(err));
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function select<T extends string>(options: [T, string, string][]): HTMLSelectElement {
    const s = el('select', 'om-input');
    for (const [value] of options) s.append(Object.assign(el('option'), {value}));
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
    readonly card = new Card('数据导入', 'Import', 'om-import');
    private target = select(TARGETS);
    private project = el('input', 'om-input');
    private projects = el('datalist');
    private invalid = select(INVALID);
    private crs = el('input', 'om-input');
    private file = el('input');
    private fileButton = el('button', 'om-button om-button-quiet');
    private fileName = el('span', 'om-file-name');
    private submit = el('button', 'om-button');
    private template = el('a', 'om-link');
    private state = el('p', 'om-import-state');
    private bar = el('progress', 'om-import-progress');
    private message = el('p', 'om-message om-message-error');
    private report = el('div');
    private fields: {text: HTMLSpanElement; zh: string; en: string}[] = [];
    private job: ImportJob | null = null;
    private phase: 'idle' | 'uploading' | 'following' = 'idle';
    private generation = 0;

    constructor() {
        this.projects.id = 'om-import-projects';
        this.project.setAttribute('list', this.projects.id);
        this.project.spellcheck = false;
        this.crs.spellcheck = false;
        this.crs.placeholder = 'EPSG:4549 / GCJ02';
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
        const add = (control: HTMLElement, zh: string, en: string) => {
            const f = field(control);
            this.fields.push({text: f.text, zh, en});
            form.append(f.label);
        };
        add(this.target, '导入到', 'Import into');
        add(this.project, '项目编码', 'Project code');
        add(this.invalid, '无效几何', 'Invalid geometry');
        add(this.crs, '坐标系（可选）', 'CRS (optional)');
        add(picker, '文件', 'File');
        const actions = el('div', 'om-form-row');
        actions.append(this.submit, this.template);
        form.append(actions, this.projects);
        form.addEventListener('submit', e => { e.preventDefault(); void this.run(); });
        this.card.body.append(form, this.state, this.bar, this.message, this.report);
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
        if (!file) return this.fail(tr('请选择文件', 'Choose a file'));
        if (!this.project.value.trim()) return this.fail(tr('请填写项目编码', 'Enter the project code'));
        const generation = ++this.generation;
        this.fail(null);
        this.report.replaceChildren();
        this.job = null;
        this.phase = 'uploading';
        this.submit.disabled = true;
        this.progress(0, 0);
        try {
            const {id} = await startImport(file, {
                target: this.target.value as ImportTarget, project: this.project.value, invalid: this.invalid.value as InvalidGeometry, crs: this.crs.disabled ? '' : this.crs.value,
            }, (sent, total) => this.progress(sent, total));
            this.phase = 'following';
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
            // All or nothing: one rejected row and the server writes nothing; the report says which rows.
            if (state === 'failed') {
                this.fail(report?.rejected.length
                    ? tr(`${report.rejected.length} 行被拒绝，未写入任何数据，请改正后重新导入`, `${report.rejected.length} row(s) rejected: nothing was written; correct them and import again`)
                    : `${tr('导入失败，未写入任何数据', 'Import failed, nothing was written')}: ${error ?? ''}`);
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
            ? `${tr('上传中', 'Uploading')} ${total > 0 ? `${Math.round((done / total) * 100)}%` : ''}`
            : state ? `${tr(...STATES[state])}${total > 0 ? ` · ${fmtInt(done)} / ${fmtInt(total)}` : ''}` : '';
    }

    private fail(message: string | null): void {
        this.message.hidden = message === null;
        this.message.textContent = message ?? '';
    }

    private renderText(): void {
        for (const f of this.fields) f.text.textContent = tr(f.zh, f.en);
        TARGETS.forEach(([, zh, en], i) => { this.target.options[i].textContent = tr(zh, en); });
        INVALID.forEach(([, zh, en], i) => { this.invalid.options[i].textContent = tr(zh, en); });
        this.submit.textContent = tr('上传并导入', 'Upload and import');
        this.fileButton.textContent = tr('选择文件…', 'Choose file…');
        this.template.textContent = tr('下载被征收户台账模板', 'Household ledger template');
        if (this.job || this.phase !== 'idle') this.progress(this.job?.done ?? 0, this.job?.total ?? 0);
        if (this.job?.report) this.report.replaceChildren(reportView(this.job.report));
    }
}
