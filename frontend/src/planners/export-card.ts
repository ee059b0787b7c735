// The export card: progress tables (by project and by region, of the selected region, as of the day the screen shows), the region's weekly report (PDF) and the selected project's ledger and features.
import {exportUrls} from '../api/planners';
import type {ProjectRow} from '../api/types';
import type {Role} from '../auth/api';
import type {DrillView} from '../cockpit/drill';
import {onLang, t, type MessageKey, type Value} from '../i18n';
import {asOfFromUrl} from '../ui/asof';
import {Card} from '../ui/card';
import {el} from '../ui/dom';

type Link = {key: string; href: string; file: string; label: MessageKey; values?: Record<string, Value>};

function link(l: Link): HTMLElement {
    const a = el('a', 'om-link');
    a.href = l.href;
    a.download = l.file;
    a.dataset.export = l.key;
    a.textContent = t(l.label, l.values);
    const li = el('li');
    li.append(a, el('small', 'om-muted', ` ${l.file}`));
    return li;
}

export class ExportCard {
    readonly card = new Card('card.export', 'om-export');
    private view: DrillView | null = null;

    constructor(private role: Role) {
        onLang(() => this.render());
        this.render();
    }

    get el(): HTMLElement {
        return this.card.el;
    }

    show(v: DrillView): void {
        this.view = v;
        this.render();
    }

    private render(): void {
        const s = this.view?.selection;
        // A project's progress table is that of the region it lies in, as the breadcrumb shows.
        const region = s?.kind === 'region' ? {code: s.code, name: s.name}
            : s?.kind === 'project' && s.regionCode ? {code: s.regionCode, name: this.view?.path.find(r => r.code === s.regionCode)?.name ?? s.regionCode} : null;
        const project: ProjectRow | undefined = s?.kind === 'project' ? this.view?.children?.projects.find(p => p.id === s.id) : undefined;
        // the screen's one time, kept in the URL: tables of a past day are named after it
        const day = asOfFromUrl();
        const dated = (name: string) => (day ? `${name}-${day}.xlsx` : `${name}.xlsx`);
        const all = el('ul', 'om-export-list');
        all.append(
            link({key: 'projects', href: exportUrls.projects(region?.code ?? null, day), file: dated('projects'),
                label: region ? 'export.projects_in' : 'export.projects', values: {region: region?.name ?? ''}}),
            link({key: 'regions', href: exportUrls.regions(region?.code ?? null, day), file: dated('regions'),
                label: region ? 'export.regions_in' : 'export.regions_all', values: {region: region?.name ?? ''}}),
        );
        if (region) {
            all.append(link({key: 'weekly', href: exportUrls.weekly(region.code), file: `${region.code}-weekly.pdf`, label: 'export.weekly',
                values: {region: region.name}}));
        }
        const parts: HTMLElement[] = [all];
        if (project) {
            parts.push(el('h3', 'om-subhead', `${t('planners.project')} · ${project.name}`));
            const one = el('ul', 'om-export-list');
            one.append(
                link({key: 'ledger', href: exportUrls.ledger(project.code, day), file: dated(`${project.code}-ledger`), label: 'export.ledger'}),
                link({key: 'parcels', href: exportUrls.parcels(project.code), file: `${project.code}-parcels.geojson`, label: 'export.parcels'}),
                link({key: 'buildings', href: exportUrls.buildings(project.code), file: `${project.code}-buildings.geojson`, label: 'export.buildings'}),
                link({key: 'geopackage', href: exportUrls.geopackage(project.code), file: `${project.code}.gpkg`, label: 'export.geopackage'}),
            );
            parts.push(one);
            // The server masks names and ID numbers for everyone but admins and the region's operators: say so before they download.
            if (this.role !== 'admin') parts.push(el('p', 'om-hint', t('planners.export_masked_note')));
        } else {
            parts.push(el('p', 'om-hint', t('planners.export_pick_project')));
        }
        this.card.body.replaceChildren(...parts);
    }
}
