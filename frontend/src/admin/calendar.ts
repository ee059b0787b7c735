// 节假日 tab: a year's holiday calendar as the State Council's notice lists it — 法定节假日 on weekdays and 调休上班 weekend days, each with its name — edited and saved as a whole (a refusal shown at the day it names), and a period calculator over the server's period_end, the deadlines' one arithmetic (#calendar/{year}).
import './procedure.css';
import {refusal} from '../api/client';
import {t} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, select, whileBusy} from '../ui/form';
import {fetchPeriodEnd, fetchYear, saveYear, type CalendarDay, type CalendarYear, type Unit} from './procedure-api';
import {UNITS, unitName, weekdayName} from './procedure-labels';
import {Fields, adminForm, confirmInline} from './fields';
import type {View} from './main';

/** ISO weekday of a YYYY-MM-DD day (1 Monday … 7 Sunday), or null while it is incomplete. */
function isoWeekday(day: string): number | null {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
    const d = new Date(`${day}T00:00:00Z`).getUTCDay();
    return Number.isNaN(d) ? null : d === 0 ? 7 : d;
}

const beijingYear = () => Number(new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Shanghai', year: 'numeric'}).format(new Date()));

export class CalendarTab implements View {
    readonly el = el('section', 'ad-calendar');
    private card = new Card('admin.calendar.title', 'ad-calendar-card');
    private calc = new Card('admin.calendar.calculator', 'ad-period');
    private notice = new Notice();
    private bar = el('div', 'ad-calendar-bar');
    private form = adminForm('ad-calendar-form');
    private fields = new Fields();
    private days: CalendarDay[] = [];
    private rows: {day: HTMLInputElement; working: HTMLSelectElement; name: HTMLInputElement}[] = [];
    private year = beijingYear();
    private save = button(t('admin.calendar.save'), 'primary', 'submit');

    constructor() {
        this.save.dataset.action = 'save-calendar';
        this.form.addEventListener('submit', e => { e.preventDefault(); void this.submit(); });
        this.card.body.append(this.bar, el('p', 'ad-hint', t('admin.calendar.hint')), this.form);
        this.el.append(this.card.el, this.calc.el);
        this.calculator();
    }

    show(arg: string | null): void {
        if (arg && /^\d{4}$/.test(arg)) this.year = Number(arg);
        void this.load();
    }

    private async load(): Promise<void> {
        let year: CalendarYear;
        try {
            year = await fetchYear(this.year);
            this.card.setError(null);
        } catch (err) {
            this.card.setError(t('admin.common.load_failed', {reason: refusal(err)}));
            return;
        }
        this.days = year.days;
        this.renderBar(year);
        this.render();
    }

    /** The year picker: the years listed, this year and the next (the notice for it comes each autumn). */
    private renderBar(year: CalendarYear): void {
        const now = beijingYear();
        const years = [...new Set([...year.years, now, now + 1, this.year])].sort((a, b) => a - b);
        const picker = select('year', years.map(y => ({value: String(y), zh: year.years.includes(y) ? String(y) : t('admin.calendar.not_listed', {year: y})})),
            String(this.year));
        picker.addEventListener('change', () => { location.hash = `#calendar/${picker.value}`; });
        const label = el('label', 'om-field');
        label.append(el('span', 'om-field-label', t('admin.calendar.year')), picker);
        this.card.setNote(t('admin.calendar.count', {year: this.year, count: year.days.length}));
        this.bar.replaceChildren(label);
    }

    private render(): void {
        this.fields = new Fields();
        const f = this.fields;
        const list = el('div', 'ad-day-rows');
        this.rows = this.days.map((d, i) => {
            const c = {
                day: input(`days[${i}].day`, {type: 'date', value: d.day, min: `${this.year}-01-01`, max: `${this.year}-12-31`}),
                working: select(`days[${i}].working`, [{value: 'false', zh: t('admin.calendar.holiday')}, {value: 'true', zh: t('admin.calendar.workday')}],
                    String(d.working)),
                name: input(`days[${i}].name`, {value: d.name, placeholder: t('admin.calendar.name_hint')}),
            };
            const row = el('div', 'ad-day');
            row.dataset.working = String(d.working);
            const weekday = el('span', 'ad-day-weekday');
            const showWeekday = () => {
                const w = isoWeekday(c.day.value);
                weekday.textContent = w ? weekdayName(w) : '';
            };
            c.day.addEventListener('input', showWeekday);
            c.working.addEventListener('change', () => { row.dataset.working = c.working.value; });
            showWeekday();
            // a day added now is named by the refusal itself (which names the day)
            const named = (key: 'admin.calendar.day' | 'admin.calendar.kind' | 'admin.calendar.name') =>
                (d.day ? t('admin.calendar.day_field', {day: d.day, field: t(key)}) : t(key));
            const remove = button(t('admin.calendar.remove'), 'quiet');
            remove.classList.add('ad-remove');
            remove.addEventListener('click', () => this.change(days => days.splice(i, 1)));
            row.append(f.add(`days[${i}].day`, 'admin.calendar.day', c.day, '', named('admin.calendar.day')), weekday,
                f.add(`days[${i}].working`, 'admin.calendar.kind', c.working, '', named('admin.calendar.kind')),
                f.add(`days[${i}].name`, 'admin.calendar.name', c.name, 'ad-grow', named('admin.calendar.name')), remove);
            list.append(row);
            return c;
        });
        const add = button(t('admin.calendar.add'), 'quiet');
        add.dataset.action = 'add-day';
        add.addEventListener('click', () => this.change(days => days.push({day: '', working: false, name: ''})));
        const actions = el('div', 'ad-actions');
        actions.append(add, this.save);
        this.form.replaceChildren(this.days.length ? list : el('p', 'om-empty', t('admin.calendar.none')), actions, this.notice.el);
    }

    private read(): CalendarDay[] {
        return this.rows.map(r => ({day: r.day.value, working: r.working.value === 'true', name: r.name.value}));
    }

    private change(edit: (days: CalendarDay[]) => void): void {
        this.days = this.read();
        edit(this.days);
        this.render();
    }

    private async submit(): Promise<void> {
        this.fields.clear();
        this.notice.clear();
        const days = this.read();
        if (!(await confirmInline(this.save, t('admin.calendar.confirm', {year: this.year, count: days.length}), 'admin.calendar.confirm_save'))) return;
        try {
            const saved = await whileBusy([this.save], () => saveYear(this.year, days));
            this.days = saved.days;
            this.renderBar(saved);
            this.render();
            this.notice.ok(t('admin.calendar.saved', {year: this.year, count: saved.days.length}));
        } catch (err) {
            if (!this.fields.failFrom(err)) this.notice.fail(refusal(err));
            else this.notice.fail(t('admin.calendar.fix'));
        }
    }

    /** 期限计算: start, n and unit → the period's last day by the server's period_end, with the listed days it passed. */
    private calculator(): void {
        const form = adminForm('ad-period-form');
        const start = input('start', {type: 'date'});
        const n = input('n', {type: 'number', min: '0', step: '1', value: '10'});
        const unit = select('unit', UNITS.map(u => ({value: u, zh: unitName(u)})), 'working_days');
        const go = button(t('admin.calendar.compute'), 'primary', 'submit');
        const answer = el('div', 'ad-period-result');
        answer.setAttribute('role', 'status');
        const f = new Fields();
        form.append(f.add('start', 'admin.calendar.start', start), f.add('n', 'admin.calendar.n', n), f.add('unit', 'admin.calendar.unit', unit), go);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            f.clear();
            if (!start.value) return f.fail('start', t('admin.common.required'));
            try {
                const r = await whileBusy([go], () => fetchPeriodEnd(start.value, Number(n.value), unit.value as Unit));
                const line = el('p', 'ad-period-answer');
                line.append(t('admin.calendar.ends', {start: r.start, n: r.n, unit: unitName(r.unit)}), ' ');
                const end = el('strong', undefined, `${r.end}（${weekdayName(r.end_weekday)}）`);
                end.dataset.end = r.end;
                line.append(end);
                const listed = r.listed.map(d => `${d.day.slice(5)} ${d.name}`).join(t('admin.procedure.list_sep'));
                answer.replaceChildren(line, el('p', 'ad-period-listed', listed ? t('admin.calendar.passed', {days: listed}) : t('admin.calendar.passed_none')));
            } catch (err) {
                if (!f.failFrom(err)) answer.replaceChildren(el('p', 'om-error', refusal(err)));
            }
        })());
        this.calc.body.append(el('p', 'ad-hint', t('admin.calendar.calculator_hint')), form, answer);
    }
}
