// The wall's panel of today's work group ranking within its region: read again a few seconds after status events (at most once per 5 s), when assignments change, every 5 minutes (the day turns), and for the wall's past day.
import './wall-groups.css';
import type {AsOf} from '../ui/asof';
import {GroupRankingPanel} from './ranking';

const EVERY_MS = 300_000;
/** At most one reload per this, however fast status events come. */
const AFTER_EVENTS_MS = 5000;

export class WallGroupRanking {
    readonly panel = new GroupRankingPanel({period: 'day', limit: 5, title: 'groups.ranking.title_today', className: 'om-wall-panel om-wall-groups'});

    constructor(region: string, private asOf: AsOf) {
        const follow = () => this.panel.setScope({region, asOf: asOf.day});
        follow();
        asOf.onChange(follow);
        window.setInterval(() => { if (this.asOf.live) void this.panel.reload(); }, EVERY_MS);
    }

    get el(): HTMLElement {
        return this.panel.el;
    }

    /** A status event: the day's gains moved. */
    status(): void {
        if (this.asOf.live) this.panel.soon(AFTER_EVENTS_MS);
    }

    /** Households changed groups, or events may have been missed. */
    reload(): void {
        if (this.asOf.live) void this.panel.reload();
    }
}
