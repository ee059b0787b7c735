// The page language: Chinese by default, English on request (the 中/EN switch), remembered in localStorage.

export type Lang = 'zh' | 'en';
const KEY = 'onemap.lang';
const listeners = new Set<() => void>();

function stored(): Lang {
    try {
        const q = new URLSearchParams(location.search).get('lang');
        if (q === 'en' || q === 'zh') return q;
        return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
    } catch {
        return 'zh';
    }
}

let lang: Lang = stored();
document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

export const getLang = (): Lang => lang;

/** The text in the current language. */
export const tr = (zh: string, en: string): string => (lang === 'en' ? en : zh);

export function setLang(next: Lang): void {
    if (next === lang) return;
    lang = next;
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    try {
        localStorage.setItem(KEY, lang);
    } catch { /* private mode: the choice lasts for this page only */ }
    for (const f of listeners) f();
}

/** Calls `f` after every language change; returns the unsubscribe function. */
export function onLang(f: () => void): () => void {
    listeners.add(f);
    return () => listeners.delete(f);
}

/** The 中 / EN switch: two buttons, the current language pressed. */
export function langSwitch(): HTMLElement {
    const group = document.createElement('div');
    group.className = 'om-lang';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', '语言 Language');
    const buttons = (['zh', 'en'] as const).map(l => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = l === 'zh' ? '中' : 'EN';
        b.dataset.lang = l;
        b.addEventListener('click', () => setLang(l));
        return b;
    });
    const mark = () => buttons.forEach(b => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    mark();
    onLang(mark);
    group.append(...buttons);
    return group;
}
