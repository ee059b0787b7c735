// Lays a status event's fresh counts (households, signed, sign rate) over a figures document of the same scope.
import type {FiguresDoc} from '../api/types';
import type {Figures, StatusEvent} from '../live/types';

/** The event's figures for the document's scope, if the event touched it. */
export function liveFiguresFor(doc: FiguresDoc, ev: StatusEvent): Figures | null {
    const s = doc.scope;
    if (s.kind === 'project') {
        const p = ev.figures?.project;
        return p && s.id !== null && p.id === s.id ? p : null;
    }
    return ev.figures?.regions?.find(r => r.code === s.code) ?? null;
}

/**
 * Updates the document in place; true when something changed. The other figures (rates over
 * floor area, land, pace) are not in the event: the caller reloads them a moment later.
 */
export function patchFigures(doc: FiguresDoc, ev: StatusEvent): boolean {
    if (doc.as_of) return false; // a past day does not change
    const live = liveFiguresFor(doc, ev);
    if (!live) return false;
    let changed = false;
    const set = (key: string, value: number | null) => {
        const f = doc.figures.find(x => x.key === key);
        if (f && f.value !== value) {
            f.value = value;
            changed = true;
        }
    };
    set('households', live.households);
    set('signed', live.signed);
    set('sign_rate', live.sign_rate);
    return changed;
}
