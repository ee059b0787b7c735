// Puts the planners' tools on the cockpit map: the toolbox (layers, overlays, import for admins and operators, export) and file drops.
import './planners.css';
import type {Map as MlMap, PaddingOptions} from 'maplibre-gl';
import type {User} from '../auth/api';
import type {DrillView} from '../cockpit/drill';
import {ExportCard} from './export-card';
import {installDropZone} from './dropzone';
import {ImportCard} from './import-card';
import {LayersCard} from './layers-card';
import {OverlayCard} from './overlay-card';
import {Toolbox} from './toolbox';

export type Planners = {show: (v: DrillView) => void};

/** Call once the style has loaded (the layer switcher reads its layers). */
export function installPlanners(map: MlMap, user: User, padding: () => PaddingOptions): Planners {
    const toolbox = new Toolbox();
    const overlays = new OverlayCard(map, () => toolbox.clearOf(padding()));
    const exports = new ExportCard(user.role);
    // The server checks every import too; viewers are simply not offered one.
    const imports = user.role === 'admin' || user.role === 'operator' ? new ImportCard() : null;
    toolbox.add('layers', 'planners.tab.layers', new LayersCard(map).card);
    toolbox.add('overlays', 'planners.tab.overlays', overlays.card);
    if (imports) toolbox.add('import', 'planners.tab.import', imports.card);
    toolbox.add('export', 'planners.tab.export', exports.card);
    map.addControl(toolbox, 'top-left');
    // The whole page takes drops: a file let go over a dock must not make the browser open it instead.
    installDropZone(document.body, files => {
        // Open the card first so that progress and any error are in sight.
        toolbox.open('overlays');
        void overlays.add(files);
    });
    return {
        show: v => {
            exports.show(v);
            const rows = v.children?.projects ?? [];
            const s = v.selection;
            imports?.setProjects(rows, s.kind === 'project' ? rows.find(p => p.id === s.id) ?? null : null);
        },
    };
}
