// Wires the live feed to the map (feature-state), the ticker, the gauges and the stale banner; exposes window.__live.
import type {Map as MlMap} from 'maplibre-gl';
import './live.css';
import '../auth/auth.css';
import {askForLogin} from '../auth/form';
import {renewSession} from '../auth/session';
import {applyStatus, resyncMap} from './apply';
import {LiveFeed, type LiveState} from './feed';
import type {GaugesControl} from './gauges';
import {StaleBanner} from './stale';
import type {TickerControl} from './ticker';
import type {StatusEvent} from './types';

declare global {
    interface Window {
        __live?: LiveState;
    }
}

export type LiveOptions = {heartbeat: number; kiosk: string | null; gauges: GaugesControl; ticker: TickerControl};

/** Starts the feed now; status events that arrive before the style has loaded are applied once it has. */
export function startLive(map: MlMap, opts: LiveOptions): LiveFeed {
    const banner = new StaleBanner();
    let pending: StatusEvent[] | null = [];
    const apply = (ev: StatusEvent) => {
        applyStatus(map, ev);
        feed.state.applied++;
    };
    map.once('load', () => {
        const queued = pending ?? [];
        pending = null;
        queued.forEach(apply);
    });

    const feed: LiveFeed = new LiveFeed(`events?heartbeat=${opts.heartbeat}`, opts.heartbeat, {
        status: ev => {
            if (pending) pending.push(ev);
            else apply(ev);
            opts.ticker.add(ev);
            opts.gauges.apply(ev);
        },
        health: (stale, since) => banner.set(stale, since),
        connection: connected => opts.ticker.setConnected(connected),
        refused: async () => {
            if (await renewSession(opts.kiosk)) return;
            await askForLogin('登录已过期，请重新登录 · session expired, please log in again');
        },
        resync: () => {
            if (!pending) resyncMap(map);
            void opts.gauges.reload();
        },
    });
    window.__live = feed.state;
    feed.start();
    return feed;
}
