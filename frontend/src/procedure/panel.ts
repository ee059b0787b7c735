// The cockpit's procedure card: the selected project's timeline (its steps by stage, planned vs actual, today, overdue, windows), kept in the current language.
import {onLang, t} from '../i18n';
import {Card, failed} from '../ui/card';
import {el} from '../ui/dom';
import {fetchProcedure, Timeline, type ProcedureDoc, type Words} from './timeline';

/** "国有土地上房屋征收 第1版 · 逾期 2 项 · 期限内 1 项": the template and what needs attention. */
export function summary(doc: ProcedureDoc, words: Words): string {
    const count = (state: string) => doc.steps.filter(s => s.shown_state === state).length;
    return words('timeline.summary', {template: doc.template.name, version: doc.template.version, overdue: count('overdue'), open: count('open')});
}

export class ProcedurePanel {
    readonly card = new Card('timeline.title', 'om-procedure');
    readonly timeline = new Timeline(t);
    private line = el('p', 'om-tl-summary');
    private doc: ProcedureDoc | null = null;
    private generation = 0;

    constructor() {
        this.card.body.append(this.line, this.timeline.el);
        onLang(() => {
            this.timeline.render();
            if (this.doc) this.line.textContent = summary(this.doc, t);
        });
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    /** Shows project `code` (null: none selected) under its name. */
    async set(code: string | null, name: string): Promise<void> {
        this.card.setNote(name);
        const generation = ++this.generation;
        this.card.el.dataset.project = code ?? '';
        this.card.el.dataset.ready = '';
        if (!code) {
            this.doc = null;
            this.card.setError(() => t('timeline.pick_project'));
            return;
        }
        try {
            const doc = await fetchProcedure(code);
            if (generation !== this.generation) return;
            this.doc = doc;
            this.card.setError(null);
            this.line.textContent = summary(doc, t);
            this.timeline.show(doc);
            // what needs attention in view: the card scrolls, the page does not
            const focus = this.timeline.focusRow();
            this.card.body.scrollTop = focus ? Math.max(0, focus.offsetTop - this.card.body.clientHeight / 3) : 0;
        } catch (err) {
            if (generation !== this.generation) return;
            this.card.setError(failed(err));
        }
        this.card.el.dataset.ready = code;
    }
}
