// The wall's clock (date, weekday, HH:MM:SS in the city's zone) and "数据更新于 HH:MM:SS", the time the live feed last spoke.
import {cityDay, cityWeekday, clockTime} from '../format';
import {t} from '../i18n';
import {setFeedDot} from '../live/ticker';
import {el} from '../ui/dom';

const WEEKDAYS = ['wall.weekday.0', 'wall.weekday.1', 'wall.weekday.2', 'wall.weekday.3', 'wall.weekday.4', 'wall.weekday.5', 'wall.weekday.6'] as const;

export class WallClock {
    readonly el = el('div', 'om-wall-clock');
    private time = el('div', 'om-wall-time');
    private date = el('div', 'om-wall-date');
    private updated = el('div', 'om-wall-updated');
    private dot = el('span', 'om-feed-dot');
    private updatedText = el('span');
    private lastAlive: Date | null = null;
    private everConnected = false;

    constructor() {
        setFeedDot(this.dot, 'off');
        this.updated.append(this.dot, this.updatedText);
        const left = el('div', 'om-wall-clock-side');
        left.append(this.date, this.updated);
        this.el.append(left, this.time);
        this.tick();
        // One timer for the page's life.
        window.setInterval(() => this.tick(), 1000);
    }

    /** The feed delivered something (event or heartbeat) at `at`. */
    alive(at: Date): void {
        this.lastAlive = at;
        this.renderUpdated();
    }

    /** Green while the feed is connected, amber while it reconnects after having been connected. */
    connected(on: boolean): void {
        this.everConnected ||= on;
        setFeedDot(this.dot, on ? 'on' : this.everConnected ? 'retry' : 'off');
    }

    private tick(): void {
        const now = new Date();
        this.time.textContent = clockTime(now);
        // the city's date and weekday, not the wall PC's (its zone may be anything)
        this.date.textContent = `${cityDay(now)} ${t(WEEKDAYS[cityWeekday(now)])}`;
        this.renderUpdated();
    }

    private renderUpdated(): void {
        const at = this.lastAlive ? clockTime(this.lastAlive) : '—';
        this.updatedText.textContent = `${t('wall.data_as_of')} ${at}`;
    }
}
