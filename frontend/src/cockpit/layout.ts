// The cockpit's frame around the full-screen map: header bar, left/right/bottom docks that fold away, and the map padding they leave.
import type {PaddingOptions} from 'maplibre-gl';
import {onLang, t, type MessageKey} from '../i18n';
import {el} from '../ui/dom';

export type Dock = 'left' | 'right' | 'bottom';

export type Layout = {
    header: HTMLElement;
    headerTools: HTMLElement;
    crumbSlot: HTMLElement;
    docks: Record<Dock, HTMLElement>;
    /** The part of the map the docks leave free, as fitBounds padding. */
    padding: () => PaddingOptions;
    onToggle: (f: () => void) => void;
};

const ARROWS: Record<Dock, [string, string]> = {left: ['‹', '›'], right: ['›', '‹'], bottom: ['⌄', '⌃']};
const NAMES = {left: 'cockpit.dock.left', right: 'cockpit.dock.right', bottom: 'cockpit.dock.bottom'} as const satisfies Record<Dock, MessageKey>;

export function buildLayout(): Layout {
    const header = el('header', 'om-top');
    const title = el('div', 'om-brand');
    const crumbSlot = el('div', 'om-crumb-slot');
    const headerTools = el('div', 'om-top-tools');
    const renderTitle = () => title.replaceChildren(t('common.onemap'), el('small', undefined, t('cockpit.data_cockpit')));
    renderTitle();
    onLang(renderTitle);
    header.append(title, crumbSlot, headerTools);
    document.body.append(header);

    const toggles: (() => void)[] = [];
    const docks = {} as Record<Dock, HTMLElement>;
    for (const side of ['left', 'right', 'bottom'] as const) {
        const dock = el('aside', `om-dock om-dock-${side}`);
        const inner = el('div', 'om-dock-inner');
        const button = el('button', 'om-dock-toggle');
        button.type = 'button';
        const label = () => {
            const closed = document.body.classList.contains(`om-${side}-closed`);
            button.textContent = closed ? `${ARROWS[side][1]} ${t(NAMES[side])}` : ARROWS[side][0];
            button.title = closed ? t('cockpit.show') : t('cockpit.hide');
            button.setAttribute('aria-expanded', String(!closed));
        };
        button.addEventListener('click', () => {
            document.body.classList.toggle(`om-${side}-closed`);
            label();
            toggles.forEach(f => f());
        });
        onLang(label);
        dock.append(button, inner);
        document.body.append(dock);
        docks[side] = inner;
        // Narrow screens start with the map: the docks fold away and open on demand.
        const narrow = side === 'left' ? window.innerWidth < 900 : window.innerWidth < 1280;
        document.body.classList.toggle(`om-${side}-closed`, narrow);
        label();
    }

    const padding = (): PaddingOptions => {
        const W = window.innerWidth, H = window.innerHeight;
        const open = (d: Dock) => !document.body.classList.contains(`om-${d}-closed`);
        const rect = (d: Dock) => docks[d].parentElement!.getBoundingClientRect();
        const p = {
            top: header.getBoundingClientRect().bottom + 24,
            left: open('left') ? rect('left').right + 24 : 40,
            right: open('right') ? W - rect('right').left + 24 : 40,
            bottom: open('bottom') ? H - rect('bottom').top + 24 : 40,
        };
        // Never leave less than a third of the screen for the selection.
        if (W - p.left - p.right < W / 3) p.left = p.right = W / 3;
        if (H - p.top - p.bottom < H / 3) p.top = p.bottom = H / 3;
        return p;
    };
    return {header, headerTools, crumbSlot, docks, padding, onToggle: f => toggles.push(f)};
}
