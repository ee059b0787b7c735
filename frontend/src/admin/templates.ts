// 程序模板 tab: every kind's procedure template versions (newest first, with their steps and the projects that follow each), one version's steps as a table (stage, legal basis, time limits, clock, window, prerequisites, 九公开, gate), and "新版本" — a copy of the newest version to edit and save as the next (#templates/{id}, #templates/new/{kind}).
import './procedure.css';
import {refusal} from '../api/client';
import {fmtTime} from '../format';
import {t} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button} from '../ui/form';
import {dataTable} from '../ui/table';
import {fetchTemplate, fetchTemplates, type Kind, type TemplateDetail, type TemplateStep, type TemplateVersion} from './procedure-api';
import {KINDS, gateName, itemName, kindName, outputName, periodText, stageName} from './procedure-labels';
import {TemplateEditor} from './template-editor';
import type {View} from './main';

export class TemplatesTab implements View {
    readonly el = el('section', 'ad-templates');
    private listCard = new Card('admin.templates.title', 'ad-template-list');
    private detail = el('div', 'ad-template-detail');
    private notice = new Notice();

    constructor() {
        this.el.append(this.listCard.el, this.notice.el, this.detail);
    }

    /** `arg`: a version's id, `new/{kind}` for the editor, or none (the first kind's newest). */
    show(arg: string | null): void {
        void this.load(arg);
    }

    private async load(arg: string | null): Promise<void> {
        let versions: TemplateVersion[];
        try {
            versions = await fetchTemplates();
            this.listCard.setError(null);
        } catch (err) {
            this.listCard.setError(t('admin.common.load_failed', {reason: refusal(err)}));
            return;
        }
        const newKind = /^new\/([a-z_]+)$/.exec(arg ?? '')?.[1] as Kind | undefined;
        const newest = (k: string) => versions.find(v => v.kind === k && v.newest);
        const chosen = newKind ? newest(newKind) : versions.find(v => String(v.id) === arg) ?? newest(KINDS[0]);
        this.renderList(versions, newKind ? null : chosen?.id ?? null);
        if (!chosen) {
            this.detail.replaceChildren();
            return;
        }
        let detail: TemplateDetail;
        try {
            detail = await fetchTemplate(chosen.id);
        } catch (err) {
            this.detail.replaceChildren(el('p', 'om-error', t('admin.common.load_failed', {reason: refusal(err)})));
            return;
        }
        if (newKind) {
            const editor = new TemplateEditor(detail, saved => {
                this.notice.ok(t('admin.templates.saved', {kind: kindName(saved.template.kind), version: saved.template.version}));
                location.hash = `#templates/${saved.template.id}`;
            }, () => { location.hash = `#templates/${chosen.id}`; });
            this.detail.replaceChildren(editor.el);
        } else {
            this.detail.replaceChildren(stepsCard(detail));
        }
    }

    private renderList(versions: TemplateVersion[], selected: number | null): void {
        this.listCard.setNote(t('admin.templates.count', {count: versions.length}));
        const groups = KINDS.map(kind => {
            const group = el('div', 'ad-template-kind');
            group.dataset.kind = kind;
            const head = el('div', 'ad-template-kind-head');
            const create = button(t('admin.templates.new_version'), 'quiet');
            create.dataset.action = 'new-version';
            create.addEventListener('click', () => {
                this.notice.clear();
                location.hash = `#templates/new/${kind}`;
            });
            head.append(el('h3', undefined, kindName(kind)), create);
            const table = dataTable<TemplateVersion>([
                {zh: t('admin.templates.version'), cell: v => versionCell(v)},
                {zh: t('admin.templates.name'), cell: v => v.name},
                {zh: t('admin.templates.steps'), cell: v => String(v.steps), className: 'om-num'},
                {zh: t('admin.templates.projects'), cell: v => String(v.projects), className: 'om-num'},
                {zh: t('admin.templates.note'), cell: v => v.note || '—'},
                {zh: t('admin.templates.created'), cell: v => `${v.created_by ?? t('admin.templates.system')} · ${fmtTime(v.created_at)}`},
            ], versions.filter(v => v.kind === kind), {
                onRow: v => { location.hash = `#templates/${v.id}`; },
                rowData: v => ({id: String(v.id), version: String(v.version)}),
                empty: t('admin.templates.none'),
            });
            for (const tr of table.querySelectorAll<HTMLElement>('tr[data-id]')) {
                if (tr.dataset.id === String(selected)) tr.setAttribute('aria-current', 'true');
            }
            group.append(head, table);
            return group;
        });
        this.listCard.body.replaceChildren(el('p', 'ad-hint', t('admin.templates.hint')), ...groups);
    }
}

function versionCell(v: TemplateVersion): HTMLElement {
    const cell = el('span', 'ad-version', t('admin.templates.version_n', {n: v.version}));
    if (v.newest) cell.append(el('span', 'om-chip om-chip-done', t('admin.templates.newest')));
    return cell;
}

/** The names of `keys` among `steps` ("前期审批、确定征收部门"). */
const stepNames = (keys: string[], steps: TemplateStep[]) =>
    keys.map(k => steps.find(s => s.key === k)?.name ?? k).join(t('admin.procedure.list_sep')) || '—';

/** A version's steps as a table: every rule of each step in one row. */
export function stepsCard(d: TemplateDetail): HTMLElement {
    const card = new Card('admin.templates.steps_title', 'ad-template-steps');
    card.setNote(`${kindName(d.template.kind)} · ${t('admin.templates.version_n', {n: d.template.version})} · ${d.template.name}`);
    const name = (s: TemplateStep) => {
        const cell = el('span', 'ad-step-name', s.name);
        cell.append(el('code', 'ad-step-key', s.key));
        return cell;
    };
    const published = (s: TemplateStep) => {
        if (!s.published) return '—';
        return s.publishes.length ? s.publishes.map(itemName).join(t('admin.procedure.list_sep')) : t('admin.templates.published_yes');
    };
    card.body.append(dataTable<TemplateStep>([
        {zh: t('admin.templates.seq'), cell: s => String(s.seq), className: 'om-num'},
        {zh: t('admin.templates.step'), cell: name},
        {zh: t('admin.templates.stage'), cell: s => stageName(s.stage)},
        {zh: t('admin.templates.legal_basis'), cell: s => el('span', 'ad-basis', s.legal_basis)},
        {zh: t('admin.templates.produces'), cell: s => outputName(s.produces)},
        {zh: t('admin.templates.period'), cell: s => periodText(s)},
        {zh: t('admin.templates.clock_from'), cell: s => (s.clock_from ? stepNames([s.clock_from], d.steps) : t('admin.templates.clock_own'))},
        {zh: t('admin.templates.window'), cell: s => (s.is_window ? t('admin.templates.window_yes') : '—')},
        {zh: t('admin.templates.prerequisites'), cell: s => stepNames(s.prerequisites, d.steps)},
        {zh: t('admin.templates.published'), cell: published},
        {zh: t('admin.templates.opens'), cell: s => (s.opens ? gateName(s.opens) : '—')},
    ], d.steps, {rowData: s => ({key: s.key})}));
    return card.el;
}
