// The frame of the two per-project tabs (信息公开, 补偿标准): a project picker kept in the URL hash (#standard/P001) above the tab's own content.
import {refusal} from '../api/client';
import {t} from '../i18n';
import {el} from '../ui/dom';
import {field} from '../ui/form';
import {allProjects, projectSelect} from './regions';
import type {View} from './main';

export abstract class ProjectTab implements View {
    readonly el = el('section', 'ad-project-tab');
    protected body = el('div', 'ad-project-body');
    private bar = el('div', 'ad-project-bar');

    constructor(private tab: string) {
        this.el.append(this.bar, this.body);
    }

    show(code: string | null): void {
        void (async () => {
            let projects;
            try {
                projects = await allProjects();
            } catch (err) {
                this.body.replaceChildren(el('p', 'om-error', t('admin.common.load_failed', {reason: refusal(err)})));
                return;
            }
            if (projects.length === 0) {
                this.body.replaceChildren(el('p', 'ad-hint', t('admin.common.no_projects')));
                return;
            }
            const picker = projectSelect('project', projects, code);
            picker.addEventListener('change', () => { location.hash = `#${this.tab}/${encodeURIComponent(picker.value)}`; });
            this.bar.replaceChildren(field(t('admin.common.project'), picker, 'ad-project-field'));
            await this.showProject(picker.value);
        })();
    }

    /** Draws the tab for project `code` into `body`. */
    protected abstract showProject(code: string): Promise<void>;
}
