// A household's photo from the field: the phone's camera (or a file), its kind, and the household file's own upload (POST /api/households/{id}/attachments).
import {refusal} from '../api/client';
import {uploadAttachment, type AttachmentKind} from '../desk/api';
import {MAX_ATTACHMENT_BYTES} from '../desk/attachments';
import {fmtBytes} from '../format';
import {onLang, t, type MessageKey} from '../i18n';
import type {HouseholdState} from '../status/api';
import {el} from '../ui/dom';

const KINDS: AttachmentKind[] = ['vacate_acceptance', 'agreement', 'id_card', 'household_register', 'other'];

/** What a photo of a household at this state most likely shows. */
const likelyKind = (h: HouseholdState): AttachmentKind =>
    h.status === 'vacated' || h.status === 'demolished' ? 'vacate_acceptance' : h.status === 'signed' ? 'agreement' : 'other';

/** The photo button of a household's row (`now`: its state as shown), opening a small form once a picture is taken. */
export function photoButton(now: () => HouseholdState): HTMLElement {
    const h = now();
    const box = el('div', 'om-field-photo');
    const pick = el('label', 'om-btn om-btn-quiet om-field-photo-pick');
    const file = el('input');
    file.type = 'file';
    file.accept = 'image/jpeg,image/png';
    // the back camera where there is one; a desktop browser offers a file instead
    file.setAttribute('capture', 'environment');
    file.name = 'photo';
    file.className = 'om-field-photo-input';
    const pickText = el('span', undefined, t('m.field.photo'));
    pick.append(pickText, file);
    const form = el('div', 'om-field-photo-form');
    form.hidden = true;
    const kind = el('select', 'om-input');
    kind.name = 'kind';
    for (const k of KINDS) kind.append(new Option(t(`attachment.${k}` as MessageKey), k));
    kind.value = likelyKind(h);
    const send = el('button', 'om-btn om-btn-primary', t('m.field.upload'));
    const relabel = () => {
        pickText.textContent = t('m.field.photo');
        send.textContent = t('m.field.upload');
        for (const o of kind.options) o.text = t(`attachment.${o.value}` as MessageKey);
    };
    send.type = 'button';
    const note = el('p', 'om-field-photo-note');
    note.setAttribute('role', 'status');
    form.append(kind, send);
    box.append(pick, form, note);
    onLang(relabel);

    file.addEventListener('change', () => {
        const f = file.files?.[0];
        form.hidden = !f;
        kind.value = likelyKind(now());
        note.textContent = f ? t('m.field.photo_ready', {name: f.name, size: fmtBytes(f.size)}) : '';
        delete note.dataset.tone;
    });
    const upload = async () => {
        const f = file.files?.[0];
        if (!f) return;
        if (f.size > MAX_ATTACHMENT_BYTES) {
            note.textContent = t('m.field.photo_too_big', {size: fmtBytes(f.size)});
            note.dataset.tone = 'error';
            return;
        }
        send.disabled = true;
        try {
            const added = await uploadAttachment(h.id, kind.value as AttachmentKind, f,
                (sent, total) => { if (total) note.textContent = t('m.field.uploading', {percent: Math.round((sent / total) * 100)}); });
            note.textContent = t('m.field.uploaded', {name: added.name, kind: t(`attachment.${added.kind}` as MessageKey)});
            note.dataset.tone = 'ok';
            file.value = '';
            form.hidden = true;
        } catch (err) {
            note.textContent = t('m.field.upload_failed', {reason: refusal(err)});
            note.dataset.tone = 'error';
        } finally {
            send.disabled = false;
        }
    };
    send.addEventListener('click', () => void upload());
    return box;
}
