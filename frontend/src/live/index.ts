// Wires the live feed to the map (feature-state), the page's own listeners and the stale banner; exposes window.__live.
import type {Map as MlMap} from 'maplibre-gl';
import './live.css';
import '../auth/auth.css';
import {appUrl} from '../api/client';
import {askForLogin} from '../auth/form';
import {renewSession} from '../auth/session';
import {t} from '../i18n';
import {applyProcedure, applyStatus, resyncMap} from './apply';
import {LiveFeed, type LiveState} from './feed';
import {StaleBanner} from './stale';
import {refetchGroups} from '../groups/map-colour';
import {refetchTiles} from '../map/refetch';
import type {CaseEvent, GroupsEvent, ProcedureEvent, StatusEvent, UnitEvent} from './types';

declare global {
    interface Window {
        __live?: LiveState;
    }
}

export type LiveOptions = {
    heartbeat: number;
    kiosk: string | null;
    /** Every status event, after it was applied to the map. */
    onStatus?: (ev: StatusEvent) => void;
    /** Every procedure event, after the project's new stage was set on the map. */
    onProcedure?: (ev: ProcedureEvent) => void;
    /** Every case event, after the buildings' case flags were fetched again. */
    onCase?: (ev: CaseEvent) => void;
    /** Every resettlement unit status change (the 楼盘表, the housing figures). */
    onUnit?: (ev: UnitEvent) => void;
    /** Work groups' assignments changed, after the buildings' tiles were asked for again. */
    onGroups?: (ev: GroupsEvent) => void;
    /** Events may have been missed: reload whatever they change. */
    onResync?: () => void;
    /** The feed said something (event or heartbeat) at `at`. */
    onAlive?: (at: Date) => void;
    onConnection?: (connected: boolean) => void;
    /** While true (the screen shows a past day), events leave the map alone; switching back fetches live tiles. */
    mapPaused?: () => boolean;
};

/** Starts the feed now; status events that arrive before the style has loaded are applied to the map once it has. */
export function startLive(map: MlMap | null, opts: LiveOptions): LiveFeed {
    const banner = new StaleBanner();
    let pending: StatusEvent[] | null = map ? [] : null;
    const apply = (ev: StatusEvent) => {
        if (map && !opts.mapPaused?.()) applyStatus(map, ev);
        feed.state.applied++;
    };
    map?.once('load', () => {
        const queued = pending ?? [];
        pending = null;
        queued.forEach(apply);
    });

    const feed: LiveFeed = new LiveFeed(appUrl(`events?heartbeat=${opts.heartbeat}`), opts.heartbeat, {
        status: ev => {
            if (pending) pending.push(ev);
            else apply(ev);
            opts.onStatus?.(ev);
        },
        procedure: ev => {
            if (map && !pending && !opts.mapPaused?.()) applyProcedure(map, ev);
            opts.onProcedure?.(ev);
        },
        case: ev => {
            // the building's case_open flag (on the tiles only): its tiles are fetched again
            if (map && !pending && !opts.mapPaused?.()) refetchTiles(map, 'buildings');
            opts.onCase?.(ev);
        },
        unit: ev => {
            // the estates tiles carry the counts by status
            if (map && !pending && !opts.mapPaused?.() && map.getSource('estates')) map.refreshTiles('estates');
            opts.onUnit?.(ev);
        },
        groups: ev => {
            if (map && !pending && !opts.mapPaused?.()) refetchGroups(map);
            opts.onGroups?.(ev);
        },
        health: (stale, since) => banner.set(stale, since),
        connection: connected => opts.onConnection?.(connected),
        refused: async () => {
            if (await renewSession(opts.kiosk)) return;
            await askForLogin(t('auth.expired'));
        },
        resync: () => {
            if (map && !pending && !opts.mapPaused?.()) resyncMap(map);
            opts.onResync?.();
        },
        alive: at => opts.onAlive?.(at),
    });
    window.__live = feed.state;
    feed.start();
    return feed;
}
