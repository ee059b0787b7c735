// The cockpit's 工作组 mode: the buildings coloured by group with a legend, a filter by group, and for admins and operators the assignment of clicked or lassoed buildings to a group (confirmed, then "N 户 assigned, M moved from …").
import './groups.css';
import type {IControl, Map as MlMap, MapMouseEvent} from 'maplibre-gl';
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import type {DrillView} from '../cockpit/drill';
import {onLang, t} from '../i18n';
import {LAYER} from '../map/layers';
import {DRAWING_CLASS} from '../map/tools/sketch';
import {TAKES_CLICKS_CLASS, overlayHits} from '../map/tools/overlay-popup';
import {confirmWrite} from '../status/confirm';
import {LassoControl, type LassoResult} from '../status/lasso';
import {el} from '../ui/dom';
import {assignToGroup, fetchGroups, type AssignTarget, type ProjectGroups} from './api';
import {GroupPanel, type Picked} from './map-panel';
import {filterBuildingGroup, refetchGroups, setBuildingColouring, showAssigned} from './map-colour';
import {groupColours} from './palette';

export type GroupMode = {show: (v: DrillView) => void; changed: (projectId: number | null) => void};
export type GroupModeOptions = {
    /** Selects a project on the cockpit (a building of another project was clicked). */
    project: (id: number) => void;
    /** The mode starts: other map work (the status panel) gives way. */
    onStart: () => void;
};

const selectedState = (map: MlMap, id: number, on: boolean) => map.setFeatureState({source: 'buildings', sourceLayer: 'buildings', id}, {selected: on});

export function installGroupMode(map: MlMap, user: User, opts: GroupModeOptions): GroupMode {
    const writer = user.role === 'admin' || user.role === 'operator';
    const container = map.getContainer();
    let on = false;
    let project: {id: number; code: string} | null = null;
    let data: ProjectGroups | null = null;
    let picked: Picked = {kind: 'none'};
    let generation = 0;

    const panel = new GroupPanel(writer, {
        close: () => toggle(false),
        filter: id => filterBuildingGroup(map, id),
        clear: () => pick({kind: 'none'}),
        assign: group => void assign(group),
    });
    const lasso = new LassoControl(r => lassoed(r), {button: 'groups.lasso.button', drawing: 'groups.lasso.drawing', hint: 'groups.lasso.hint'}, 'om-gm-lasso');
    const button = el('button', 'om-gm-toggle');
    button.type = 'button';
    const box = el('div', 'maplibregl-ctrl maplibregl-ctrl-group om-gm-control');
    box.append(button);
    const label = () => {
        button.textContent = t('groups.mode.button');
        button.title = t('groups.mode.hint');
        button.setAttribute('aria-pressed', String(on));
    };
    label();
    onLang(label);
    button.addEventListener('click', () => toggle(!on));
    const control: IControl = {onAdd: () => box, onRemove: () => box.remove()};
    map.addControl(control, 'top-right');

    function pick(next: Picked): void {
        if (picked.kind === 'buildings') for (const id of picked.ids.keys()) selectedState(map, id, false);
        picked = next;
        if (picked.kind === 'buildings') for (const id of picked.ids.keys()) selectedState(map, id, true);
        if (picked.kind !== 'within') lasso.clear();
        panel.picked(picked);
    }

    function toggle(next: boolean): void {
        if (next === on) return;
        on = next;
        container.classList.toggle(TAKES_CLICKS_CLASS, on);
        container.classList.toggle('om-group-mode', on);
        label();
        // the groups' lasso is on the map only in the mode (the status work's stands in for it outside)
        if (writer && on) map.addControl(lasso, 'top-right');
        if (writer && !on) map.removeControl(lasso);
        if (on) opts.onStart();
        else {
            pick({kind: 'none'});
            filterBuildingGroup(map, null);
        }
        panel.el.hidden = !on;
        setBuildingColouring(map, on ? 'group' : 'status', legendOf(data));
        if (on) void load();
    }

    const legendOf = (d: ProjectGroups | null) => {
        const colours = groupColours(d?.groups.map(g => g.id) ?? []);
        return (d?.groups ?? []).map(g => ({id: g.id, name: g.name, color: colours.get(g.id)!}));
    };

    async function load(): Promise<void> {
        const g = ++generation;
        if (!project) {
            data = null;
            panel.show(null, null);
            if (on) setBuildingColouring(map, 'group', []);
            return;
        }
        if (!data) panel.show(project.code, null);
        try {
            const answer = await fetchGroups(project.code);
            if (g !== generation) return;
            data = answer;
            panel.show(project.code, answer);
            if (on) setBuildingColouring(map, 'group', legendOf(answer));
        } catch (err) {
            if (g === generation) panel.fail(refusal(err));
        }
    }

    /** Buildings as the tiles drawn now have them: id → code and project. */
    function drawn(ids: number[]): Map<number, {code: string; project: number}> {
        const want = new Set(ids);
        const out = new Map<number, {code: string; project: number}>();
        for (const f of map.queryRenderedFeatures({layers: [LAYER.buildingsFill]})) {
            const id = Number(f.id);
            if (want.has(id) && !out.has(id)) out.set(id, {code: String(f.properties.code), project: Number(f.properties.project_id)});
        }
        return out;
    }

    /** Keeps the buildings of the shown project; a click on another project's building moves the cockpit to it first. */
    function take(found: Map<number, {code: string; project: number}>, adding: boolean): void {
        const first = found.values().next().value;
        if (!first) return;
        if (!project || !([...found.values()].some(b => b.project === project!.id))) {
            // another project's building: the cockpit moves to that project, whose groups the panel then lists
            opts.project(first.project);
            return;
        }
        const ids = new Map(picked.kind === 'buildings' && adding ? picked.ids : []);
        let others = 0;
        for (const [id, b] of found) {
            if (b.project !== project.id) others++;
            else if (adding && ids.has(id) && found.size === 1) ids.delete(id);
            else ids.set(id, b.code);
        }
        pick(ids.size ? {kind: 'buildings', ids, others} : {kind: 'none'});
    }

    function lassoed(r: LassoResult): void {
        if (!on) return;
        if (r.tooFar) {
            // zoomed out past the buildings: the server takes every household of the project inside the lasso
            if (project) pick({kind: 'within', polygon: r.polygon});
            return;
        }
        take(drawn(r.ids), false);
    }

    map.on('click', (e: MapMouseEvent) => {
        if (!on || lasso.active || container.classList.contains(DRAWING_CLASS) || overlayHits(map, e.point).length) return;
        const layers = [LAYER.buildingsFill, LAYER.projectsFill].filter(id => map.getLayer(id));
        const hit = map.queryRenderedFeatures(e.point, {layers}).find(f => f.id !== undefined);
        if (!hit) return;
        // zoomed out (no buildings drawn): a click on a project chooses it, as the drill-down would
        if (hit.layer.id === LAYER.projectsFill) {
            if (Number(hit.id) !== project?.id) opts.project(Number(hit.id));
            return;
        }
        take(new Map([[Number(hit.id), {code: String(hit.properties.code), project: Number(hit.properties.project_id)}]]), true);
    });

    async function assign(groupId: number): Promise<void> {
        const group = data?.groups.find(g => g.id === groupId);
        if (!group || picked.kind === 'none') return;
        const target: AssignTarget = picked.kind === 'buildings' ? {buildings: [...picked.ids.values()]} : {within: picked.polygon};
        const line = picked.kind === 'buildings' ? t('groups.confirm.buildings', {count: picked.ids.size, group: group.name})
            : t('groups.confirm.within', {group: group.name});
        const ok = await confirmWrite(t, {title: t('groups.confirm.title', {group: group.name}), lines: [line], needsReason: false, confirmLabel: t('groups.confirm.ok')});
        if (ok === null) return;
        panel.busy(true);
        try {
            const answer = await assignToGroup(groupId, target);
            if (picked.kind === 'buildings') showAssigned(map, [...picked.ids.keys()], groupId);
            refetchGroups(map);
            pick({kind: 'none'});
            panel.done(answer);
            await load();
        } catch (err) {
            panel.fail(refusal(err));
        } finally {
            panel.busy(false);
        }
    }

    return {
        show: v => {
            const s = v.selection;
            const next = s.kind === 'project' ? {id: s.id, code: v.children?.projects.find(p => p.id === s.id)?.code ?? ''} : null;
            if (next && !next.code) return; // the project's row (its code) comes with the next view
            if (next?.id === project?.id) return;
            project = next;
            pick({kind: 'none'});
            data = null;
            if (on) {
                filterBuildingGroup(map, null);
                void load();
            }
        },
        // assignments changed somewhere (the live feed): the shown project's figures are read again
        changed: projectId => {
            if (on && project && (projectId === null || projectId === project.id)) void load();
        },
    };
}
