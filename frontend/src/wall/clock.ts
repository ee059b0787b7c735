// The wall's clock (date, weekday, HH:MM:SS) and "数据更新于 HH:MM:SS", the time the live feed last spoke.
import {clockTime} from '../format';
import {tr} from '../i18n';
import {el} from '../ui/dom';

const WEEKDAY_ZH = '日一二三四五六';
const WEEKDAY_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export class WallClock {
    readonly el = el('div', 'om-wall-clock');
    private time = el('div', 'om-wall-time');
    private date = el('div', 'om-wall-date');
    private updated = el('div', 'om-wall-updated');
    private dot = el('span', 'om-feed-dot');
    private updatedText = el('span');
    private lastAlive: Date | null = null;

    constructor() {
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

    connected(on: boolean): void {
        this.dot.classList.toggle('om-feed-on', on);
    }

    private tick(): void {
        const now = new Date();
        this.time.textContent = clockTime(now);
        const d = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
        this.date.textContent = `${d} ${tr(`星期${WEEKDAY_ZH[now.getDay()]}`, WEEKDAY_EN[now.getDay()])}`;
        this.renderUpdated();
    }

    private renderUpdated(): void {
        const t = this.lastAlive ? clockTime(this.lastAlive) : '—';
        this.updatedText.textContent = `${tr('数据更新于', 'Data as of')} ${t}`;
    }
}
