// The household file's status section on the desk: the state and its last change, one step forward or 退回 with a reason, through the status work the map and the phone share.
import {refusal} from '../api/client';
import type {User} from '../auth/api';
import {zhText} from '../i18n';
import {fetchBuildingOf, type HouseholdState} from '../status/api';
import {StatusWork} from '../status/view';
import {el, errorLine} from '../ui/dom';

/** The section for household `id`; `onWritten` hears its new state after each write. */
export function householdStatusSection(user: User, id: number, onWritten: (h: HouseholdState) => void): HTMLElement {
    const section = el('section', 'dk-section dk-status');
    const work = new StatusWork({user, tr: zhText, only: [id], onWritten: hs => { if (hs[0]) onWritten(hs[0]); }});
    section.append(el('h3', undefined, zhText('desk.file.status_work')), work.el);
    fetchBuildingOf(id)
        .then(b => work.show([b], [id]))
        .catch(err => section.append(errorLine(zhText('desk.file.status_failed', {reason: refusal(err)}))));
    return section;
}
