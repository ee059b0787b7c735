// The household ladder as the screens offer it: who may write, the next step and its verb (签约, 腾空, 拆除…), and when a change may be sent back.
import type {User} from '../auth/api';
import type {MessageKey} from '../i18n';
import type {HouseholdState, HouseholdStatus} from './api';

export const LADDER: readonly HouseholdStatus[] = ['pending', 'surveyed', 'signed', 'vacated', 'demolished'];

/** Admins anywhere, operators in their region (the server checks the region); viewers, planners and kiosks read only. */
export const mayWrite = (user: Pick<User, 'role'>): boolean => user.role === 'admin' || user.role === 'operator';

/** The status one step on, or null at the end of the ladder. */
export function nextStatus(s: HouseholdStatus): HouseholdStatus | null {
    const i = LADDER.indexOf(s);
    return i >= 0 && i < LADDER.length - 1 ? LADDER[i + 1] : null;
}

/** The state's name, as the legend says it: 已签约. */
export const statusKey = (s: HouseholdStatus): MessageKey => `category.building_status.${s}`;
/** The step's verb, as a button says it: 签约. */
export const stepKey = (to: HouseholdStatus): MessageKey => `status.step.${to as Exclude<HouseholdStatus, 'pending'>}`;

/**
 * A change may be sent back by an admin when the household's last event moved it forward and it
 * still stands there (a send-back reverses exactly that event; the server checks again).
 */
export function maySendBack(user: Pick<User, 'role'>, h: HouseholdState): boolean {
    const e = h.last_event;
    return user.role === 'admin' && !!e && e.to === h.status && LADDER.indexOf(e.to) > LADDER.indexOf(e.from);
}
