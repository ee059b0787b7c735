// 大屏令牌 tab: the wall displays' tokens (label, created, last used, revoked — never the token itself); create, rotate (the new token and wall link shown once) and revoke.
import {refusal} from '../api/client';
import {fmtTime} from '../format';
import {t} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {fetchTokens, issueToken, revokeToken, rotateToken, type IssuedToken, type KioskToken} from './api';
import {Fields, adminForm, confirmInline, shownOnce} from './fields';
import type {View} from './main';

const LABEL = /^[A-Za-z0-9_.-]{1,40}$/;

export class KioskTab implements View {
    readonly el = el('section', 'ad-kiosk');
    private card = new Card('admin.kiosk.title', 'ad-tokens');
    private secret = el('div');
    private notice = new Notice();
    private list = el('div');

    constructor() {
        const fields = new Fields();
        const label = input('label', {autocomplete: 'off', spellcheck: false, placeholder: 'hall-1'});
        const create = button(t('admin.kiosk.create'), 'primary', 'submit');
        const form = adminForm('dk-form-row ad-kiosk-form');
        form.setAttribute('aria-label', t('admin.kiosk.create'));
        form.append(fields.add('label', 'admin.kiosk.label', label), create);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            fields.clear();
            this.notice.clear();
            const value = label.value.trim();
            if (!LABEL.test(value)) return fields.fail('label', t('admin.kiosk.label_rule'));
            try {
                this.issued(await whileBusy([create], () => issueToken(value)), 'admin.kiosk.created');
                form.reset();
            } catch (err) {
                if (!fields.failFrom(err)) this.notice.fail(refusal(err));
            }
        })());
        this.card.body.append(form, el('p', 'ad-hint', t('admin.kiosk.hint')), this.secret, this.notice.el, this.list);
        this.el.append(this.card.el);
    }

    show(): void {
        void this.load();
    }

    /** A token just made: shown once with its wall link, the list reloaded. */
    private issued(token: IssuedToken, done: 'admin.kiosk.created' | 'admin.kiosk.rotated'): void {
        this.secret.replaceChildren(shownOnce('admin.kiosk.once', [
            {labelKey: 'admin.kiosk.token', value: token.token},
            {labelKey: 'admin.kiosk.wall_link', value: token.wall_url},
        ]));
        this.notice.ok(t(done, {label: token.label}));
        void this.load();
    }

    private async load(): Promise<void> {
        let tokens: KioskToken[];
        try {
            tokens = await fetchTokens();
        } catch (err) {
            this.list.replaceChildren(el('p', 'om-error', t('admin.common.load_failed', {reason: refusal(err)})));
            return;
        }
        const live = tokens.filter(x => !x.revoked_at).length;
        this.card.setNote(t('admin.kiosk.count', {live, total: tokens.length}));
        this.list.replaceChildren(dataTable<KioskToken>([
            {zh: t('admin.kiosk.label'), cell: x => x.label},
            {zh: t('admin.kiosk.state'), cell: x => this.state(x)},
            {zh: t('admin.kiosk.created_at'), cell: x => fmtTime(x.created_at)},
            {zh: t('admin.kiosk.last_used'), cell: x => fmtTime(x.last_used_at)},
            {zh: t('admin.kiosk.actions'), cell: x => this.actions(x)},
        ], tokens, {empty: t('admin.kiosk.none'), rowData: x => ({label: x.label, state: x.revoked_at ? 'revoked' : 'live'})}));
    }

    private state(x: KioskToken): HTMLElement {
        return x.revoked_at ? el('span', 'om-chip om-chip-bad', t('admin.kiosk.revoked_at', {at: fmtTime(x.revoked_at)}))
            : el('span', 'om-chip om-chip-done', t('admin.kiosk.live'));
    }

    private actions(x: KioskToken): HTMLElement {
        const box = el('span', 'ad-row-actions');
        if (x.revoked_at) return box;
        const rotate = button(t('admin.kiosk.rotate'), 'quiet');
        rotate.dataset.action = 'rotate';
        const revoke = button(t('admin.kiosk.revoke'), 'danger');
        revoke.dataset.action = 'revoke';
        rotate.addEventListener('click', () => void (async () => {
            if (!(await confirmInline(this.notice.el, t('admin.kiosk.confirm_rotate', {label: x.label})))) return;
            try {
                this.issued(await whileBusy([rotate, revoke], () => rotateToken(x.label)), 'admin.kiosk.rotated');
            } catch (err) {
                this.notice.fail(refusal(err));
            }
        })());
        revoke.addEventListener('click', () => void (async () => {
            if (!(await confirmInline(this.notice.el, t('admin.kiosk.confirm_revoke', {label: x.label})))) return;
            try {
                await whileBusy([rotate, revoke], () => revokeToken(x.label));
                this.secret.replaceChildren();
                this.notice.ok(t('admin.kiosk.revoked', {label: x.label}));
                void this.load();
            } catch (err) {
                this.notice.fail(refusal(err));
            }
        })());
        box.append(rotate, revoke);
        return box;
    }
}
