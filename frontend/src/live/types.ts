// The live feed's messages as the server sends them on /events (event types `status` and `heartbeat`).

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

/** `last_event_id`: the newest event the server has taken this connection past (not in the first contract). */
export type Heartbeat = {now: string; interval_s: number; last_event_id?: number};
