// The legend's section while the buildings are coloured by work group: each group of the shown project in its colour, and the grey of none (or several).
import {t} from '../i18n';
import {el} from '../ui/dom';
import {legendGroups} from './map-colour';
import {NO_GROUP_COLOR} from './palette';

export function groupLegendSection(): HTMLElement {
    const s = el('section', 'om-legend-section om-legend-groups');
    const h = el('h3', undefined, t('groups.legend.title'));
    h.append(el('small', undefined, t('groups.legend.note')));
    s.append(h);
    const {groups} = legendGroups();
    const row = (color: string, label: string, id: string) => {
        const item = el('div', 'om-legend-item');
        item.dataset.group = id;
        const swatch = el('span', 'om-swatch');
        swatch.style.background = color;
        swatch.style.opacity = '0.9';
        item.append(swatch, el('span', 'om-legend-label', label));
        return item;
    };
    if (!groups.length) s.append(el('p', 'om-legend-hint', t('groups.legend.choose_project')));
    for (const g of groups) s.append(row(g.color, g.name, String(g.id)));
    s.append(row(NO_GROUP_COLOR, t('groups.legend.none'), '0'));
    return s;
}
