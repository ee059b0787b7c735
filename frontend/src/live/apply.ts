// Applies live status events to the map as feature-state, which the layer colours prefer over the tile properties.
import type {Map as MlMap} from 'maplibre-gl';
import {refetchTiles} from '../map/refetch';
import type {Figures, ProcedureEvent, StatusEvent} from './types';

/** Tile properties a live event can overwrite, per source (the feature-state keys carry the same names). */
const LIVE_KEYS = ['status', 'land_status', 'households', 'signed', 'vacated', 'demolished', 'sign_rate', 'stage'] as const;
/** Sources whose feature-state the feed sets: all of them hold tile properties that go stale. */
const LIVE_SOURCES = ['buildings', 'parcels', 'projects', 'regions'] as const;

const target = (source: string, id: number) => ({source, sourceLayer: source, id});

function figures(f: Figures): Record<string, unknown> {
    return {households: f.households, signed: f.signed, vacated: f.vacated, demolished: f.demolished, sign_rate: f.sign_rate};
}

/**
 * Sets the new status on the building or parcel, and the new figures on the project and on its
 * regions that are loaded. MapLibre keeps feature-state per source, so a tile loaded later (or a
 * feature not drawn yet) still gets it. No tile is fetched again.
 */
export function applyStatus(map: MlMap, ev: StatusEvent): void {
    if (ev.building && map.getSource('buildings')) {
        map.setFeatureState(target('buildings', ev.building.id), {status: ev.building.status});
    }
    if (ev.parcel && map.getSource('parcels')) {
        map.setFeatureState(target('parcels', ev.parcel.id), {land_status: ev.parcel.land_status});
    }
    const project = ev.figures?.project;
    if (project && map.getSource('projects')) map.setFeatureState(target('projects', project.id), figures(project));
    if (!map.getSource('regions')) return;
    for (const region of ev.figures?.regions ?? []) {
        // Region features are keyed by database id, the event by region code: look the ids up in the loaded tiles.
        const ids = new Set(map.querySourceFeatures('regions', {
            sourceLayer: 'regions', filter: ['==', ['to-string', ['get', 'code']], region.code],
        }).map(f => f.id));
        for (const id of ids) if (id !== undefined) map.setFeatureState(target('regions', Number(id)), figures(region));
    }
}

/** Sets the project's new procedure stage (colour by stage reads it before the tile's). No tile is fetched again. */
export function applyProcedure(map: MlMap, ev: ProcedureEvent): void {
    if (map.getSource('projects')) map.setFeatureState(target('projects', ev.project_id), {stage: ev.stage});
}

/**
 * After events may have been missed: forget every live value and fetch the tiles again, which
 * the server rebuilt with the current statuses. (A selection highlight is forgotten as well.)
 */
export function resyncMap(map: MlMap): void {
    for (const source of LIVE_SOURCES) {
        if (!map.getSource(source)) continue;
        map.removeFeatureState({source, sourceLayer: source});
        refetchTiles(map, source);
    }
}

/** A feature's tile properties with the live values from its feature-state laid over them (for the popup). */
export function withLiveState(props: Record<string, unknown>, state: Record<string, unknown> | undefined): Record<string, unknown> {
    const out = {...props};
    for (const key of LIVE_KEYS) if (state && state[key] !== undefined) out[key] = state[key];
    return out;
}
