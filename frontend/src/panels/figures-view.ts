// Renders a figures document: a headline sign rate with its bar, then one cell per figure with its definition visible.
import type {Figure, FiguresDoc} from '../api/types';
import {figureDefinition, figureName, figureText, fmtInt} from '../format';
import {onLang, t} from '../i18n';
import {el} from '../ui/dom';

export type FiguresViewOptions = {
    /** Which figures get a cell, in this order; default: all but the headline ones. */
    keys?: string[];
    /** Show each cell's definition as small text under it (always in the tooltip). */
    definitions?: boolean;
};

type Cell = {root: HTMLElement; name: HTMLElement; value: HTMLElement; unit: HTMLElement; def?: HTMLElement};

const HEADLINE = new Set(['sign_rate', 'signed', 'households']);
/** Figures that only projects have (regions have no target date). */
const PROJECT_ONLY = new Set(['target_date', 'on_track']);

export class FiguresView {
    readonly el = el('div', 'om-figures');
    private hero = el('div', 'om-hero');
    private heroValue = el('span', 'om-hero-value', '—');
    private heroLabel = el('div', 'om-hero-label');
    private heroBar = el('span', 'om-hero-bar-fill');
    private heroCount = el('div', 'om-hero-count');
    private heroDef = el('div', 'om-hero-def');
    private grid = el('dl', 'om-gauge-grid');
    private cells = new Map<string, Cell>();
    private doc: FiguresDoc | null = null;

    constructor(private opts: FiguresViewOptions = {}) {
        const rate = el('div', 'om-hero-rate');
        rate.append(this.heroValue, el('span', 'om-hero-unit', '%'));
        const bar = el('div', 'om-hero-bar');
        bar.append(this.heroBar);
        const right = el('div', 'om-hero-side');
        right.append(this.heroLabel, bar, this.heroCount);
        this.hero.append(rate, right);
        this.hero.classList.add('om-gauge-sign_rate');
        this.el.append(this.hero, this.heroDef, this.grid);
        onLang(() => this.doc && this.show(this.doc));
    }

    get current(): FiguresDoc | null {
        return this.doc;
    }

    /** Shows a document; cells are reused, so showing the next one (or the same one again) creates no nodes. */
    show(doc: FiguresDoc): void {
        this.doc = doc;
        const by = new Map(doc.figures.map(f => [f.key, f]));
        const rate = by.get('sign_rate');
        const signed = by.get('signed');
        const households = by.get('households');
        const r = typeof rate?.value === 'number' ? rate.value : null;
        this.heroValue.textContent = r === null ? '—' : (r * 100).toFixed(1);
        this.heroBar.style.width = `${(r ?? 0) * 100}%`;
        this.heroLabel.textContent = rate ? figureName(rate) : t('panels.sign_rate');
        this.heroCount.textContent = `${t('panels.signed')} ${fmtInt(signed?.value as number)} / ${fmtInt(households?.value as number)} ${t('unit.households_word')}`;
        this.heroDef.textContent = rate ? figureDefinition(rate) : '';
        this.hero.title = rate ? figureDefinition(rate) : '';

        const keys = this.opts.keys ?? doc.figures.map(f => f.key).filter(k => !HEADLINE.has(k) || k === 'households' || k === 'signed');
        const wanted = new Set(keys);
        for (const [key, cell] of this.cells) cell.root.hidden = !wanted.has(key);
        for (const key of keys) {
            const f = by.get(key);
            const cell = this.cells.get(key) ?? this.addCell(key);
            cell.root.hidden = !f || (doc.scope.kind === 'region' && PROJECT_ONLY.has(key));
            if (f) this.fill(cell, f);
        }
    }

    private addCell(key: string): Cell {
        const root = el('div', `om-gauge om-gauge-${key}`);
        const name = el('dt');
        const dd = el('dd');
        const value = el('span', 'om-v');
        const unit = el('small', 'om-u');
        dd.append(value, unit);
        root.append(name, dd);
        const cell: Cell = {root, name, value, unit};
        if (this.opts.definitions !== false) {
            cell.def = el('p', 'om-def');
            root.append(cell.def);
        }
        this.grid.append(root);
        this.cells.set(key, cell);
        return cell;
    }

    private fill(cell: Cell, f: Figure): void {
        const {text, unit, tone} = figureText(f);
        cell.name.textContent = figureName(f);
        cell.value.textContent = text;
        cell.unit.textContent = unit;
        cell.root.dataset.tone = tone ?? '';
        const def = figureDefinition(f);
        cell.root.title = `${figureName(f)}: ${def}`;
        if (cell.def) cell.def.textContent = def;
    }
}
