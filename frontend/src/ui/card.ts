// A titled panel card (heading in the current language, optional tools on the right, a body, an inline error slot).
import {refusal} from '../api/client';
import {onLang, t, type MessageKey} from '../i18n';
import {el, errorLine} from './dom';

export class Card {
    readonly el: HTMLElement;
    readonly head = el('header', 'om-card-head');
    readonly tools = el('div', 'om-card-tools');
    readonly body = el('div', 'om-card-body');
    private title = el('h2');
    private note = el('small', 'om-card-note');
    private error?: HTMLElement;
    private errorText: (() => string) | null = null;

    constructor(private titleKey: MessageKey, className: string) {
        this.el = el('section', `om-card ${className}`);
        this.head.append(this.title, this.tools);
        this.el.append(this.head, this.body);
        this.renderTitle();
        onLang(() => {
            this.renderTitle();
            if (this.errorText) this.setError(this.errorText);
        });
    }

    /** Text after the title (a scope name, a period), in its own element so tests can read it. */
    setNote(text: string): void {
        this.note.textContent = text;
        this.renderTitle();
    }

    /** Replaces the body by a one-line error, or (null) removes it again; a function is worded again when the language changes. */
    setError(message: string | (() => string) | null): void {
        this.error?.remove();
        this.error = undefined;
        this.errorText = typeof message === 'string' ? () => message : message;
        this.body.hidden = message !== null;
        if (this.errorText) {
            this.error = errorLine(this.errorText());
            this.el.append(this.error);
        }
    }

    private renderTitle(): void {
        this.el.setAttribute('aria-label', t(this.titleKey));
        this.title.replaceChildren(t(this.titleKey), this.note);
    }
}

/** An API failure as a panel shows it: "数据暂不可用 · 项目不存在（99999）" (a string is a sentence refusal() made already). */
export const failed = (err: unknown): string => `${t('common.data_unavailable')} · ${typeof err === 'string' ? err : refusal(err)}`;
