// The cockpit's status work for writers: click a building or lasso several, and a side panel lists their households to move one step on or send back (退回).
import type {Map as MlMap, MapMouseEvent} from 'maplibre-gl';
import type {User} from '../auth/api';
import {onLang, t, type MessageKey} from '../i18n';
import type {StatusEvent} from '../live/types';
import {LAYER} from '../map/layers';
import {toolTakesClick} from '../map/tools/overlay-popup';
import {el, errorLine} from '../ui/dom';
import {refusal} from '../api/client';
import {fetchBuilding} from './api';
import {LassoControl, type LassoResult} from './lasso';
import {mayWrite} from './steps';
import {StatusWork} from './view';

/** Most buildings one panel loads (one request each): a lasso over a whole village asks to draw a smaller one. */
const MAX_BUILDINGS = 40;

/** `close`: the panel gives way to another map tool. */
export type MapStatusWork = {apply: (ev: StatusEvent) => void; close: () => void};

/** Installs the panel, the building click and the lasso; nothing for those who may not write. */
export function installMapStatusWork(map: MlMap, user: User): MapStatusWork | null {
    if (!mayWrite(user)) return null;
    const panel = el('aside', 'om-sw-panel');
    panel.hidden = true;
    panel.setAttribute('aria-label', t('status.panel.title'));
    const title = el('h2', undefined, t('status.panel.title'));
    const close = el('button', 'om-sw-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', t('status.panel.close'));
    const head = el('header', 'om-sw-panel-head');
    head.append(title, close);
    const info = el('p', 'om-sw-info');
    const work = new StatusWork({user, tr: t});
    panel.append(head, info, work.el);
    document.body.append(panel);
    /** What the panel says about its choice, kept as keys so a language switch rewrites it. */
    let notes: [MessageKey, Record<string, number>][] = [];
    const sayNotes = () => { info.textContent = notes.map(([k, v]) => t(k, v)).join(' '); };
    onLang(() => {
        title.textContent = t('status.panel.title');
        close.setAttribute('aria-label', t('status.panel.close'));
        sayNotes();
    });

    const selectedIds: number[] = [];
    const mark = (ids: number[]) => {
        for (const id of selectedIds) map.setFeatureState({source: 'buildings', sourceLayer: 'buildings', id}, {selected: false});
        selectedIds.splice(0, selectedIds.length, ...ids);
        for (const id of ids) map.setFeatureState({source: 'buildings', sourceLayer: 'buildings', id}, {selected: true});
    };
    const lasso = new LassoControl(r => void open(r.ids, r));
    const closePanel = () => { panel.hidden = true; lasso.clear(); mark([]); };
    close.addEventListener('click', closePanel);

    let generation = 0;
    async function open(ids: number[], lassoed: LassoResult | null): Promise<void> {
        const g = ++generation;
        panel.hidden = false;
        notes = [];
        if (lassoed) {
            notes.push(lassoed.tooFar ? ['status.lasso.too_far', {}] : ['status.lasso.count', {count: ids.length}]);
            if (lassoed.beyondView) notes.push(['status.lasso.beyond_view', {}]);
            if (!lassoed.tooFar) notes.push(['status.lasso.drawn_only', {}]);
        }
        if (ids.length > MAX_BUILDINGS) notes.push(['status.lasso.too_many', {max: MAX_BUILDINGS}]);
        sayNotes();
        info.dataset.count = String(ids.length);
        const load = ids.slice(0, MAX_BUILDINGS);
        mark(load);
        work.show([]);
        if (!load.length) return;
        try {
            const docs = await Promise.all(load.map(id => fetchBuilding(id)));
            if (g !== generation) return;
            docs.sort((a, b) => a.code.localeCompare(b.code));
            work.show(docs);
        } catch (err) {
            if (g === generation) info.append(errorLine(refusal(err)));
        }
    }

    map.addControl(lasso, 'top-right');
    map.on('click', (e: MapMouseEvent) => {
        // a measuring or boundary tool takes the map's clicks while it draws
        if (lasso.active || toolTakesClick(map, e.point) || !map.getLayer(LAYER.buildingsFill)) return;
        const hit = map.queryRenderedFeatures(e.point, {layers: [LAYER.buildingsFill]}).find(f => f.id !== undefined);
        if (!hit) return;
        lasso.clear();
        void open([Number(hit.id)], null);
    });
    return {apply: ev => work.apply(ev), close: closePanel};
}
