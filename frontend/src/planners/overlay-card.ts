// The overlay card: open or drop a file, and one row per overlay (name, feature count, show, opacity, zoom to, remove).
import type {Map as MlMap, PaddingOptions} from 'maplibre-gl';
import {refusal} from '../api/client';
import {overlayFile, type OverlayDoc} from '../api/planners';
import {fmtInt} from '../format';
import {onLang, t} from '../i18n';
import {MapOverlay, OVERLAY_COLORS} from '../map/overlays';
import {fitBbox} from '../map/selection';
import {Card} from '../ui/card';
import {el} from '../ui/dom';

const ACCEPT = '.geojson,.json,.zip,.gpkg,.dxf';

type Overlay = {layer: MapOverlay; doc: OverlayDoc; visible: boolean; opacity: number};

const why = refusal;

export class OverlayCard {
    readonly card = new Card('card.overlays', 'om-overlays');
    private overlays: Overlay[] = [];
    private count = 0;
    private picker = el('input');
    private openButton = el('button', 'om-button');
    private crs = el('input', 'om-input');
    private message = el('p', 'om-message');
    private list = el('div', 'om-overlay-list');
    private hint = el('p', 'om-hint');

    constructor(private map: MlMap, private padding: () => PaddingOptions) {
        Object.assign(this.picker, {type: 'file', accept: ACCEPT, multiple: true, hidden: true});
        this.picker.addEventListener('change', () => {
            void this.add(Array.from(this.picker.files ?? []));
            this.picker.value = '';
        });
        this.openButton.type = 'button';
        this.openButton.addEventListener('click', () => this.picker.click());
        this.crs.placeholder = 'EPSG:4549 / GCJ02';
        this.crs.spellcheck = false;
        this.message.setAttribute('role', 'alert');
        this.message.hidden = true;
        const tools = el('div', 'om-form-row');
        tools.append(this.openButton, this.crs, this.picker);
        this.card.body.append(tools, this.hint, this.message, this.list);
        this.renderText();
        onLang(() => { this.renderText(); this.renderRows(); });
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** Sends each file to the server in turn and draws what comes back; then says why any of them could not be. */
    async add(files: File[]): Promise<void> {
        const failures: string[] = [];
        for (const file of files) {
            this.say(`${file.name} · ${t('planners.reading')}`, 'busy');
            try {
                const doc = await overlayFile(file, this.crs.value, (sent, total) => {
                    if (total > 0 && sent < total) this.say(`${file.name} · ${t('planners.uploading')} ${Math.round((sent / total) * 100)}%`, 'busy');
                    else this.say(`${file.name} · ${t('planners.the_server_is_reading_it')}`, 'busy');
                });
                this.show(doc);
            } catch (err) {
                failures.push(`${t('planners.cannot_overlay')} ${file.name}: ${why(err)}`);
            }
        }
        this.say(failures.length ? failures.join('\n') : null, 'error');
    }

    private show(doc: OverlayDoc): void {
        const key = `overlay-${++this.count}`;
        const color = OVERLAY_COLORS[(this.count - 1) % OVERLAY_COLORS.length];
        const overlay: Overlay = {layer: new MapOverlay(this.map, key, doc, color), doc, visible: true, opacity: 1};
        this.overlays.push(overlay);
        this.renderRows();
        this.zoomTo(overlay);
    }

    private zoomTo(o: Overlay): void {
        if (o.doc.bbox) fitBbox(this.map, o.doc.bbox, this.padding());
    }

    private remove(o: Overlay): void {
        o.layer.remove();
        this.overlays = this.overlays.filter(x => x !== o);
        this.renderRows();
    }

    private say(text: string | null, tone: 'busy' | 'error' = 'busy'): void {
        this.message.hidden = text === null;
        this.message.textContent = text ?? '';
        this.message.className = `om-message om-message-${tone}`;
    }

    private renderText(): void {
        this.openButton.textContent = t('planners.open_file');
        this.crs.title = t('planners.crs_hint');
        this.crs.setAttribute('aria-label', t('planners.crs_optional'));
        this.hint.textContent = t('planners.overlay_hint');
    }

    private renderRows(): void {
        this.list.replaceChildren(...this.overlays.map(o => this.row(o)));
    }

    private row(o: Overlay): HTMLElement {
        const row = el('div', 'om-overlay');
        row.dataset.overlay = o.layer.key;
        const swatch = el('span', 'om-swatch');
        swatch.style.background = o.layer.color;
        const name = el('span', 'om-overlay-name', o.doc.name);
        name.title = [o.doc.name, o.doc.sourceCrs && `${t('planners.crs')} ${o.doc.sourceCrs}`, o.doc.layers?.length && `${t('planners.layers')} ${o.doc.layers.join(', ')}`]
            .filter(Boolean).join(' · ');
        const count = el('span', 'om-overlay-count', `${fmtInt(o.doc.features.length)} ${t('planners.features')}`);

        const visible = el('input', 'om-overlay-visible');
        visible.type = 'checkbox';
        visible.checked = o.visible;
        visible.title = t('planners.show');
        visible.addEventListener('change', () => { o.visible = visible.checked; o.layer.setVisible(o.visible); });
        const opacity = el('input', 'om-overlay-opacity');
        Object.assign(opacity, {type: 'range', min: '0', max: '1', step: '0.05', value: String(o.opacity), title: t('planners.opacity')});
        opacity.addEventListener('input', () => { o.opacity = Number(opacity.value); o.layer.setOpacity(o.opacity); });
        const zoom = el('button', 'om-link-button om-overlay-zoom', t('planners.zoom_to'));
        zoom.type = 'button';
        zoom.disabled = !o.doc.bbox;
        zoom.addEventListener('click', () => this.zoomTo(o));
        const remove = el('button', 'om-link-button om-overlay-remove', t('planners.remove'));
        remove.type = 'button';
        remove.addEventListener('click', () => this.remove(o));

        const head = el('div', 'om-overlay-head');
        head.append(visible, swatch, name, count);
        const tools = el('div', 'om-overlay-tools');
        tools.append(opacity, zoom, remove);
        row.append(head, tools);
        return row;
    }
}
