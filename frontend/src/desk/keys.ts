// Idempotency keys for payments: one random UUID per payment line of a form, so a resent form cannot pay twice.

/**
 * crypto.randomUUID() exists only on secure origins (https, localhost); a command centre's
 * intranet often serves plain http, where getRandomValues() still works: build the same v4 UUID from it.
 */
export function newKey(): string {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
