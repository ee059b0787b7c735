// The status API a writer uses, typed: a building's households with their states, versions and last events; one step; a send-back (退回); buildings found by code.
import {getJson, q, sendJson} from '../api/client';

export type HouseholdStatus = 'pending' | 'surveyed' | 'signed' | 'vacated' | 'demolished';

/** The event that last moved a household: who, when, from what, and why (a send-back's reason). */
export type LastEvent = {id: number; from: HouseholdStatus; to: HouseholdStatus; actor: string | null; at: string; reason: string | null};

export type HouseholdState = {id: number; code: string; status: HouseholdStatus; version: number; last_event: LastEvent | null};

/** GET /api/buildings/{id}: no personal data, only codes, states and versions. */
export type BuildingDoc = {
    id: number;
    code: string;
    status: HouseholdStatus;
    version: number;
    project_id: number;
    project_code: string;
    project_name: string;
    households: HouseholdState[] | null;
};

/** A building found by code; `household_code` is the household whose code matched, if one did. */
export type FoundBuilding = {
    id: number;
    code: string;
    status: HouseholdStatus;
    households: number;
    project_code: string;
    project_name: string;
    household_code: string | null;
    lon: number;
    lat: number;
};

export type ChangeResult = {subject: 'household'; id: number; status: HouseholdStatus; version: number; event_ids: number[]};

export const fetchBuilding = (id: number) => getJson<BuildingDoc>(`api/buildings/${id}`);
/** The building of household `id`, the household among its `households`. */
export const fetchBuildingOf = (household: number) => getJson<BuildingDoc>(`api/status/households/${household}`);
export const findBuildings = (code: string) => getJson<{buildings: FoundBuilding[]}>(`api/status/find${q({code})}`).then(r => r.buildings);

/** One household one step to `to`, at the version the writer saw (a 409 when it moved meanwhile). */
export const writeStep = (h: HouseholdState, to: HouseholdStatus) =>
    sendJson<{results: ChangeResult[]}>('POST', 'api/status', {changes: [{subject: 'household', id: h.id, to, version: h.version}]}).then(r => r.results[0]);

/** 退回: the reverse of event `eventId`, with the reason (admins only; a 409 when the household moved on since). */
export const writeSendBack = (eventId: number, reason: string) =>
    sendJson<{results: ChangeResult[]}>('POST', 'api/status/send-back', {event_id: eventId, reason}).then(r => r.results[0]);
