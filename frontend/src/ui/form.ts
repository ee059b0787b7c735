// Form pieces shared by the desk and the public pages: labelled fields, inputs, selects, buttons and an inline notice line.
import {el} from './dom';

/** `<label><span>名称</span>control</label>`; the control keeps its own name for tests and autofill. */
export function field(label: string, control: HTMLElement, className = ''): HTMLLabelElement {
    const l = el('label', `om-field ${className}`.trim());
    l.append(el('span', 'om-field-label', label), control);
    return l;
}

export function input(name: string, attrs: Partial<HTMLInputElement> = {}): HTMLInputElement {
    const i = el('input', 'om-input');
    i.name = name;
    Object.assign(i, attrs);
    return i;
}

export function textarea(name: string, attrs: Partial<HTMLTextAreaElement> = {}): HTMLTextAreaElement {
    const t = el('textarea', 'om-input');
    t.name = name;
    Object.assign(t, {rows: 3, ...attrs});
    return t;
}

export function select(name: string, options: readonly {value: string; zh: string}[], value = ''): HTMLSelectElement {
    const s = el('select', 'om-input');
    s.name = name;
    for (const o of options) s.append(new Option(o.zh, o.value));
    // Without a matching option, keep the first one chosen rather than none.
    if (options.some(o => o.value === value)) s.value = value;
    return s;
}

export function button(text: string, kind: 'primary' | 'quiet' | 'danger' = 'primary', type: 'button' | 'submit' = 'button'): HTMLButtonElement {
    const b = el('button', `om-btn om-btn-${kind}`, text);
    b.type = type;
    return b;
}

/** A link that downloads (attachments, the agreement), styled like a quiet button when asked. */
export function link(text: string, href: string, className = 'om-link'): HTMLAnchorElement {
    const a = el('a', className, text);
    a.href = href;
    return a;
}

/**
 * One line under a form that says what happened: an error in red (the server's words), a success
 * in green, or "正在…" while waiting. role=status, so screen readers hear it too.
 */
export class Notice {
    readonly el = el('p', 'om-notice');

    constructor() {
        this.el.setAttribute('role', 'status');
        this.el.hidden = true;
    }

    fail(text: string): void { this.set(text, 'error'); }
    ok(text: string): void { this.set(text, 'ok'); }
    busy(text: string): void { this.set(text, 'busy'); }
    clear(): void { this.el.hidden = true; this.el.textContent = ''; delete this.el.dataset.tone; }

    private set(text: string, tone: string): void {
        this.el.textContent = text;
        this.el.dataset.tone = tone;
        this.el.hidden = false;
    }
}

/** Runs `work` with `buttons` disabled, so a second click cannot start it twice; re-enables them after. */
export async function whileBusy<T>(buttons: HTMLButtonElement[], work: () => Promise<T>): Promise<T> {
    for (const b of buttons) b.disabled = true;
    try {
        return await work();
    } finally {
        for (const b of buttons) b.disabled = false;
    }
}
