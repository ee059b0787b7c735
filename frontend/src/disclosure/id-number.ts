// Checks a resident ID number (GB 11643) before it is sent: 18 characters, the last one the ISO 7064 MOD 11-2 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = '10X98765432';

/** The number as the server wants it: no spaces, a final x upper-cased. */
export const normaliseId = (raw: string): string => raw.replace(/\s+/g, '').toUpperCase();

/** Null when `id` (normalised) is well formed; else what to tell the resident, in Chinese. */
export function idProblem(id: string): string | null {
    if (id.length !== 18) return `身份证号应为 18 位，现为 ${id.length} 位`;
    if (!/^\d{17}[\dX]$/.test(id)) return '身份证号前 17 位应为数字，最后一位为数字或 X';
    const sum = [...id.slice(0, 17)].reduce((s, c, i) => s + Number(c) * WEIGHTS[i], 0);
    // A typo almost always breaks the check character: say so before a look-up is spent on it.
    if (CHECKS[sum % 11] !== id[17]) return '身份证号校验位不符，请核对是否输错';
    return null;
}
