// The live feed's messages as the server sends them on /events (event types `status`, `procedure`, `case` and `heartbeat`).

/** Gauge figures of one project or region after the change; sign_rate is null when there are no households. */
export type Figures = {
    households: number;
    signed: number;
    vacated: number;
    demolished: number;
    sign_rate: number | null;
};

export type StatusEvent = {
    event_id: number;
    /** RFC 3339 time of the change */
    at: string;
    subject: 'household' | 'parcel';
    household_id: number | null;
    parcel_id: number | null;
    from: string;
    to: string;
    /** The household's or parcel's version after the change. */
    version?: number;
    reason: string | null;
    actor: string | null;
    project_id: number | null;
    /** The project's name (the ticker shows it beside the building or parcel code). */
    project_name?: string;
    /** The building the household lives in, with its (possibly unchanged) rolled-up status. */
    building: {id: number; code?: string; status: string; version: number} | null;
    parcel: {id: number; code?: string; land_status: string; version: number} | null;
    figures: {
        project?: Figures & {id: number};
        /** The project's community, street, district and city. */
        regions?: (Figures & {code: string})[];
    } | null;
};

/** A procedure step's change (`procedure`): ids of its own (`procedure_id`), resumed with `?last_procedure_id=`. */
export type ProcedureEvent = {
    procedure_id: number;
    at: string;
    project_id: number;
    project_code: string;
    project_name: string;
    step_key: string;
    step_name: string;
    from: 'not_started' | 'in_progress' | 'done' | 'waived';
    to: 'not_started' | 'in_progress' | 'done' | 'waived';
    /** The project's stage just before and just after the change, and now. */
    stage_before: string;
    stage_after: string;
    stage: string;
    /** Staff only (a wall's screen payload has neither). */
    reason?: string;
    actor?: string;
};

/** A 疑难个案's step (`case`): ids of their own (`case_event_id`), resumed with `?last_case_id=`. No names, no notes. */
export type CaseEvent = {
    case_event_id: number;
    at: string;
    kind: 'opened' | 'conference' | 'escalated' | 'reassigned' | 'closed';
    case_id: number;
    category: string;
    level: 'group' | 'command' | 'leader';
    state: 'open' | 'closed';
    overdue: boolean;
    project_id: number;
    project_code: string;
    project_name: string;
    building: {id: number; code: string};
};

/** `last_event_id` / `last_procedure_id` / `last_case_id` / `last_unit_id`: the newest event of each kind the server has taken this connection past. */
export type Heartbeat = {now: string; interval_s: number; last_event_id?: number; last_procedure_id?: number; last_case_id?: number; last_unit_id?: number};

/** A resettlement unit's status change (`unit`, housing/api.ts UnitEvent): ids of their own, resumed with `?last_unit_id=`. */
export type {UnitEvent} from '../housing/api';

/** Households changed hands between work groups (`groups`): the buildings' tiles and the groups' figures are read again. */
export type GroupsEvent = {type: 'groups'; project_id: number | null};
