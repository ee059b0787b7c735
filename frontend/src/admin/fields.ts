// The admin forms' fields: each names itself in the page's language, shows its own error beside it (the client's check or the server's refusal of that field), and an inline "are you sure" step before a change that matters.
import {ApiError, refusal} from '../api/client';
import {t, type MessageKey} from '../i18n';
import {el} from '../ui/dom';
import {button, field} from '../ui/form';

/** A form this page checks itself (noValidate): each error is named beside its field in the page's language, never in the browser's bubble. */
export function adminForm(className: string): HTMLFormElement {
    const form = el('form', className);
    form.noValidate = true;
    return form;
}

/** The field a refusal names: the API starts its messages with it ("rates[2].yuan_per_m2: …"). */
export function refusedField(err: unknown): string | null {
    if (!(err instanceof ApiError)) return null;
    return /^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?):/.exec(err.said)?.[1] ?? null;
}

/** A form's labelled fields by the API's names, each with a slot for its error. */
export class Fields {
    private slots = new Map<string, {label: string; box: HTMLLabelElement; error: HTMLElement; control: HTMLElement}>();

    /**
     * A labelled control registered under `name` (the API's field name); returns the label to place.
     * `errorName`: how an error names the field when the label alone is ambiguous (a row's 单价).
     */
    add(name: string, labelKey: MessageKey, control: HTMLElement, className = '', errorName?: string): HTMLLabelElement {
        const label = errorName ?? t(labelKey);
        const box = field(t(labelKey), control, className);
        const error = el('small', 'ad-field-error');
        error.hidden = true;
        error.setAttribute('role', 'alert');
        error.dataset.field = name;
        box.append(error);
        this.slots.set(name, {label, box, error, control});
        return box;
    }

    /** Shows `message` under the field, prefixed with its name ("用户名：…"). */
    fail(name: string, message: string): void {
        const slot = this.slots.get(name);
        if (!slot) return;
        slot.error.textContent = t('admin.field.error', {field: slot.label, message});
        slot.error.hidden = false;
        slot.control.setAttribute('aria-invalid', 'true');
        slot.control.focus();
    }

    clear(): void {
        for (const s of this.slots.values()) {
            s.error.hidden = true;
            s.error.textContent = '';
            s.control.removeAttribute('aria-invalid');
        }
    }

    /** Puts an API refusal beside the field it names; false when it names none of these fields. */
    failFrom(err: unknown, aliases: Record<string, string> = {}): boolean {
        const named = refusedField(err);
        const name = named ? aliases[named] ?? named : null;
        if (!name || !this.slots.has(name)) return false;
        this.fail(name, refusal(err));
        return true;
    }
}

/**
 * Asks inline, after `anchor`: the question, 确认 and 取消; resolves true on 确认. One question at
 * a time per anchor: asking again replaces the open one.
 */
export function confirmInline(anchor: HTMLElement, question: string, confirmKey: MessageKey = 'admin.confirm.yes'): Promise<boolean> {
    anchor.parentElement?.querySelector(':scope > .ad-confirm')?.remove();
    return new Promise(resolve => {
        const box = el('div', 'ad-confirm');
        box.setAttribute('role', 'alertdialog');
        const yes = button(t(confirmKey), 'primary');
        const no = button(t('admin.confirm.no'), 'quiet');
        yes.dataset.confirm = 'yes';
        box.append(el('span', undefined, question), yes, no);
        const done = (answer: boolean) => { box.remove(); resolve(answer); };
        yes.addEventListener('click', () => done(true));
        no.addEventListener('click', () => done(false));
        anchor.after(box);
        yes.focus();
    });
}

/** A secret shown once (a generated password, a kiosk token and its wall link), with a copy button. */
export function shownOnce(titleKey: MessageKey, lines: {labelKey: MessageKey; value: string}[]): HTMLElement {
    const box = el('div', 'ad-secret');
    box.setAttribute('role', 'status');
    box.append(el('strong', undefined, t(titleKey)));
    for (const l of lines) {
        const row = el('div', 'ad-secret-row');
        const value = el('code', 'om-mono', l.value);
        value.dataset.secret = l.labelKey;
        const copy = button(t('admin.common.copy'), 'quiet');
        copy.addEventListener('click', () => void navigator.clipboard?.writeText(l.value).then(() => { copy.textContent = t('admin.common.copied'); }, () => {}));
        row.append(el('span', 'ad-secret-label', t(l.labelKey)), value, copy);
        box.append(row);
    }
    box.append(el('small', undefined, t('admin.common.once')));
    return box;
}
