// 结案归档 tab: a project's close-out — what is still open (steps, households, land, payments, objections), 结案 (settle), 归档 (archive, read-only from then on) and 导出档案 (the archive ZIP).
import {appUrl, refusal} from '../api/client';
import {t, type MessageKey} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, whileBusy} from '../ui/form';
import {archiveProject, archiveZipPath, fetchCloseout, settleProject, type Closeout} from './api';
import {confirmInline} from './fields';
import {ProjectTab} from './project-tab';

const OPEN: (keyof Closeout['open_counts'])[] = ['steps', 'households', 'parcels', 'batches', 'unpaid', 'objections'];

export class CloseoutTab extends ProjectTab {
    protected async showProject(code: string): Promise<void> {
        const card = new Card('admin.closeout.title', 'ad-closeout');
        this.body.replaceChildren(card.el);
        const notice = new Notice();
        const draw = (c: Closeout) => {
            const state = el('p', 'ad-closeout-state');
            state.dataset.state = c.archived_at ? 'archived' : c.settled_at ? 'settled' : 'open';
            state.textContent = c.archived_at ? t('admin.closeout.archived', {at: c.archived_at, user: c.archived_by ?? ''})
                : c.settled_at ? t('admin.closeout.settled', {at: c.settled_at, user: c.settled_by ?? ''}) : t('admin.closeout.not_settled');
            const open = el('ul', 'ad-closeout-open');
            for (const key of OPEN) {
                const n = c.open_counts[key];
                if (n > 0) open.append(el('li', undefined, t(`admin.closeout.open.${key}` as MessageKey, {n})));
            }
            const settle = button(t('admin.closeout.settle'), 'primary');
            settle.dataset.act = 'settle';
            settle.disabled = Boolean(c.settled_at);
            const archive = button(t('admin.closeout.archive'), 'primary');
            archive.dataset.act = 'archive';
            archive.disabled = !c.settled_at || Boolean(c.archived_at);
            const download = el('a', 'om-button', t('admin.closeout.export'));
            download.href = appUrl(archiveZipPath(code));
            download.dataset.act = 'export';
            const act = (b: HTMLButtonElement, question: string, call: () => Promise<Closeout>) => b.addEventListener('click', () => void (async () => {
                notice.clear();
                if (!(await confirmInline(b, question))) return;
                try {
                    draw(await whileBusy([b], call));
                } catch (err) {
                    notice.fail(refusal(err));
                }
            })());
            act(settle, t('admin.closeout.confirm_settle', {code}), () => settleProject(code));
            act(archive, t('admin.closeout.confirm_archive', {code}), () => archiveProject(code));
            const actions = el('div', 'ad-closeout-actions');
            actions.append(settle, archive, download);
            const parts: HTMLElement[] = [state];
            if (open.childElementCount) parts.push(el('p', 'ad-hint', t('admin.closeout.open')), open);
            card.body.replaceChildren(...parts, actions, el('p', 'ad-hint', t('admin.closeout.export_note')), notice.el);
        };
        try {
            draw(await fetchCloseout(code));
        } catch (err) {
            card.setError(t('admin.common.load_failed', {reason: refusal(err)}));
        }
    }
}
