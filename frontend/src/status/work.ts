// One status write for one household, the same on the map, the desk and the phone: a step forward or a send-back (退回), and on a 409 what the household is now, for a retry at the new version.
import {ApiError, refusal} from '../api/client';
import {fetchBuildingOf, writeSendBack, writeStep, type HouseholdState, type HouseholdStatus} from './api';
import {nextStatus} from './steps';

export type Action = {kind: 'forward'} | {kind: 'back'; reason: string};

export type Outcome =
    /** Written: the household's new status and version. */
    | {kind: 'done'; household: HouseholdState; to: HouseholdStatus; version: number}
    /** Someone else moved it since it was read: what it was, what it is now (who, when). */
    | {kind: 'stale'; household: HouseholdState; now: HouseholdState}
    /** Refused for another reason (a rule, the region, the network), in the person's words. */
    | {kind: 'failed'; household: HouseholdState; message: string};

/** Where `action` takes `h`, or null when it cannot (the end of the ladder, nothing to send back). */
export function targetOf(h: HouseholdState, action: Action): HouseholdStatus | null {
    if (action.kind === 'forward') return nextStatus(h.status);
    return h.last_event && h.last_event.to === h.status ? h.last_event.from : null;
}

/** The household as the server has it now; null when it cannot be read. */
async function reread(id: number): Promise<HouseholdState | null> {
    const building = await fetchBuildingOf(id).catch(() => null);
    return building?.households?.find(x => x.id === id) ?? null;
}

/** Applies `action` to `h` at the version `h` carries; never throws. */
export async function perform(h: HouseholdState, action: Action): Promise<Outcome> {
    const to = targetOf(h, action);
    // The screens offer only possible moves; '' lets them say "nothing to do" in their language.
    if (!to || (action.kind === 'back' && !h.last_event)) return {kind: 'failed', household: h, message: ''};
    try {
        const result = action.kind === 'forward' ? await writeStep(h, to) : await writeSendBack(h.last_event!.id, action.reason);
        return {kind: 'done', household: h, to: result.status, version: result.version};
    } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
            // A 409 is also a rule (a household demolished before its building is vacated):
            // only a new version or a new last event means it moved under the writer.
            const now = await reread(h.id);
            if (now && (now.version !== h.version || now.last_event?.id !== h.last_event?.id)) return {kind: 'stale', household: h, now};
        }
        return {kind: 'failed', household: h, message: refusal(err)};
    }
}
