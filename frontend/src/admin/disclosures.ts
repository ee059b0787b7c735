// 信息公开 tab: what a project has published (newest first, who and when) and a form to publish another document (概况 / 政策 / 补偿方案 / 公告) to the residents' page.
import {refusal} from '../api/client';
import {fmtTime} from '../format';
import {t} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';
import {Notice, button, input, select, textarea, whileBusy} from '../ui/form';
import {fetchDisclosures, publishDisclosure, type Disclosure, type DocumentKind} from './api';
import {Fields, adminForm, confirmInline} from './fields';
import {ProjectTab} from './project-tab';

const KINDS: DocumentKind[] = ['announcement', 'overview', 'policy', 'compensation_plan'];
/** The limits the server holds (backend/src/disclosure/mod.rs). */
const MAX_TITLE = 200;
const MAX_BODY = 100_000;

export class DisclosuresTab extends ProjectTab {
    protected async showProject(code: string): Promise<void> {
        const publish = new Card('admin.disclosures.publish', 'ad-publish');
        const published = new Card('admin.disclosures.published', 'ad-published');
        this.body.replaceChildren(publish.el, published.el);
        const list = async () => {
            try {
                const answer = await fetchDisclosures(code);
                published.setNote(answer.published ? t('admin.disclosures.public') : t('admin.disclosures.not_public'));
                published.body.replaceChildren(...(answer.documents.length ? answer.documents.map(d => this.document(d)) : [el('p', 'om-empty', t('admin.disclosures.none'))]));
            } catch (err) {
                published.setError(t('admin.common.load_failed', {reason: refusal(err)}));
            }
        };
        const fields = new Fields();
        const kind = select('kind', KINDS.map(k => ({value: k, zh: t(`document.${k}`)})), 'announcement');
        const title = input('title', {maxLength: MAX_TITLE});
        const body = textarea('body', {rows: 8});
        const submit = button(t('admin.disclosures.submit'), 'primary', 'submit');
        const notice = new Notice();
        const form = adminForm('ad-publish-form');
        form.setAttribute('aria-label', t('admin.disclosures.publish'));
        form.append(fields.add('kind', 'admin.disclosures.kind', kind), fields.add('title', 'admin.disclosures.title', title, 'dk-grow'),
            fields.add('body', 'admin.disclosures.body', body, 'ad-wide'), submit);
        publish.body.append(form, notice.el);
        form.addEventListener('submit', e => void (async () => {
            e.preventDefault();
            fields.clear();
            notice.clear();
            if (!title.value.trim()) return fields.fail('title', t('admin.common.required'));
            if (!body.value.trim()) return fields.fail('body', t('admin.common.required'));
            if (body.value.length > MAX_BODY) return fields.fail('body', t('admin.common.too_long', {max: MAX_BODY}));
            if (!(await confirmInline(submit, t('admin.disclosures.confirm', {title: title.value.trim()})))) return;
            try {
                await whileBusy([submit], () => publishDisclosure(code, {kind: kind.value as DocumentKind, title: title.value.trim(), body: body.value}));
                notice.ok(t('admin.disclosures.done', {title: title.value.trim()}));
                form.reset();
                await list();
            } catch (err) {
                if (!fields.failFrom(err)) notice.fail(refusal(err));
            }
        })());
        await list();
    }

    private document(d: Disclosure): HTMLElement {
        const item = el('article', 'ad-document');
        item.dataset.id = String(d.id);
        const head = el('header');
        head.append(el('span', 'om-chip', t(`document.${d.kind}`)), el('strong', undefined, d.title),
            el('small', undefined, t('admin.disclosures.by', {at: fmtTime(d.published_at), user: d.username ?? t('admin.audit.system')})));
        item.append(head, el('p', undefined, d.body.length > 240 ? `${d.body.slice(0, 240)}…` : d.body));
        return item;
    }
}
