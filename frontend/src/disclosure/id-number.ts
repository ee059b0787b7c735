// Checks a resident ID number (GB 11643) before it is sent: 18 characters, the last one the ISO 7064 MOD 11-2 check character.
import {zhText} from '../i18n';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = '10X98765432';

/** The number as the server wants it: no spaces, a final x upper-cased. */
export const normaliseId = (raw: string): string => raw.replace(/\s+/g, '').toUpperCase();

/** Null when `id` (normalised) is well formed; else what to tell the resident, in Chinese. */
export function idProblem(id: string): string | null {
    if (id.length !== 18) return zhText('public.id.length', {length: id.length});
    if (!/^\d{17}[\dX]$/.test(id)) return zhText('public.id.digits');
    const sum = [...id.slice(0, 17)].reduce((s, c, i) => s + Number(c) * WEIGHTS[i], 0);
    // A typo almost always breaks the check character: say so before a look-up is spent on it.
    if (CHECKS[sum % 11] !== id[17]) return zhText('public.id.check');
    return null;
}
