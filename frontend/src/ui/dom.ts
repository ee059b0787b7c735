// Tiny DOM helpers shared by the panels: create an element with a class and text, and an inline error line.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
}

/** The small red line a panel shows instead of its content when its API call failed. */
export function errorLine(message: string): HTMLElement {
    const p = el('p', 'om-error', message);
    p.setAttribute('role', 'status');
    return p;
}

/** A horizontal bar 0..1 (sign rate in a row); null draws an empty track. */
export function rateBar(rate: number | null): HTMLElement {
    const track = el('span', 'om-bar');
    const fill = el('span', 'om-bar-fill');
    fill.style.width = `${Math.max(0, Math.min(1, rate ?? 0)) * 100}%`;
    track.append(fill);
    return track;
}

/** Text whose dates ("2027-07-18", "11-20 17:59") never break across lines: each date in a no-wrap span. */
export function keepDatesWhole(text: string): (string | HTMLElement)[] {
    // split() with a capturing group puts the dates at the odd places
    return text.split(/(\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?|\d{2}-\d{2} \d{2}:\d{2})/)
        .map((part, i) => (i % 2 === 1 ? el('span', 'om-nowrap', part) : part)).filter(part => part !== '');
}
