// The trend chart (ECharts, tree-shaken): daily signed as bars, vacated and demolished as lines; one instance, updated with setOption.
import {BarChart, LineChart} from 'echarts/charts';
import {GridComponent, LegendPlainComponent, TitleComponent, TooltipComponent} from 'echarts/components';
import {init, use, type ECharts} from 'echarts/core';
import {CanvasRenderer} from 'echarts/renderers';
import type {TrendDay} from '../api/types';
import {t} from '../i18n';
import {token} from '../tokens';

use([BarChart, LineChart, GridComponent, LegendPlainComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export type TrendTheme = {
    dark: boolean;
    /** Multiplies every font size and line width (a 4K wall uses ~2). */
    scale: number;
};

const FONT = "'Noto Sans SC Variable', 'Noto Sans SC', sans-serif";
/** Status colours of the map (palette.ts); "signed" yellow is darkened on white so the bars stay visible. */
const COLORS = {light: [token('--om-amber-610'), token('--om-oi-sky'), token('--om-oi-blue')], dark: [token('--om-oi-yellow'), token('--om-oi-sky'), token('--om-blue-250')]};

export class TrendChart {
    private chart: ECharts;
    private observer: ResizeObserver;
    private days: TrendDay[] = [];

    constructor(container: HTMLElement, private theme: TrendTheme = {dark: false, scale: 1}) {
        this.chart = init(container, undefined, {renderer: 'canvas'});
        // One observer for the chart's life: resizing never adds listeners.
        this.observer = new ResizeObserver(() => this.chart.resize());
        this.observer.observe(container);
    }

    /** Replaces the data (and labels, after a language change); the instance and its canvas are reused. */
    set(days: TrendDay[]): void {
        this.days = days;
        const s = this.theme.scale;
        const ink = this.theme.dark ? token('--om-slate-160') : token('--om-gray-670');
        const grid = this.theme.dark ? token('--om-white-a12') : token('--om-gray-070');
        const names = [t('charts.signed'), t('charts.vacated'), t('charts.demolished')];
        // A wall is read from metres away: its axis labels are as big as its body text.
        const text = {fontFamily: FONT, fontSize: (this.theme.dark ? 16 : 12) * s, color: ink};
        const line = (i: number) => ({
            name: names[i], type: 'line' as const, showSymbol: false,
            lineStyle: {width: 2 * s}, emphasis: {disabled: true},
            data: days.map(d => (i === 1 ? d.vacated : d.demolished)),
        });
        const quiet = days.every(d => d.signed === 0 && d.vacated === 0 && d.demolished === 0);
        this.chart.setOption({
            // An all-zero month says so in words, not only with a flat line.
            title: {
                show: quiet, text: days.length ? t('charts.no_progress_30d') : t('charts.no_data'),
                left: 'center', top: 'middle', textStyle: {...text, fontSize: text.fontSize * 1.2, fontWeight: 'normal'},
            },
            color: this.theme.dark ? COLORS.dark : COLORS.light,
            animation: false,
            textStyle: text,
            grid: {left: 40 * s, right: 12 * s, top: 30 * s, bottom: 26 * s},
            legend: {top: 0, right: 0, itemWidth: 14 * s, itemHeight: 8 * s, textStyle: text, data: names},
            tooltip: {trigger: 'axis', textStyle: {fontFamily: FONT}},
            xAxis: {
                type: 'category', data: days.map(d => d.date.slice(5)),
                axisLabel: {...text, hideOverlap: true}, axisLine: {lineStyle: {color: grid}}, axisTick: {show: false},
            },
            yAxis: {
                type: 'value', minInterval: 1, axisLabel: text,
                splitLine: {lineStyle: {color: grid}},
            },
            series: [
                {name: names[0], type: 'bar', barMaxWidth: 14 * s, data: days.map(d => d.signed), emphasis: {disabled: true}},
                line(1),
                line(2),
            ],
        }, {replaceMerge: ['series']});
    }

    /** Draws the current data again (a language change). */
    redraw(): void {
        this.set(this.days);
    }

    /** The chart's own canvas count stays one; tests read this. */
    get instance(): ECharts {
        return this.chart;
    }

    dispose(): void {
        this.observer.disconnect();
        this.chart.dispose();
    }
}
