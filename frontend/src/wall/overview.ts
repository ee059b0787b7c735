// The wall's left column: the whole region's figures (live), this week's street ranking and its alerts.
import {fetchFigures} from '../api/cockpit';
import type {Alert} from '../api/types';
import {onLang, t} from '../i18n';
import type {StatusEvent} from '../live/types';
import {codePrefix} from '../cockpit/drill';
import {AlertsPanel} from '../panels/alerts';
import {FiguresView} from '../panels/figures-view';
import {patchFigures} from '../panels/live-figures';
import {RankingPanel} from '../panels/ranking';
import {el, errorLine} from '../ui/dom';
import {failed} from '../ui/card';

const KEYS = ['households', 'signed', 'vacate_rate', 'demolish_rate', 'pace_7d', 'difficult'];
const FIGURES_EVERY_MS = 60_000;
const RANKING_EVERY_MS = 300_000;


export class Overview {
    readonly el = el('section', 'om-wall-panel om-wall-overview');
    private title = el('h2', 'om-wall-region');
    private label = el('div', 'om-wall-subtitle');
    private view = new FiguresView({keys: KEYS, definitions: false});
    private error = el('div');
    readonly ranking: RankingPanel;
    readonly alerts: AlertsPanel;
    private generation = 0;
    private timer?: number;

    constructor(private region: string) {
        const prefix = codePrefix(region);
        this.ranking = new RankingPanel({limit: 8, codePrefix: prefix});
        this.alerts = new AlertsPanel(undefined, 3, (a: Alert) => !a.region_code || a.region_code.startsWith(prefix));
        this.el.append(this.label, this.title, this.error, this.view.el, this.ranking.el, this.alerts.el);
        const labels = () => { this.label.textContent = t('wall.region_overview'); };
        labels();
        onLang(labels);
    }

    start(): void {
        void this.reload();
        void this.ranking.reload();
        void this.alerts.reload();
        window.setInterval(() => void this.reload(), FIGURES_EVERY_MS);
        window.setInterval(() => void this.ranking.reload(), RANKING_EVERY_MS);
        window.setInterval(() => void this.alerts.reload(), FIGURES_EVERY_MS);
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        try {
            const doc = await fetchFigures({kind: 'region', code: this.region});
            if (generation !== this.generation) return;
            this.title.textContent = doc.scope.name;
            this.error.replaceChildren();
            this.view.show(doc);
        } catch (err) {
            if (generation === this.generation) this.error.replaceChildren(errorLine(failed(err)));
        }
    }

    apply(ev: StatusEvent): void {
        const doc = this.view.current;
        if (doc && patchFigures(doc, ev)) {
            this.generation++;
            this.view.show(doc);
            // At most one reload per 3 s however fast events come (a debounce would starve under a steady stream).
            this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, 3000);
        }
        this.ranking.soon(10_000);
    }

    resync(): void {
        void this.reload();
        void this.ranking.reload();
    }
}
