// The drill-down state: the selection (all → city → district → street → community → project), its breadcrumb path, list and extent.
import {refusal} from '../api/client';
import {fetchChildren, fetchFigures, fetchRegion} from '../api/cockpit';
import type {District} from '../api/districts';
import type {Bbox, Children, Level, ProjectRow, RegionRef} from '../api/types';

export type Selection =
    | {kind: 'root'}
    | {kind: 'region'; code: string; name: string; level: Level | null}
    | {kind: 'project'; id: number; name: string; regionCode: string | null};

export type DrillView = {
    selection: Selection;
    /** Breadcrumb regions, root first, ending with the selected region (for a project: its region). */
    path: RegionRef[];
    /** The rows to show: the region's children and projects (for a project: its region's). */
    children: Children | null;
    /** The level whose children are listed ('root' for the cities). */
    listLevel: Level | 'root';
    bbox: Bbox | null;
    /** Why the list or the path could not be loaded, if so. */
    error: string | null;
};

/** Codes of everything under a region start with this: a city's 4 digits (4307 of 430700), else the whole code. */
export const codePrefix = (code: string): string => (/^\d{4}00$/.test(code) ? code.slice(0, 4) : code);

const message = refusal;

export class Drill {
    private generation = 0;
    view: DrillView = {selection: {kind: 'root'}, path: [], children: null, listLevel: 'root', bbox: null, error: null};

    /**
     * @param top the cities and districts found in the tiles: the root list.
     * @param asOf the screen's past day (null: live): the lists' figures stand as of it.
     */
    constructor(private top: District[], private onChange: (v: DrillView) => void, private asOf: () => string | null = () => null) {}

    /** Loads the selection again (the day shown changed). */
    refresh(): void {
        const s = this.view.selection;
        if (s.kind === 'region') void this.region(s.code, s.name);
        else if (s.kind === 'project') void this.project(s.id);
    }

    /** The cities (from the tiles), as the list above every region. */
    root(): void {
        ++this.generation;
        const cities = this.top.filter(d => d.level === 'city');
        const bbox = cities.reduce<Bbox | null>((b, c) => (b
            ? [Math.min(b[0], c.bounds[0]), Math.min(b[1], c.bounds[1]), Math.max(b[2], c.bounds[2]), Math.max(b[3], c.bounds[3])]
            : [...c.bounds]), null);
        const children: Children = {
            region: {code: '', name: '', level: 'city', parent_code: null},
            children: cities.map(c => ({code: c.code, name: c.name, level: 'city', households: c.households, signed: c.signed, sign_rate: c.sign_rate, projects: c.projects})),
            projects: [],
        };
        this.emit({selection: {kind: 'root'}, path: [], children, listLevel: 'root', bbox, error: null});
    }

    async region(code: string, name = ''): Promise<void> {
        const generation = ++this.generation;
        const known = this.top.find(d => d.code === code);
        // Say what is selected at once; the rest follows.
        this.emit({
            selection: {kind: 'region', code, name: name || known?.name || code, level: known?.level ?? null},
            // Until the region's own path arrives: the known ancestors of the new region.
            path: this.view.path.filter(r => r.code !== code && code.startsWith(codePrefix(r.code))), children: null, listLevel: known?.level ?? 'street', bbox: known?.bounds ?? null, error: null,
        });
        const [info, children] = await Promise.allSettled([fetchRegion(code), fetchChildren(code, this.asOf())]);
        if (generation !== this.generation) return;
        const i = info.status === 'fulfilled' ? info.value : null;
        const c = children.status === 'fulfilled' ? children.value : null;
        const failure = [info, children].find((r): r is PromiseRejectedResult => r.status === 'rejected');
        this.emit({
            selection: {kind: 'region', code, name: i?.name ?? c?.region.name ?? (name || code), level: i?.level ?? c?.region.level ?? null},
            path: i?.path ?? [],
            children: c,
            listLevel: i?.level ?? c?.region.level ?? 'street',
            bbox: i?.bbox ?? known?.bounds ?? null,
            error: failure ? message(failure.reason) : null,
        });
    }

    /** A project: `row` (from a list) gives its name and extent at once; its region comes from its figures. */
    async project(id: number, row?: ProjectRow): Promise<void> {
        const generation = ++this.generation;
        const listed = row ?? this.view.children?.projects.find(p => p.id === id);
        const keep = this.view.children?.projects.some(p => p.id === id);
        this.emit({
            selection: {kind: 'project', id, name: listed?.name ?? `#${id}`, regionCode: null},
            path: this.view.path, children: keep ? this.view.children : null, listLevel: this.view.listLevel, bbox: listed?.bbox ?? null, error: null,
        });
        try {
            const doc = await fetchFigures({kind: 'project', id});
            const parent = doc.scope.parent_code;
            const [info, children] = parent ? await Promise.all([fetchRegion(parent), fetchChildren(parent, this.asOf())]) : [null, null];
            if (generation !== this.generation) return;
            const found = children?.projects.find(p => p.id === id);
            this.emit({
                selection: {kind: 'project', id, name: doc.scope.name, regionCode: parent},
                path: info?.path ?? [],
                children: children ?? this.view.children,
                listLevel: info?.level ?? this.view.listLevel,
                bbox: found?.bbox ?? listed?.bbox ?? null,
                error: null,
            });
        } catch (err) {
            if (generation === this.generation) this.emit({...this.view, error: message(err)});
        }
    }

    private emit(v: DrillView): void {
        this.view = v;
        this.onChange(v);
    }
}
