// The screen's time bar: a date picker, a day-by-day replay (play/pause, speed, slider, the day shown large) and, in history, the "历史视图 · 截至 …" banner with 回到实时.
import {fetchHistorySpan} from '../api/cockpit';
import {onLang, t} from '../i18n';
import {addDays, beijingToday, daysBetween, type AsOf} from './asof';
import {el} from './dom';
import './timebar.css';

/** Days per second the replay may run at. */
const SPEEDS = [1, 2, 4, 8] as const;
/** Where a replay started from live begins: this many days back (or the first day of the history). */
const REPLAY_FROM_DAYS = 60;

export class TimeBar {
    readonly el = el('div', 'om-timebar');
    private picker = el('input', 'om-asof');
    private play = el('button', 'om-timebar-play');
    private speed = el('select', 'om-timebar-speed');
    private slider = el('input', 'om-timebar-slider');
    private day = el('div', 'om-timebar-day');
    private banner = el('div', 'om-history-banner');
    private bannerText = el('span');
    private back = el('button', 'om-history-back');
    private first: string | null = null;
    private timer?: number;

    constructor(private asOf: AsOf) {
        this.picker.type = 'date';
        this.picker.max = beijingToday();
        this.picker.addEventListener('change', () => {
            const day = this.picker.value || null; // before stop(), whose render shows the day still set
            this.stop();
            asOf.set(day);
        });
        this.play.type = 'button';
        this.play.addEventListener('click', () => (this.timer === undefined ? this.start() : this.stop()));
        for (const s of SPEEDS) this.speed.append(new Option(`${s}×`, String(s)));
        this.speed.addEventListener('change', () => { if (this.timer !== undefined) { this.stop(); this.start(); } });
        this.slider.type = 'range';
        this.slider.min = '0';
        this.slider.disabled = true;
        this.slider.addEventListener('input', () => {
            const day = this.dayAt(Number(this.slider.value));
            this.stop();
            asOf.set(day);
        });
        this.back.type = 'button';
        this.back.addEventListener('click', () => { this.stop(); asOf.set(null); });
        this.banner.append(this.bannerText, this.back);
        const controls = el('div', 'om-timebar-controls');
        controls.append(this.picker, this.play, this.speed, this.slider);
        this.el.append(this.banner, controls, this.day);
        asOf.onChange(() => this.render());
        onLang(() => this.render());
        this.render();
        fetchHistorySpan().then(span => {
            this.first = span.first_day;
            if (span.first_day) this.picker.min = span.first_day;
            this.render();
        }).catch(err => console.warn('history span unavailable:', err));
    }

    /** Whether a replay is running. */
    get playing(): boolean {
        return this.timer !== undefined;
    }

    private dayAt(index: number): string | null {
        if (!this.first) return null;
        const day = addDays(this.first, index);
        return day >= beijingToday() ? null : day;
    }

    /** Plays from the day shown (from live: some weeks back), one day per tick, back to live at today. */
    start(): void {
        const today = beijingToday();
        if (this.asOf.live) {
            const from = addDays(today, -REPLAY_FROM_DAYS);
            this.asOf.set(this.first && this.first > from ? this.first : from);
        }
        const step = () => {
            const next = addDays(this.asOf.day ?? today, 1);
            this.asOf.set(next);
            if (next >= today) this.stop();
        };
        this.timer = window.setInterval(step, 1000 / Number(this.speed.value));
        this.render();
    }

    stop(): void {
        if (this.timer !== undefined) window.clearInterval(this.timer);
        this.timer = undefined;
        this.render();
    }

    private render(): void {
        const day = this.asOf.day;
        const today = beijingToday();
        document.body.classList.toggle('om-in-history', day !== null);
        this.el.classList.toggle('om-timebar-history', day !== null);
        this.banner.hidden = day === null;
        this.bannerText.textContent = day ? t('asof.banner', {day}) : '';
        this.back.textContent = t('asof.back_to_live');
        this.picker.value = day ?? '';
        this.picker.title = t('asof.pick');
        this.play.textContent = this.playing ? '❚❚' : '▶';
        this.play.title = this.playing ? t('asof.pause') : t('asof.play');
        this.play.setAttribute('aria-label', this.play.title);
        this.speed.title = t('asof.speed');
        this.slider.title = t('asof.slider');
        this.day.textContent = day ?? t('asof.live');
        this.day.hidden = !this.playing && day === null;
        if (this.first) {
            this.slider.disabled = false;
            this.slider.max = String(daysBetween(this.first, today));
            this.slider.value = String(daysBetween(this.first, day ?? today));
        }
    }
}
