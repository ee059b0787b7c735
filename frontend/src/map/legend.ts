// The legend control: building status (or work group), parcel land status, project outline (or the project stages, when the projects are coloured by stage) and the sign-rate ramp, in the page's language.
import type {IControl} from 'maplibre-gl';
import {onLang, t, type MessageKey} from '../i18n';
import {BUILDING_STATUS, LAND_STATUS, PROJECT_COLOR, PROJECT_STAGE, PROJECT_TEXT, SIGN_RATE_STOPS, type Category} from './palette';
import {onProjectColouring, projectColouring} from './stage-colour';
import {buildingColouring, onBuildingColouring} from '../groups/map-colour';
import {groupLegendSection} from '../groups/legend';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
}

function section(title: MessageKey, note?: MessageKey): HTMLElement {
    const s = el('section', 'om-legend-section');
    const h = el('h3', undefined, t(title));
    if (note) h.append(el('small', undefined, t(note)));
    s.append(h);
    return s;
}

function item(swatch: HTMLElement, label: string): HTMLElement {
    const row = el('div', 'om-legend-item');
    row.append(swatch, el('span', 'om-legend-label', label));
    return row;
}

function categories(title: MessageKey, note: MessageKey, cats: Category[], fillOpacity: number): HTMLElement {
    const s = section(title, note);
    for (const c of cats) {
        const sw = el('span', 'om-swatch');
        sw.style.background = c.color;
        sw.style.opacity = String(fillOpacity);
        sw.style.outline = `1px solid ${c.color}`;
        s.append(item(sw, t(c.key)));
    }
    return s;
}

export class LegendControl implements IControl {
    private container?: HTMLElement;
    private offLang?: () => void;
    private offColouring?: () => void;
    private offGroups?: () => void;

    /** @param open start unfolded (default: on screens at least 700 px wide) */
    constructor(private open?: boolean) {}

    onAdd(): HTMLElement {
        const root = el('details', 'maplibregl-ctrl om-legend');
        // Open on a desktop or a wall, folded on a phone where it would cover the map.
        root.open = this.open ?? window.matchMedia('(min-width: 700px)').matches;
        this.container = root;
        this.render();
        this.offLang = onLang(() => this.render());
        this.offColouring = onProjectColouring(() => this.render());
        this.offGroups = onBuildingColouring(() => this.render());
        return root;
    }

    private render(): void {
        const root = this.container;
        if (!root) return;
        root.replaceChildren(el('summary', undefined, t('legend.title')));
        // the buildings by work group (the cockpit's 工作组 mode) or by status
        root.append(buildingColouring() === 'group' ? groupLegendSection() : categories('legend.buildings', 'legend.buildings_note', BUILDING_STATUS, 0.9));
        root.append(categories('legend.parcels', 'legend.parcels_note', LAND_STATUS, 0.45));

        if (projectColouring() === 'stage') {
            const stages = categories('legend.project_stage', 'legend.projects', PROJECT_STAGE, 0.6);
            stages.classList.add('om-legend-stages');
            root.append(stages);
        } else {
            const projects = section('legend.projects');
            const outline = el('span', 'om-swatch');
            outline.style.background = `${PROJECT_COLOR}33`;
            outline.style.border = `2px solid ${PROJECT_TEXT}`;
            projects.append(item(outline, t('legend.project_boundary')));
            root.append(projects);
        }

        const rate = section('legend.sign_rate', 'legend.sign_rate_note');
        const ramp = el('div', 'om-ramp');
        ramp.style.background = `linear-gradient(to right, ${SIGN_RATE_STOPS.map(([v, c]) => `${c} ${v * 100}%`).join(', ')})`;
        const ticks = el('div', 'om-ramp-ticks');
        ticks.append(el('span', undefined, '0%'), el('span', undefined, '50%'), el('span', undefined, '100%'));
        rate.append(ramp, ticks);
        root.append(rate);
    }

    onRemove(): void {
        this.offLang?.();
        this.offColouring?.();
        this.offGroups?.();
        this.container?.remove();
    }
}
