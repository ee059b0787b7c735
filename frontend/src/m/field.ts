// The phone's field screen for staff who may write (/m/#field): find a building by code or on a small map, its households and their states, one step forward or 退回, a photo for a household.
import './field.css';
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {onLang, t} from '../i18n';
import type {StatusEvent} from '../live/types';
import {fetchBuilding, findBuildings, type FoundBuilding} from '../status/api';
import {statusKey} from '../status/steps';
import {StatusWork} from '../status/view';
import {el, errorLine} from '../ui/dom';
import {FieldMap} from './field-map';
import {photoButton} from './field-photo';

export class FieldScreen {
    readonly el = el('div', 'om-field');
    private form = el('form', 'om-field-search');
    private query = el('input', 'om-input');
    private find = el('button', 'om-btn om-btn-primary');
    private found = el('div', 'om-field-found');
    private note = el('p', 'om-field-note');
    private mapBox = el('details', 'om-field-mapbox');
    private mapSummary = el('summary');
    private map: FieldMap;
    private building = el('section', 'om-field-building');
    private title = el('h2');
    private work: StatusWork;
    private generation = 0;

    constructor(user: User) {
        this.query.type = 'search';
        this.query.name = 'code';
        this.query.autocomplete = 'off';
        this.query.enterKeyHint = 'search';
        this.find.type = 'submit';
        this.form.append(this.query, this.find);
        this.form.addEventListener('submit', e => { e.preventDefault(); void this.search(); });
        this.note.setAttribute('role', 'status');
        this.map = new FieldMap(user.region_code, id => void this.open(id), () => this.say(t('m.field.zoom_in')));
        this.mapBox.append(this.mapSummary, this.map.el);
        this.mapBox.addEventListener('toggle', () => { if (this.mapBox.open) void this.map.start(); });
        this.work = new StatusWork({user, tr: t, big: true, rowExtra: (_h, now) => photoButton(now)});
        this.building.hidden = true;
        this.building.append(this.title, this.work.el);
        this.el.append(this.form, this.note, this.found, this.mapBox, this.building);
        this.label();
        onLang(() => this.label());
    }

    private label(): void {
        this.query.placeholder = t('m.field.search_placeholder');
        this.query.setAttribute('aria-label', t('m.field.search_placeholder'));
        if (!this.note.dataset.said) this.note.textContent = t('m.field.search_hint');
        this.find.textContent = t('m.field.find');
        this.mapSummary.textContent = t('m.field.map');
    }

    private say(text: string): void {
        this.note.dataset.said = '1';
        this.note.textContent = text;
    }

    /** Buildings whose code, or a household's, contains the text; one match opens at once. */
    private async search(): Promise<void> {
        const code = this.query.value.trim();
        if (code.length < 2) return this.say(t('m.field.too_short'));
        this.say(t('m.field.searching'));
        this.found.replaceChildren();
        try {
            const list = await findBuildings(code);
            this.say(list.length ? t('m.field.found', {count: list.length}) : t('m.field.none', {code}));
            if (list.length === 1) return void this.open(list[0].id, list[0]);
            for (const b of list) this.found.append(this.result(b));
        } catch (err) {
            this.say('');
            this.found.append(errorLine(refusal(err)));
        }
    }

    private result(b: FoundBuilding): HTMLElement {
        const row = el('button', 'om-field-result');
        row.type = 'button';
        row.dataset.building = String(b.id);
        const name = el('strong', undefined, b.household_code ?? b.code);
        const sub = el('span', undefined, `${b.project_name} · ${t(statusKey(b.status))} · ${t('m.field.households', {count: b.households})}`);
        row.append(name, sub);
        row.addEventListener('click', () => void this.open(b.id, b));
        return row;
    }

    /** Opens building `id` below the search (and on the map, when it was found by code). */
    async open(id: number, found?: FoundBuilding): Promise<void> {
        const g = ++this.generation;
        this.found.replaceChildren();
        this.map.mark(id);
        if (found) this.map.focus(id, found.lon, found.lat);
        try {
            const b = await fetchBuilding(id);
            if (g !== this.generation) return;
            this.title.textContent = b.code;
            this.title.append(el('small', undefined, b.project_name));
            const only = found?.household_code ? b.households?.find(h => h.code === found.household_code) : undefined;
            this.work.show([b], only ? [only.id] : []);
            this.building.hidden = false;
            this.building.dataset.building = String(id);
            // the household found by its code, else the building's first
            const row = only && this.building.querySelector(`.om-sw-row[data-household="${only.id}"]`);
            (row || this.building).scrollIntoView({block: row ? 'center' : 'start'});
        } catch (err) {
            if (g === this.generation) this.say(refusal(err));
        }
    }

    apply(ev: StatusEvent): void {
        this.work.apply(ev);
    }
}
