// The 信访 tab: the board of a project's (or all) petitions with filters, overdue ones flagged and first; a form registering one from any channel; a petition's own page (petition-page.ts).
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {PETITION_CHANNEL_ZH, PETITION_STATUS_ZH, PETITION_TIMELINESS_ZH, chip, petitionChip, timelinessChip} from '../labels';
import {zhText, type MessageKey} from '../i18n';
import {fmtPct} from '../format';
import {el} from '../ui/dom';
import {Notice, button, field, input, select, textarea, whileBusy} from '../ui/form';
import {PetitionPage} from './petition-page';
import {fetchBoard, fetchStats, registerPetition, type Named, type PetitionRow, type Stats} from './petitions-api';
import {go} from './route';

/** What the due day of an open petition is for: the acceptance decision, or the reply. */
const DUE_TEXT: Record<string, MessageKey> = {
    'registered-false': 'desk.petitions.accept_due', 'registered-true': 'desk.petitions.accept_overdue',
    'accepted-false': 'desk.petitions.handle_due', 'accepted-true': 'desk.petitions.handle_overdue',
};

const options = (names: Record<string, string>, all = true) =>
    [...(all ? [{value: '', zh: zhText('common.all')}] : []), ...Object.entries(names).map(([value, zh]) => ({value, zh}))];

export class PetitionsTab {
    readonly el = el('section', 'om-card dk-petitions');
    private scope = select('scope', [{value: 'project', zh: zhText('desk.objections.this_project')}, {value: 'all', zh: zhText('desk.objections.all_projects')}]);
    private status = select('petition_status', options(PETITION_STATUS_ZH));
    private channel = select('petition_channel', options(PETITION_CHANNEL_ZH));
    private timeliness = select('timeliness', options(PETITION_TIMELINESS_ZH));
    private list = el('div', 'dk-petition-list');
    private count = el('small', 'om-card-note');
    private stats = el('div', 'dk-petition-stats');
    private notice = new Notice();
    private board = el('div', 'dk-petition-board');
    private page: PetitionPage;
    private registerBox = el('details', 'dk-petition-register');
    private categories: Named[] = [];
    private project: string | null = null;
    private generation = 0;

    constructor(user: User) {
        this.el.setAttribute('aria-label', zhText('desk.petitions.tab'));
        this.page = new PetitionPage(user);
        const head = el('header', 'om-card-head');
        const h2 = el('h2', undefined, zhText('desk.petitions.title'));
        h2.append(this.count);
        head.append(h2);
        const filters = el('div', 'dk-search');
        filters.append(field(zhText('desk.objections.scope'), this.scope), field(zhText('list.column.status'), this.status),
            field(zhText('desk.petitions.channel'), this.channel), field(zhText('desk.petitions.timeliness'), this.timeliness));
        for (const s of [this.scope, this.status, this.channel, this.timeliness]) s.addEventListener('change', () => void this.load());
        this.registerBox.append(el('summary', 'om-btn om-btn-primary', zhText('desk.petitions.register')));
        this.board.append(head, this.stats, this.registerBox, filters, this.notice.el, this.list);
        this.el.append(this.board, this.page.el);
    }

    show(project: string, id: number | null): void {
        const projectChanged = project !== this.project;
        this.project = project;
        this.board.hidden = id !== null;
        this.page.el.hidden = id === null;
        if (id !== null) return this.page.show(id);
        if (projectChanged) this.registerBox.open = false;
        void this.load();
    }

    private async load(): Promise<void> {
        const generation = ++this.generation;
        this.notice.busy(zhText('desk.common.reading'));
        this.el.dataset.loading = 'true';
        try {
            const project = this.scope.value === 'all' ? null : this.project;
            const [b, stats] = await Promise.all([
                fetchBoard({project, status: this.status.value, channel: this.channel.value, timeliness: this.timeliness.value}), fetchStats(project)]);
            if (generation !== this.generation) return;
            this.notice.clear();
            if (this.categories.length === 0 && b.categories) {
                this.categories = b.categories;
                this.registerBox.append(this.registerForm());
            }
            this.count.textContent = [zhText('desk.objections.total', {count: b.counts.total}), zhText('desk.petitions.open_count', {count: b.counts.open}),
                b.counts.overdue ? zhText('desk.objections.overdue_count', {count: b.counts.overdue}) : ''].filter(Boolean).join(' · ');
            this.drawStats(stats);
            this.list.replaceChildren(...b.petitions.map(p => this.row(p)));
            if (b.petitions.length === 0) this.list.append(el('p', 'om-empty', zhText('desk.petitions.none')));
        } catch (err) {
            if (generation === this.generation) this.notice.fail(zhText('desk.petitions.failed', {reason: refusal(err)}));
        } finally {
            if (generation === this.generation) delete this.el.dataset.loading;
        }
    }

    /** The 时效 figures of the scope (on-time rate of the closed, overdue and open) and the count per channel and category. */
    private drawStats(s: Stats): void {
        const figure = (label: string, value: string, key: string) => {
            const f = el('div', 'dk-petition-stat');
            f.dataset.key = key;
            f.append(el('span', undefined, label), el('strong', undefined, value));
            return f;
        };
        const t = s.total;
        const split = (label: string, parts: {name: string; n: number}[]) =>
            el('p', 'dk-petition-split', zhText('desk.petitions.split', {label, parts: parts.filter(x => x.n > 0).map(x => `${x.name} ${x.n}`).join(' · ') || '—'}));
        this.stats.replaceChildren(
            figure(zhText('desk.petitions.on_time_rate'), t.on_time_rate === null ? '—' : fmtPct(t.on_time_rate), 'on_time_rate'),
            figure(PETITION_TIMELINESS_ZH.on_time, String(t.on_time), 'on_time'), figure(PETITION_TIMELINESS_ZH.late, String(t.late), 'late'),
            figure(PETITION_TIMELINESS_ZH.overdue, String(t.overdue), 'overdue'), figure(PETITION_TIMELINESS_ZH.open, String(t.open), 'open'),
            split(zhText('desk.petitions.channel'), s.by_channel.map(c => ({name: PETITION_CHANNEL_ZH[c.channel] ?? c.channel, n: c.total}))),
            split(zhText('desk.petitions.category'), s.by_category.map(c => ({name: c.category, n: c.total}))));
    }

    private row(p: PetitionRow): HTMLElement {
        const card = el('article', 'dk-petition');
        card.dataset.id = String(p.id);
        card.dataset.overdue = String(p.overdue);
        const top = el('div', 'dk-objection-top');
        const open = el('a', 'dk-petition-ticket', p.ticket);
        open.href = `#petitions/${encodeURIComponent(p.project_code)}/${p.id}`;
        top.append(open, chip(PETITION_CHANNEL_ZH[p.channel] ?? p.channel, p.channel), petitionChip(p.status), timelinessChip(p.timeliness));
        if (p.repeat_of) top.append(chip(zhText('desk.petitions.repeat'), 'repeat'));
        const who = [p.project_code, p.household_code, p.petitioner_name, p.category ?? zhText('desk.petitions.unclassified'), p.group_name ?? p.office].filter(Boolean);
        top.append(el('span', undefined, who.join(' · ')));
        const when = el('small', undefined, [zhText('desk.petitions.received', {day: p.received_on}),
            p.due_on ? zhText(DUE_TEXT[`${p.status}-${p.overdue}`] ?? 'desk.objections.due', {due: p.due_on}) : ''].filter(Boolean).join(' · '));
        top.append(when);
        card.append(top, el('p', 'dk-objection-body', p.body));
        return card;
    }

    private registerForm(): HTMLElement {
        const form = el('form', 'dk-petition-form');
        form.setAttribute('aria-label', zhText('desk.petitions.register'));
        const channel = select('channel', options(PETITION_CHANNEL_ZH, false), 'hotline');
        const category = select('category_id', [{value: '', zh: zhText('desk.petitions.unclassified')}, ...this.categories.map(c => ({value: String(c.id), zh: c.name}))]);
        const received = input('received_at', {type: 'datetime-local'});
        const household = input('household_code', {placeholder: zhText('desk.petitions.household_hint'), autocomplete: 'off'});
        const name = input('petitioner_name', {autocomplete: 'off', maxLength: 40});
        const idNumber = input('petitioner_id_number', {autocomplete: 'off', maxLength: 18});
        const phone = input('petitioner_phone', {autocomplete: 'off', maxLength: 20, type: 'tel'});
        const body = textarea('body', {required: true, rows: 4, maxLength: 4000, placeholder: zhText('desk.petitions.body_hint')});
        const send = button(zhText('desk.petitions.register_submit'), 'primary', 'submit');
        const notice = new Notice();
        const grid = el('div', 'dk-petition-grid');
        grid.append(field(zhText('desk.petitions.channel'), channel), field(zhText('desk.petitions.category'), category),
            field(zhText('desk.petitions.received_at'), received), field(zhText('desk.petitions.household'), household),
            field(zhText('desk.petitions.petitioner'), name), field(zhText('desk.petitions.id_number'), idNumber), field(zhText('desk.petitions.phone'), phone));
        form.append(grid, field(zhText('desk.petitions.body'), body, 'dk-grow'), send, notice.el);
        form.addEventListener('submit', e => {
            e.preventDefault();
            if (!body.value.trim()) return notice.fail(zhText('desk.petitions.body_missing'));
            void (async () => {
                notice.busy(zhText('desk.common.submitting'));
                try {
                    const made = await whileBusy([send], () => registerPetition({
                        project: this.project ?? '', channel: channel.value, body: body.value,
                        category_id: category.value ? Number(category.value) : undefined, received_at: received.value || undefined,
                        household_code: household.value.trim() || undefined, petitioner_name: name.value.trim() || undefined,
                        petitioner_id_number: idNumber.value.trim() || undefined, petitioner_phone: phone.value.trim() || undefined}));
                    form.reset();
                    notice.clear();
                    go({tab: 'petitions', project: made.project_code, household: made.id});
                } catch (err) {
                    notice.fail(refusal(err));
                }
            })();
        });
        return form;
    }
}
