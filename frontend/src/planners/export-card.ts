// The export card: progress tables (by project, by the selected region) and the selected project's ledger and features.
import {exportUrls} from '../api/planners';
import type {ProjectRow} from '../api/types';
import type {Role} from '../auth/api';
import type {DrillView} from '../cockpit/drill';
import {onLang, tr} from '../i18n';
import {Card} from '../ui/card';
import {el} from '../ui/dom';

type Link = {key: string; href: string; file: string; zh: string; en: string};

function link(l: Link): HTMLElement {
    const a = el('a', 'om-link');
    a.href = l.href;
    a.download = l.file;
    a.dataset.export = l.key;
    a.textContent = tr(l.zh, l.en);
    const li = el('li');
    li.append(a, el('small', 'om-muted', ` ${l.file}`));
    return li;
}

export class ExportCard {
    readonly card = new Card('数据导出', 'Export', 'om-export');
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
        const all = el('ul', 'om-export-list');
        all.append(
            link({key: 'projects', href: exportUrls.projects(), file: 'projects.xlsx', zh: '各项目征拆进度', en: 'Progress by project'}),
            link({key: 'regions', href: exportUrls.regions(region?.code ?? null), file: 'regions.xlsx',
                zh: region ? `${region.name}及下级区划进度` : '各区划征拆进度', en: region ? `Progress in ${region.name} and below` : 'Progress by region'}),
        );
        const parts: HTMLElement[] = [all];
        if (project) {
            parts.push(el('h3', 'om-subhead', `${tr('项目', 'Project')} · ${project.name}`));
            const one = el('ul', 'om-export-list');
            one.append(
                link({key: 'ledger', href: exportUrls.ledger(project.code), file: `${project.code}-ledger.xlsx`, zh: '被征收户台账', en: 'Household ledger'}),
                link({key: 'parcels', href: exportUrls.parcels(project.code), file: `${project.code}-parcels.geojson`, zh: '地块 GeoJSON', en: 'Parcels, GeoJSON'}),
                link({key: 'buildings', href: exportUrls.buildings(project.code), file: `${project.code}-buildings.geojson`, zh: '房屋 GeoJSON', en: 'Buildings, GeoJSON'}),
                link({key: 'geopackage', href: exportUrls.geopackage(project.code), file: `${project.code}.gpkg`, zh: '地块和房屋 GeoPackage', en: 'Parcels and buildings, GeoPackage'}),
            );
            parts.push(one);
            // The server masks names and ID numbers for everyone but admins and the region's operators: say so before they download.
            if (this.role !== 'admin') parts.push(el('p', 'om-hint', tr('台账中的姓名和身份证号仅对管理员和本区划操作员显示，其他人看到的是脱敏数据',
                'Names and ID numbers in the ledger are shown to admins and the region\'s operators only; masked for others')));
        } else {
            parts.push(el('p', 'om-hint', tr('选择一个项目，可导出其台账和地块、房屋', 'Select a project to export its ledger, parcels and buildings')));
        }
        this.card.body.replaceChildren(...parts);
    }
}
