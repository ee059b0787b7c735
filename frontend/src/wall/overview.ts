// The wall's left column (the whole region's figures, its projects and households by stage, its 疑难个案, its resettlement housing and its alerts) and, in a panel of its own at the top of the map, the week's street ranking within it; live or as of the wall's past day.
import {fetchFigures} from '../api/cockpit';
import {onLang, t} from '../i18n';
import type {ProcedureEvent, StatusEvent} from '../live/types';
import {AlertsPanel} from '../panels/alerts';
import {CasesPanel} from '../panels/cases';
import {FiguresView} from '../panels/figures-view';
import {HousingPanel} from '../panels/housing';
import {patchFigures} from '../panels/live-figures';
import {RankingPanel} from '../panels/ranking';
import {StagePanel} from '../panels/stages';
import type {AsOf} from '../ui/asof';
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
    /** The week's street ranking (一周一通报): its own panel over the map's top edge, beside the groups' ranking. */
    readonly rankingPanel = el('section', 'om-wall-panel om-wall-streets');
    readonly alerts: AlertsPanel;
    readonly stages = new StagePanel();
    /** 疑难个案: counts only, read again on every case event (and each minute, as overdue comes with time). */
    readonly cases = new CasesPanel(0, true);
    /** 安置房源: units by status across the region's estates, read again shortly after unit events. */
    readonly housing = new HousingPanel('compact');
    /** The housing figures are today's only: on a past day the card steps aside. */
    private housingSlot = el('div', 'om-wall-housing');
    private generation = 0;
    private timer?: number;

    constructor(private region: string, private asOf: AsOf) {
        this.ranking = new RankingPanel({limit: 5});
        this.alerts = new AlertsPanel(undefined, 2); // the two first; the head counts them all
        this.rankingPanel.append(this.ranking.el);
        this.housingSlot.append(this.housing.el);
        // the column's height is fixed: with the housing card shown, the alerts list their first one
        this.housing.onShown = shown => this.alerts.setLimit(shown && this.asOf.live ? 1 : 2);
        this.el.append(this.label, this.title, this.error, this.view.el, this.stages.el, this.cases.el, this.housingSlot, this.alerts.el);
        const labels = () => { this.label.textContent = t('wall.region_overview'); };
        labels();
        onLang(labels);
    }

    start(): void {
        this.follow();
        this.asOf.onChange(() => this.follow());
        window.setInterval(() => { if (this.asOf.live) void this.reload(); }, FIGURES_EVERY_MS);
        window.setInterval(() => { if (this.asOf.live) void this.ranking.reload(); }, RANKING_EVERY_MS);
        window.setInterval(() => { if (this.asOf.live) void this.alerts.reload(); }, FIGURES_EVERY_MS);
        window.setInterval(() => { if (this.asOf.live) void this.cases.reload(); }, FIGURES_EVERY_MS);
    }

    /** Everything of the region, as of the day the wall shows. */
    private follow(): void {
        void this.reload();
        this.ranking.setScope({region: this.region, asOf: this.asOf.day});
        this.alerts.setScope({region: this.region, asOf: this.asOf.day});
        this.cases.setScope({region: this.region});
        this.housingSlot.hidden = !this.asOf.live;
        this.alerts.setLimit(this.asOf.live && !this.housing.el.hidden ? 1 : 2);
        this.housing.setRegion(this.region);
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        try {
            const doc = await fetchFigures({kind: 'region', code: this.region}, this.asOf.day);
            if (generation !== this.generation) return;
            this.title.textContent = doc.scope.name;
            this.error.replaceChildren();
            this.view.show(doc);
            this.stages.show(doc);
        } catch (err) {
            if (generation === this.generation) this.error.replaceChildren(errorLine(failed(err)));
        }
    }

    apply(ev: StatusEvent): void {
        if (!this.asOf.live) return; // a past day does not change
        const doc = this.view.current;
        if (doc && patchFigures(doc, ev)) {
            this.generation++;
            this.view.show(doc);
            // At most one reload per 3 s however fast events come (a debounce would starve under a steady stream).
            this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, 3000);
        }
        this.ranking.soon(10_000);
    }

    /** A step changed: the procedure alerts are read again, and the counts by stage when it moved a project on. */
    procedure(ev: ProcedureEvent): void {
        if (!this.asOf.live) return;
        void this.alerts.reload();
        if (ev.stage_before === ev.stage_after) return; // the counts by stage stay
        this.timer ??= window.setTimeout(() => { this.timer = undefined; void this.reload(); }, 300);
    }

    resync(): void {
        if (!this.asOf.live) return;
        void this.reload();
        void this.ranking.reload();
    }
}
