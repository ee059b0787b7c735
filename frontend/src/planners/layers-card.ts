// The layer switcher card: regions, projects, parcels, buildings, resettlement estates on or off, projects in one colour or by stage, and the buildings filtered by status.
import type {Map as MlMap} from 'maplibre-gl';
import {TILE_LAYERS, type TileLayer} from '../api/tilejson';
import {onLang, t, type MessageKey} from '../i18n';
import {BUILDING_STATUS, PROJECT_STAGE} from '../map/palette';
import {projectColouring, setProjectColouring, type ProjectColouring} from '../map/stage-colour';
import {filterBuildingStatus} from '../map/status-filter';
import {isGroupVisible, setGroupVisible} from '../map/visibility';
import {Card} from '../ui/card';
import {el} from '../ui/dom';

const NAMES: Record<TileLayer, MessageKey> = {
    regions: 'layer.regions', projects: 'layer.projects', parcels: 'layer.parcels', buildings: 'layer.buildings', estates: 'layer.estates',
};

function check(checked: boolean, onChange: (on: boolean) => void): HTMLInputElement {
    const box = el('input');
    box.type = 'checkbox';
    box.checked = checked;
    box.addEventListener('change', () => onChange(box.checked));
    return box;
}

function labelled(box: HTMLInputElement, ...content: (string | Node)[]): HTMLLabelElement {
    const label = el('label', 'om-check');
    label.append(box, ...content);
    return label;
}

export class LayersCard {
    readonly card = new Card('card.layers', 'om-layers');
    /** The statuses shown; all five means no filter. */
    private statuses = new Set(BUILDING_STATUS.map(s => s.value));

    constructor(private map: MlMap) {
        this.render();
        onLang(() => this.render());
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    private render(): void {
        const layers = el('div', 'om-check-list');
        // Top of the map first, as a GIS layer list reads.
        for (const group of [...TILE_LAYERS].reverse()) {
            const box = check(isGroupVisible(this.map, group), on => setGroupVisible(this.map, group, on));
            box.dataset.layer = group;
            layers.append(labelled(box, t(NAMES[group])));
        }
        const colouring = el('div', 'om-check-list');
        const modes: [ProjectColouring, MessageKey][] = [['plain', 'planners.colour_plain'], ['stage', 'planners.colour_stage']];
        for (const [mode, name] of modes) {
            const radio = el('input');
            radio.type = 'radio';
            radio.name = 'project-colouring';
            radio.value = mode;
            radio.checked = projectColouring() === mode;
            radio.addEventListener('change', () => {
                if (!radio.checked) return;
                setProjectColouring(this.map, mode);
                this.render();
            });
            colouring.append(labelled(radio, t(name)));
        }
        if (projectColouring() === 'stage') {
            // the stage colours' names, right where they were chosen (the map legend has them too)
            const key = el('ul', 'om-stage-key');
            for (const s of PROJECT_STAGE) {
                const swatch = el('span', 'om-swatch');
                swatch.style.background = s.color;
                const li = el('li');
                li.dataset.stage = s.value;
                li.append(swatch, t(s.key));
                key.append(li);
            }
            colouring.append(key);
        }
        const colourHead = el('h3', 'om-subhead', t('planners.project_colour'));
        const statuses = el('div', 'om-check-list');
        for (const s of BUILDING_STATUS) {
            const box = check(this.statuses.has(s.value), on => {
                if (on) this.statuses.add(s.value);
                else this.statuses.delete(s.value);
                this.apply();
            });
            box.dataset.status = s.value;
            const swatch = el('span', 'om-swatch');
            swatch.style.background = s.color;
            statuses.append(labelled(box, swatch, t(s.key)));
        }
        const all = el('button', 'om-link-button', t('common.all'));
        all.type = 'button';
        all.addEventListener('click', () => {
            this.statuses = new Set(BUILDING_STATUS.map(s => s.value));
            this.apply();
            this.render();
        });
        const head = el('h3', 'om-subhead', t('planners.buildings_by_status'));
        head.append(all);
        this.card.body.replaceChildren(layers, colourHead, colouring, head, statuses);
    }

    private apply(): void {
        const chosen = BUILDING_STATUS.map(s => s.value).filter(v => this.statuses.has(v));
        filterBuildingStatus(this.map, chosen.length === BUILDING_STATUS.length ? null : chosen);
    }
}
