// The planners' toolbox on the map: a row of tabs (layers, overlays, import, export), one card open at a time or none.
import type {IControl, PaddingOptions} from 'maplibre-gl';
import {onLang, t, type MessageKey} from '../i18n';
import type {Card} from '../ui/card';
import {el} from '../ui/dom';

type Tab = {key: string; label: MessageKey; card: Card; button: HTMLButtonElement};

export class Toolbox implements IControl {
    readonly el = el('div', 'maplibregl-ctrl om-toolbox');
    private bar = el('div', 'om-toolbox-tabs');
    private tabs: Tab[] = [];
    private openKey: string | null = null;

    constructor() {
        this.bar.setAttribute('role', 'tablist');
        this.el.append(this.bar);
        onLang(() => this.tabs.forEach(tab => { tab.button.textContent = t(tab.label); }));
    }

    add(key: string, label: MessageKey, card: Card): void {
        const button = el('button', 'om-tab', t(label));
        button.type = 'button';
        button.dataset.tab = key;
        button.setAttribute('role', 'tab');
        button.addEventListener('click', () => this.open(this.openKey === key ? null : key));
        card.el.hidden = true;
        this.tabs.push({key, label, card, button});
        this.bar.append(button);
        this.el.append(card.el);
        this.mark();
    }

    /** Opens one card (closing the others), or folds them all away (null). */
    open(key: string | null): void {
        this.openKey = this.tabs.some(t => t.key === key) ? key : null;
        this.mark();
    }

    /**
     * `base` (the map padding the docks leave) widened to keep clear of the open card too: on its
     * right or below it, whichever leaves the larger part of the map.
     */
    clearOf(base: PaddingOptions): PaddingOptions {
        const r = this.el.getBoundingClientRect();
        if (this.openKey === null || r.width === 0) return base;
        const b = {top: base.top ?? 0, right: base.right ?? 0, bottom: base.bottom ?? 0, left: base.left ?? 0};
        const beside = {...b, left: Math.max(b.left, r.right + 16)};
        const below = {...b, top: Math.max(b.top, r.bottom + 16)};
        const area = (p: typeof b) => Math.max(0, innerWidth - p.left - p.right) * Math.max(0, innerHeight - p.top - p.bottom);
        return area(beside) >= area(below) ? beside : below;
    }

    onAdd(): HTMLElement {
        return this.el;
    }

    onRemove(): void {
        this.el.remove();
    }

    private mark(): void {
        for (const t of this.tabs) {
            const on = t.key === this.openKey;
            t.button.setAttribute('aria-pressed', String(on));
            t.button.setAttribute('aria-selected', String(on));
            t.card.el.hidden = !on;
        }
    }
}
