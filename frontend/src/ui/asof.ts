// The one "as of" day of a screen (null = live): the date picker, the time slider, every panel, the map and the URL follow it.

/** A day YYYY-MM-DD. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today in Beijing (UTC+8, no daylight saving), YYYY-MM-DD: the day the server reasons in. */
export function beijingToday(now = Date.now()): string {
    return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
    return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** `?as_of=` of the page URL when it names a past day; today or later is live. */
export function asOfFromUrl(search = location.search): string | null {
    const day = new URLSearchParams(search).get('as_of');
    return day && DAY.test(day) && day < beijingToday() ? day : null;
}

/** The page URL with `as_of` set (or removed for live), hash kept. */
export function urlWithAsOf(day: string | null, href = location.href): string {
    const url = new URL(href);
    if (day) url.searchParams.set('as_of', day);
    else url.searchParams.delete('as_of');
    return url.pathname + url.search + url.hash;
}

export type AsOfListener = (day: string | null) => void;

export class AsOf {
    private listeners: AsOfListener[] = [];

    constructor(private current: string | null = null) {}

    /** The past day shown, or null when live. */
    get day(): string | null {
        return this.current;
    }

    get live(): boolean {
        return this.current === null;
    }

    /** Shows `day` (today or later: live) everywhere, and keeps it in the URL. */
    set(day: string | null): void {
        const next = day && DAY.test(day) && day < beijingToday() ? day : null;
        if (next === this.current) return;
        this.current = next;
        history.replaceState(history.state, '', urlWithAsOf(next));
        for (const f of this.listeners) f(next);
    }

    onChange(f: AsOfListener): void {
        this.listeners.push(f);
    }
}
