// The live feed: one EventSource on /events, its health (connected, stale), reconnection, and the status, procedure, case, unit and groups events it delivers.
import type {CaseEvent, GroupsEvent, Heartbeat, ProcedureEvent, StatusEvent, UnitEvent} from './types';

/** What tests (and the curious) read as `window.__live`; `applied` counts status events drawn on the map, `resyncs` the times everything was fetched again. */
export type LiveState = {connected: boolean; lastEventId: string | null; stale: boolean; applied: number; resyncs: number; procedures: number};

export type FeedHandlers = {
    status: (ev: StatusEvent) => void;
    /** A procedure step changed (ids of their own, resumed apart: `?last_procedure_id=`). */
    procedure?: (ev: ProcedureEvent) => void;
    /** A 疑难个案 changed (opened, escalated, closed…; ids of their own: `?last_case_id=`). */
    case?: (ev: CaseEvent) => void;
    /** A resettlement unit's status changed (ids of their own: `?last_unit_id=`). */
    unit?: (ev: UnitEvent) => void;
    /** Work groups' assignments changed (no id of its own: nothing to resume). */
    groups?: (ev: GroupsEvent) => void;
    /** The feed went quiet for 2.5 heartbeats (stale) or spoke again; `since` is when it last spoke. */
    health: (stale: boolean, since: Date) => void;
    /** A connection failed before it opened (perhaps a 401): resolves once it is worth trying again. */
    refused: () => Promise<void>;
    /** The EventSource opened (true) or failed (false). */
    connection: (connected: boolean) => void;
    /** Reconnected without knowing where the feed had got to: events may be lost, reload what they change. */
    resync: () => void;
    /** The feed said something (an event or a heartbeat): the data on screen is current as of `at`. */
    alive?: (at: Date) => void;
};

const STALE_AFTER_HEARTBEATS = 2.5;
const RETRY_MS = [500, 1000, 2000, 5000];

/*
 * We reconnect ourselves instead of leaving it to the browser: the browser's Last-Event-ID is the
 * last `id:` line, which only status events carry, so after a quiet spell it would resume from
 * nothing. Heartbeats tell us how far the server has got (`last_event_id`), and `?last_event_id=`
 * asks the server to replay everything after it.
 */
export class LiveFeed {
    readonly state: LiveState = {connected: false, lastEventId: null, stale: false, applied: 0, resyncs: 0, procedures: 0};
    private es?: EventSource;
    /** When the feed last said anything (event, heartbeat, or a new connection). */
    private lastAlive = Date.now();
    private intervalS: number;
    /** The newest event id the feed has taken us past, status events and heartbeats alike. */
    private resumeFrom: number | null = null;
    /** The newest procedure event id the feed has taken us past. */
    private procedureFrom: number | null = null;
    /** The newest case event id the feed has taken us past. */
    private caseFrom: number | null = null;
    /** The newest unit status event id the feed has taken us past. */
    private unitFrom: number | null = null;
    private timer?: number;
    private failures = 0;

    constructor(private url: string, heartbeatS: number, private on: FeedHandlers) {
        this.intervalS = heartbeatS;
    }

    start(): void {
        this.open(false);
        this.timer = window.setInterval(this.check, 250);
    }

    stop(): void {
        window.clearInterval(this.timer);
        this.es?.close();
        this.state.connected = false;
    }

    private open(reconnecting: boolean): void {
        let url = this.resumeFrom === null ? this.url : `${this.url}&last_event_id=${this.resumeFrom}`;
        if (this.procedureFrom !== null) url += `&last_procedure_id=${this.procedureFrom}`;
        if (this.caseFrom !== null) url += `&last_case_id=${this.caseFrom}`;
        if (this.unitFrom !== null) url += `&last_unit_id=${this.unitFrom}`;
        const blind = reconnecting && this.resumeFrom === null;
        const es = new EventSource(url);
        this.es = es;
        let opened = false;
        es.addEventListener('open', () => {
            opened = true;
            this.failures = 0;
            this.state.connected = true;
            this.on.connection(true);
            this.alive();
            if (blind) this.resync();
        });
        es.addEventListener('error', () => {
            if (this.es !== es) return;
            es.close();
            this.es = undefined;
            this.state.connected = false;
            this.on.connection(false);
            const wait = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)];
            window.setTimeout(() => {
                const ready = opened ? Promise.resolve() : this.on.refused().catch(() => {});
                void ready.then(() => this.open(true));
            }, wait);
        });
        es.addEventListener('heartbeat', e => {
            const hb = parse<Heartbeat>(e.data);
            if (hb && hb.interval_s > 0) this.intervalS = hb.interval_s;
            if (hb && typeof hb.last_event_id === 'number') this.advance(hb.last_event_id);
            if (hb && typeof hb.last_procedure_id === 'number') this.advanceProcedure(hb.last_procedure_id);
            if (hb && typeof hb.last_case_id === 'number') this.advanceCase(hb.last_case_id);
            if (hb && typeof hb.last_unit_id === 'number') this.advanceUnit(hb.last_unit_id);
            this.alive();
        });
        es.addEventListener('procedure', msg => {
            this.alive();
            const ev = parse<ProcedureEvent>(msg.data);
            if (!ev) return;
            this.advanceProcedure(ev.procedure_id);
            this.state.procedures++;
            try {
                this.on.procedure?.(ev);
            } catch (err) {
                console.warn('live: could not apply procedure event', ev.procedure_id, err);
            }
        });
        es.addEventListener('case', msg => {
            this.alive();
            const ev = parse<CaseEvent>(msg.data);
            if (!ev) return;
            this.advanceCase(ev.case_event_id);
            try {
                this.on.case?.(ev);
            } catch (err) {
                console.warn('live: could not apply case event', ev.case_event_id, err);
            }
        });
        es.addEventListener('unit', msg => {
            this.alive();
            const ev = parse<UnitEvent>(msg.data);
            if (!ev) return;
            this.advanceUnit(ev.unit_event_id);
            try {
                this.on.unit?.(ev);
            } catch (err) {
                console.warn('live: could not apply unit event', ev.unit_event_id, err);
            }
        });
        es.addEventListener('groups', msg => {
            this.alive();
            const ev = parse<GroupsEvent>(msg.data);
            if (ev) this.on.groups?.(ev);
        });
        // The gap since resumeFrom was too long to replay (too many events, or too old), or a bulk of
        // procedure, case or unit events came at once (the midnight escalation): the server moves
        // the cursors it names to its newest event and everything on screen is fetched again.
        es.addEventListener('reload', msg => {
            const reload = parse<Omit<Heartbeat, 'now' | 'interval_s'> & {reason: string}>(msg.data);
            if (reload && typeof reload.last_event_id === 'number') this.advance(reload.last_event_id);
            if (reload && typeof reload.last_procedure_id === 'number') this.advanceProcedure(reload.last_procedure_id);
            if (reload && typeof reload.last_case_id === 'number') this.advanceCase(reload.last_case_id);
            if (reload && typeof reload.last_unit_id === 'number') this.advanceUnit(reload.last_unit_id);
            this.alive();
            console.info('live: too much was missed to replay, fetching again:', reload?.reason);
            this.resync();
        });
        es.addEventListener('status', msg => {
            this.alive();
            const ev = parse<StatusEvent>(msg.data);
            if (!ev) return;
            // A replay after reconnecting may repeat what we have: applying it again is harmless.
            this.advance(ev.event_id);
            this.state.lastEventId = msg.lastEventId || String(ev.event_id);
            try {
                this.on.status(ev);
            } catch (err) {
                console.warn('live: could not apply event', ev.event_id, err);
            }
        });
    }

    private resync(): void {
        this.state.resyncs++;
        this.on.resync();
    }

    private advance(id: number): void {
        if (Number.isFinite(id) && (this.resumeFrom === null || id > this.resumeFrom)) this.resumeFrom = id;
    }

    private advanceCase(id: number): void {
        if (Number.isFinite(id) && (this.caseFrom === null || id > this.caseFrom)) this.caseFrom = id;
    }

    private advanceUnit(id: number): void {
        if (Number.isFinite(id) && (this.unitFrom === null || id > this.unitFrom)) this.unitFrom = id;
    }

    private advanceProcedure(id: number): void {
        if (Number.isFinite(id) && (this.procedureFrom === null || id > this.procedureFrom)) this.procedureFrom = id;
    }

    private alive(): void {
        this.lastAlive = Date.now();
        this.on.alive?.(new Date(this.lastAlive));
        if (this.state.stale) {
            this.state.stale = false;
            this.on.health(false, new Date(this.lastAlive));
        }
    }

    private check = (): void => {
        const quiet = Date.now() - this.lastAlive;
        if (!this.state.stale && quiet > STALE_AFTER_HEARTBEATS * this.intervalS * 1000) {
            this.state.stale = true;
            this.on.health(true, new Date(this.lastAlive));
        }
    };
}

function parse<T>(data: unknown): T | null {
    try {
        return JSON.parse(String(data)) as T;
    } catch {
        return null;
    }
}
