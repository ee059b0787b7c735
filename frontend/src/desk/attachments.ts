// A household's files (一户一档): the list with download links, and the upload form (kind, file) that shows the server's refusal.
import {appUrl, refusal} from '../api/client';
import {fmtBytes, fmtTime} from '../format';
import {ATTACHMENT_KINDS, ATTACHMENT_KIND_ZH} from '../labels';
import {zhText} from '../i18n';
import {el} from '../ui/dom';
import {Notice, button, field, input, link, select, whileBusy} from '../ui/form';
import {dataTable} from '../ui/table';
import {attachmentPath, fetchHousehold, uploadAttachment, type Attachment, type AttachmentKind} from './api';

/** The server's limit (docs/households.md): checked here too, so a clerk does not wait for a 30 MB scan to be refused. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export class AttachmentsView {
    readonly el = el('section', 'dk-section dk-attachments');
    private list = el('div');
    private kind = select('kind', ATTACHMENT_KINDS);
    private file = input('file', {type: 'file', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png'});
    private send = button(zhText('desk.attachments.upload'), 'primary', 'submit');
    private notice = new Notice();

    constructor(private householdId: number, private attachments: Attachment[], canUpload: boolean) {
        this.el.append(el('h3', undefined, zhText('desk.households.attachments')), this.list);
        if (canUpload) {
            const form = el('form', 'dk-upload');
            form.setAttribute('aria-label', zhText('desk.attachments.form'));
            form.append(field(zhText('desk.attachments.kind'), this.kind), field(zhText('desk.attachments.file_field'), this.file, 'dk-grow'), this.send);
            form.addEventListener('submit', e => { e.preventDefault(); void this.upload(); });
            this.el.append(form, this.notice.el);
        }
        this.renderList();
    }

    private renderList(): void {
        const rows = [...this.attachments].sort((a, b) => b.id - a.id);
        this.list.replaceChildren(dataTable([
            {zh: zhText('desk.attachments.kind'), cell: a => ATTACHMENT_KIND_ZH[a.kind] ?? a.kind},
            {zh: zhText('desk.attachments.file'), cell: a => {
                const l = link(a.name, appUrl(attachmentPath(a.id)));
                l.download = a.name;
                return l;
            }},
            {zh: zhText('desk.attachments.size'), cell: a => fmtBytes(a.size), className: 'om-num'},
            {zh: zhText('desk.attachments.uploaded_by'), cell: a => a.uploaded_by},
            {zh: zhText('desk.attachments.uploaded_at'), cell: a => fmtTime(a.uploaded_at)},
        ], rows, {empty: zhText('desk.attachments.none'), rowData: a => ({id: String(a.id), kind: a.kind})}));
    }

    private async upload(): Promise<void> {
        const file = this.file.files?.[0];
        if (!file) return this.notice.fail(zhText('desk.attachments.no_file'));
        if (file.size > MAX_ATTACHMENT_BYTES) return this.notice.fail(zhText('desk.attachments.too_big', {size: fmtBytes(file.size)}));
        const kind = this.kind.value as AttachmentKind;
        this.notice.busy(zhText('desk.attachments.uploading', {name: file.name}));
        try {
            const added = await whileBusy([this.send], () => uploadAttachment(this.householdId, kind, file,
                (sent, total) => { if (total) this.notice.busy(zhText('desk.attachments.progress', {name: file.name, percent: Math.round((sent / total) * 100)})); }));
            // The list as the server keeps it (who uploaded, when), not as this page guesses it.
            this.attachments = (await fetchHousehold(this.householdId).catch(() => null))?.attachments ?? [...this.attachments, added];
            this.renderList();
            this.file.value = '';
            this.notice.ok(zhText('desk.attachments.uploaded', {kind: ATTACHMENT_KIND_ZH[added.kind] ?? added.kind, name: added.name}));
        } catch (err) {
            this.notice.fail(zhText('desk.attachments.failed', {reason: refusal(err)}));
        }
    }
}
