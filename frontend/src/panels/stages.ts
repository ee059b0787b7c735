// The stage distribution (项目阶段分布) of a region: one bar of its households by stage, then each stage's projects and households.
import {onLang, t} from '../i18n';
import type {FiguresDoc} from '../api/types';
import {PROJECT_STAGE} from '../map/palette';
import {Card} from '../ui/card';
import {el} from '../ui/dom';

export class StagePanel {
    readonly card = new Card('wall.stage_distribution', 'om-stages');
    private doc: FiguresDoc | null = null;

    constructor() {
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    show(doc: FiguresDoc): void {
        this.doc = doc;
        this.render();
    }

    private render(): void {
        const projects = this.doc?.projects_by_stage;
        const households = this.doc?.households_by_stage;
        if (!projects || !households) {
            this.card.body.replaceChildren();
            return;
        }
        const total = PROJECT_STAGE.reduce((sum, s) => sum + (households[s.value] ?? 0), 0);
        // the share of households in each stage, in stage order, as one bar
        const bar = el('div', 'om-stage-bar');
        for (const s of PROJECT_STAGE) {
            const n = households[s.value] ?? 0;
            if (!n) continue;
            const part = el('span', 'om-stage-part');
            part.style.background = s.color;
            part.style.flexGrow = String(n);
            part.title = `${t(s.key)} ${n}`;
            bar.append(part);
        }
        const list = el('ol', 'om-stage-list');
        for (const s of PROJECT_STAGE) {
            const row = el('li', 'om-stage-row');
            row.dataset.stage = s.value;
            const swatch = el('span', 'om-swatch');
            swatch.style.background = s.color;
            const n = projects[s.value] ?? 0;
            row.classList.toggle('om-stage-none', n === 0);
            row.dataset.projects = String(n);
            row.dataset.households = String(households[s.value] ?? 0);
            const counts = el('span', 'om-stage-counts', t('wall.stage_counts', {projects: n, households: households[s.value] ?? 0}));
            row.append(swatch, el('span', 'om-stage-name', t(s.key)), counts);
            list.append(row);
        }
        this.card.body.replaceChildren(...(total ? [bar] : []), list);
    }
}
