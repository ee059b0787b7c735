// The two tabs of /m/ for staff who may write: the leader's progress view and the field screen (#field).
import './field-tabs.css';
import {onLang, t} from '../i18n';
import {el} from '../ui/dom';

export function fieldTabs(): HTMLElement {
    const nav = el('nav', 'om-field-tabs');
    const tab = (hash: string, key: 'm.field.tab_progress' | 'm.field.tab_field') => {
        const a = el('a');
        a.href = hash;
        const label = () => { a.textContent = t(key); };
        label();
        onLang(label);
        return a;
    };
    const progress = tab('#', 'm.field.tab_progress');
    const field = tab('#field', 'm.field.tab_field');
    const mark = () => {
        const inField = location.hash.startsWith('#field');
        field.setAttribute('aria-current', String(inField));
        progress.setAttribute('aria-current', String(!inField));
    };
    mark();
    window.addEventListener('hashchange', mark);
    nav.append(progress, field);
    return nav;
}
