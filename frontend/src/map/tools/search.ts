// The map's search box: projects, regions (addresses), buildings by code and, for staff, households; arrow keys move, Enter picks, Escape closes.
import {refusal} from '../../api/client';
import {search, type HitKind, type SearchHit} from '../../api/maptools';
import {onLang, t, type MessageKey} from '../../i18n';
import {el} from '../../ui/dom';

/** Waits this long after the last key before asking the server. */
const DEBOUNCE_MS = 200;
const KIND: Record<HitKind, MessageKey> = {
    project: 'maptools.search.kind.project', region: 'maptools.search.kind.region',
    building: 'maptools.search.kind.building', household: 'maptools.search.kind.household',
};

export class SearchBox {
    readonly el = el('div', 'om-search');
    readonly input = el('input', 'om-input om-search-input');
    private list = el('ul', 'om-search-list');
    private hits: SearchHit[] = [];
    private active = -1;
    private generation = 0;
    private timer = 0;

    constructor(private onPick: (hit: SearchHit) => void) {
        Object.assign(this.input, {type: 'search', spellcheck: false, autocomplete: 'off'});
        this.input.setAttribute('role', 'combobox');
        this.input.setAttribute('aria-expanded', 'false');
        this.input.setAttribute('aria-controls', 'om-search-list');
        this.list.id = 'om-search-list';
        this.list.setAttribute('role', 'listbox');
        this.list.hidden = true;
        this.el.append(this.input, this.list);
        this.input.addEventListener('input', () => {
            window.clearTimeout(this.timer);
            this.timer = window.setTimeout(() => void this.ask(), DEBOUNCE_MS);
        });
        this.input.addEventListener('keydown', e => this.key(e));
        this.input.addEventListener('focus', () => { if (this.hits.length) this.open(true); });
        document.addEventListener('pointerdown', e => { if (!this.el.contains(e.target as Node)) this.open(false); });
        const text = () => { this.input.placeholder = t('maptools.search.placeholder'); this.input.setAttribute('aria-label', t('maptools.search.placeholder')); };
        text();
        onLang(() => { text(); this.render(); });
    }

    private async ask(): Promise<void> {
        const text = this.input.value.trim();
        const generation = ++this.generation;
        if (!text) {
            this.show([], null);
            return;
        }
        try {
            const answer = await search(text);
            if (generation === this.generation) this.show(answer.hits, answer.hits.length ? null : t('maptools.search.none'));
        } catch (err) {
            if (generation === this.generation) this.show([], refusal(err));
        }
    }

    private message: string | null = null;

    private show(hits: SearchHit[], message: string | null): void {
        this.hits = hits;
        this.message = message;
        this.active = hits.length ? 0 : -1;
        this.render();
        this.open(hits.length > 0 || message !== null);
    }

    private open(open: boolean): void {
        this.list.hidden = !open;
        this.input.setAttribute('aria-expanded', String(open));
    }

    private render(): void {
        this.list.replaceChildren(...this.hits.map((hit, i) => {
            const li = el('li', 'om-search-hit');
            li.id = `om-search-hit-${i}`;
            li.setAttribute('role', 'option');
            li.setAttribute('aria-selected', String(i === this.active));
            li.dataset.kind = hit.kind;
            li.dataset.code = hit.code;
            li.append(el('span', 'om-search-kind', t(KIND[hit.kind])), el('span', 'om-search-label', hit.label),
                el('small', 'om-search-detail', hit.kind === 'project' || hit.kind === 'household' ? `${hit.code}${hit.detail ? ` · ${hit.detail}` : ''}` : hit.detail ?? ''));
            li.addEventListener('pointerdown', e => { e.preventDefault(); this.pick(i); });
            return li;
        }));
        if (this.message !== null) this.list.append(el('li', 'om-search-message', this.message));
        if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `om-search-hit-${this.active}`);
        else this.input.removeAttribute('aria-activedescendant');
    }

    private key(e: KeyboardEvent): void {
        const n = this.hits.length;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (!n) return;
            this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
            this.open(true);
            this.render();
            this.list.children[this.active]?.scrollIntoView({block: 'nearest'});
        } else if (e.key === 'Enter') {
            e.preventDefault();
            if (n) this.pick(Math.max(0, this.active));
        } else if (e.key === 'Escape') {
            this.open(false);
            this.input.blur();
        }
    }

    private pick(i: number): void {
        const hit = this.hits[i];
        if (!hit) return;
        this.active = i;
        this.render();
        this.open(false);
        this.onPick(hit);
    }
}
