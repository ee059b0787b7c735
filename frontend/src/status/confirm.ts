// The confirm dialog before a status write: what will change, household by household, and for a send-back (退回) the reason, which it requires.
import type {MessageKey, Value} from '../i18n';
import {el} from '../ui/dom';

export type Tr = (key: MessageKey, values?: Record<string, Value>) => string;

export type ConfirmRequest = {title: string; lines: string[]; needsReason: boolean; confirmLabel: string; danger?: boolean};

/** Shows a modal dialog; resolves with the reason ('' when none was asked) or null when cancelled. */
export function confirmWrite(tr: Tr, req: ConfirmRequest): Promise<string | null> {
    const dialog = el('dialog', 'om-sw-dialog');
    const form = el('form');
    form.method = 'dialog';
    const list = el('ul', 'om-sw-dialog-lines');
    for (const line of req.lines.slice(0, 12)) list.append(el('li', undefined, line));
    if (req.lines.length > 12) list.append(el('li', 'om-sw-more', tr('status.confirm.more', {count: req.lines.length - 12})));
    const reason = el('textarea', 'om-input om-sw-reason');
    reason.name = 'reason';
    reason.rows = 3;
    reason.maxLength = 500;
    reason.placeholder = tr('status.confirm.reason_hint');
    const reasonLabel = el('label', 'om-sw-reason-label');
    reasonLabel.append(el('span', undefined, tr('status.confirm.reason')), reason);
    const cancel = el('button', 'om-btn om-btn-quiet', tr('status.confirm.cancel'));
    cancel.type = 'button';
    cancel.value = 'cancel';
    const ok = el('button', `om-btn ${req.danger ? 'om-btn-danger' : 'om-btn-primary'}`, req.confirmLabel);
    ok.type = 'submit';
    ok.value = 'ok';
    ok.dataset.confirm = '';
    const buttons = el('div', 'om-sw-dialog-buttons');
    buttons.append(cancel, ok);
    form.append(el('h3', undefined, req.title), list);
    if (req.needsReason) form.append(reasonLabel);
    form.append(buttons);
    dialog.append(form);
    document.body.append(dialog);

    const update = () => { ok.disabled = req.needsReason && reason.value.trim() === ''; };
    reason.addEventListener('input', update);
    update();
    return new Promise(resolve => {
        let answer: string | null = null;
        cancel.addEventListener('click', () => dialog.close());
        form.addEventListener('submit', e => {
            e.preventDefault();
            if (ok.disabled) return;
            answer = req.needsReason ? reason.value.trim() : '';
            dialog.close();
        });
        dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
        dialog.showModal();
        (req.needsReason ? reason : ok).focus();
    });
}
