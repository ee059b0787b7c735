// The page language (Chinese by default, English on request: the 中/EN switch, ?lang=, localStorage) and t(): every text by key from zh.ts / en.ts.
import {en} from './en';
import {zh, type MessageKey} from './zh';

export type {MessageKey};

export type Lang = 'zh' | 'en';
const KEY = 'onemap.lang';
const listeners = new Set<() => void>();

function stored(): Lang {
    try {
        // the desk and the public page read Chinese only: <meta name="onemap-lang" content="zh">
        if (document.querySelector('meta[name="onemap-lang"]')?.getAttribute('content') === 'zh') return 'zh';
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

/** A value for a `{name}` slot: text, a number, or another message (the API nests a funds warning in an alert). */
export type Value = string | number | null | Message;
/** A message as the API sends it: a key of the dictionaries and the values of its slots. */
export type Message = {key: string; values?: Record<string, Value>};

const DICTS: Record<Lang, Record<MessageKey, string>> = {zh, en};

const isKey = (key: string): key is MessageKey => Object.hasOwn(zh, key);

/** The text of `key` in `lang`, its `{name}` slots filled; an unknown key (a newer server) shows as itself. */
export function inLang(l: Lang, key: string, values: Record<string, Value> = {}): string {
    const text = isKey(key) ? DICTS[l][key] : key;
    return text.replace(/\{(\w+)\}/g, (slot, name: string) => {
        const v = values[name];
        if (v === undefined) return slot;
        if (v === null) return '';
        return typeof v === 'object' ? inLang(l, v.key, v.values) : String(v);
    });
}

/** The Chinese text of `key`: the staff desk and the public page have no language switch and always read Chinese. */
export const zhText = (key: MessageKey, values?: Record<string, Value>): string => inLang('zh', key, values);

/** The Chinese and the English text of `key` side by side ('用户名或密码错误 · wrong user name or password'): the login serves every page, whatever the language. */
export const zhEn = (key: MessageKey, values?: Record<string, Value>): string => `${inLang('zh', key, values)} · ${inLang('en', key, values)}`;

/** The text of `key` in the current language, e.g. t('alert.stalled_since', {project, since}). */
export const t = (key: MessageKey, values?: Record<string, Value>): string => inLang(lang, key, values);

/** An API message ({key, values}) in the current language. */
export const tMessage = (m: Message): string => inLang(lang, m.key, m.values);

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
