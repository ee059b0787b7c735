// The wall's spotlight: every N seconds the next project of the region, its gauges and 30-day trend, and the map flown to it.
import type {Map as MlMap, PaddingOptions} from 'maplibre-gl';
import {fetchChildren, fetchFigures, fetchTrend} from '../api/cockpit';
import {refusal} from '../api/client';
import {failed} from '../ui/card';
import type {ProjectRow} from '../api/types';
import {TrendChart} from '../charts/trend';
import {figureText} from '../format';
import {onLang, t} from '../i18n';
import type {StatusEvent} from '../live/types';
import {PROJECT_KIND} from '../map/palette';
import {fitBbox, highlight} from '../map/selection';
import {FiguresView} from '../panels/figures-view';
import {patchFigures} from '../panels/live-figures';
import {el, errorLine} from '../ui/dom';
import {fetchProcedure, Timeline} from '../procedure/timeline';

const KEYS = ['households', 'signed', 'difficult', 'vacate_rate', 'demolish_rate', 'land_delivered_rate', 'pace_7d', 'projected_completion', 'target_date'];

export class Spotlight {
    readonly el = el('section', 'om-wall-panel om-wall-spot');
    private label = el('span', 'om-spot-label');
    private count = el('span', 'om-spot-count');
    private timer = el('div', 'om-spot-timer');
    private name = el('h2', 'om-spot-name');
    private meta = el('div', 'om-spot-meta');
    private badge = el('span', 'om-spot-badge');
    private view = new FiguresView({keys: KEYS, definitions: false});
    private chart: TrendChart;
    private error = el('div', 'om-spot-error');
    // the project's procedure: the screen's version of the ledger (no people, notes or private documents)
    private timeline = new Timeline(t, {byStage: true, ticks: 4});
    private projects: ProjectRow[] = [];
    private index = -1;
    private generation = 0;
    private reloadTimer?: number;
    private phaseTimer?: number;
    current: ProjectRow | null = null;

    constructor(private map: MlMap, private region: string, private rotateS: number, private padding: () => PaddingOptions, scale: number) {
        const head = el('div', 'om-spot-head');
        head.append(this.label, this.count);
        const trendBox = el('div', 'om-spot-trend');
        const trendTitle = el('div', 'om-wall-subtitle om-spot-trend-title');
        const titleRow = el('div', 'om-spot-title');
        titleRow.append(this.name, this.badge);
        const procedureTitle = el('div', 'om-wall-subtitle om-spot-timeline-title');
        this.timeline.el.classList.add('om-tl-dark', 'om-spot-timeline');
        this.el.append(head, this.timer, titleRow, this.meta, this.error, this.view.el, trendTitle, trendBox, procedureTitle, this.timeline.el);
        this.chart = new TrendChart(trendBox, {dark: true, scale});
        this.timer.style.setProperty('--om-rotate', `${rotateS}s`);
        const labels = () => {
            this.label.textContent = t('wall.project_spotlight');
            trendTitle.textContent = t('wall.daily_progress_last_30_days');
            procedureTitle.textContent = t('timeline.title');
            this.timeline.render();
            this.chart.redraw();
            if (this.current) this.renderMeta(this.current);
        };
        labels();
        onLang(labels);
    }

    async start(): Promise<void> {
        await this.loadProjects();
        // One interval for the page's life: rotating never adds timers or listeners.
        window.setInterval(() => void this.next(), this.rotateS * 1000);
        await this.next();
    }

    /** The next project; at the end of a round the list is fetched again (projects come and go). */
    async next(): Promise<void> {
        if (this.index + 1 >= this.projects.length && this.index >= 0) await this.loadProjects();
        if (this.projects.length === 0) return;
        this.index = (this.index + 1) % this.projects.length;
        await this.show(this.projects[this.index]);
    }

    /** A live event: the spotlit project's counts at once, its other figures and trend a moment later. */
    apply(ev: StatusEvent): void {
        const doc = this.view.current;
        if (!doc || !patchFigures(doc, ev)) return;
        this.view.show(doc);
        // At most one reload per 2 s however fast events come (a debounce would starve under a steady stream).
        this.reloadTimer ??= window.setTimeout(() => {
            this.reloadTimer = undefined;
            if (this.current) void this.load(this.current, this.generation);
        }, 2000);
    }

    private async loadProjects(): Promise<void> {
        try {
            const c = await fetchChildren(this.region);
            this.projects = [...c.projects].sort((a, b) => a.code.localeCompare(b.code));
            this.error.replaceChildren();
        } catch (err) {
            this.error.replaceChildren(errorLine(`${t('wall.projects_unavailable')} · ${refusal(err)}`));
        }
    }

    /**
     * The trend and the procedure take turns in the panel's lower part (both do not fit at a
     * legible size): the trend for the first half of a project's turn, its timeline for the second.
     */
    showPhase(phase: 'trend' | 'procedure'): void {
        this.el.dataset.phase = phase;
        if (phase === 'trend') this.chart.redraw();
    }

    private async show(p: ProjectRow): Promise<void> {
        const generation = ++this.generation;
        this.showPhase('trend');
        window.clearTimeout(this.phaseTimer);
        this.phaseTimer = window.setTimeout(() => this.showPhase('procedure'), this.rotateS * 500);
        this.current = p;
        this.renderMeta(p);
        this.badge.textContent = '';
        this.count.textContent = `${this.index + 1} / ${this.projects.length}`;
        // Restart the countdown bar.
        this.timer.classList.remove('om-run');
        void this.timer.offsetWidth;
        this.timer.classList.add('om-run');
        highlight(this.map, {project: p.id});
        if (p.bbox) fitBbox(this.map, p.bbox, this.padding(), {maxZoom: 15.5, duration: Math.min(3000, this.rotateS * 300)});
        await this.load(p, generation);
    }

    private async load(p: ProjectRow, generation: number): Promise<void> {
        const [figures, trend, procedure] = await Promise.allSettled([
            fetchFigures({kind: 'project', id: p.id}), fetchTrend({kind: 'project', id: p.id}, 30), fetchProcedure(p.code)]);
        if (generation !== this.generation) return;
        const problems: string[] = [];
        if (figures.status === 'fulfilled') {
            this.view.show(figures.value);
            const onTrack = figures.value.figures.find(f => f.key === 'on_track');
            const t = onTrack ? figureText(onTrack) : null;
            this.badge.textContent = t && t.text !== '—' ? t.text : '';
            this.badge.dataset.tone = t?.tone ?? '';
        } else problems.push(failed(figures.reason));
        if (trend.status === 'fulfilled') this.chart.set(trend.value.days);
        else problems.push(failed(trend.reason));
        if (procedure.status === 'fulfilled') this.timeline.show(procedure.value);
        else problems.push(failed(procedure.reason));
        this.timeline.el.dataset.project = procedure.status === 'fulfilled' ? p.code : '';
        this.error.replaceChildren(...problems.map(m => errorLine(m)));
    }

    private renderMeta(p: ProjectRow): void {
        this.name.textContent = p.name;
        this.name.title = p.code;
        const kind = PROJECT_KIND.find(k => k.value === p.kind);
        this.meta.textContent = [kind ? t(kind.key) : p.kind, p.code].filter(Boolean).join(' · ');
    }
}
