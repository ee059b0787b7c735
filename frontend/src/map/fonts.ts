// The label font shipped with the app (Noto Sans SC, sliced by Unicode range), declared to MapLibre through the style's `font-faces`.
import type {FontFacesSpecification} from 'maplibre-gl';
import unicodeRanges from '@fontsource-variable/noto-sans-sc/unicode.json';

/*
 * Why `font-faces` and not a CSS @font-face + document.fonts.load(): the font comes as ~100
 * woff2 slices split by unicode-range (Google's CJK slicing), so a CSS face only loads the slices
 * of the characters someone asked for, and MapLibre's TinySDF draws a glyph once and caches it:
 * a label whose slice was not loaded yet would be cached in a fallback font (or as tofu on a
 * machine without CJK fonts). With `font-faces` (MapLibre ≥ 6.x), the glyph manager itself picks
 * the slice covering each code point, downloads it and awaits it before drawing, so only the
 * slices the visible labels need are fetched, from our own origin, and never a fallback.
 */

/** The name layers use in `text-font`; only meaningful through `font-faces` below. */
export const LABEL_FONT = 'Noto Sans SC';

/** Vite copies every slice into dist/static/ and gives us its URL (hashed file name). */
const sliceUrls = import.meta.glob<string>(
    '../../node_modules/@fontsource-variable/noto-sans-sc/files/*.woff2',
    {query: '?url', import: 'default', eager: true},
);

/** "[12]" → "12", "latin" → "latin": the subset name as it appears in the file names. */
function fileKey(subset: string): string {
    return subset.replace(/^\[(\d+)\]$/, '$1');
}

export function labelFontFaces(): FontFacesSpecification {
    const byKey = new Map<string, string>();
    for (const [path, url] of Object.entries(sliceUrls)) {
        const m = /noto-sans-sc-(.+)-wght-normal\.woff2$/.exec(path);
        if (m) byKey.set(m[1], url);
    }
    const faces = [];
    // Latin first: it is the slice every label with a digit or a Latin letter needs.
    const subsets = Object.keys(unicodeRanges)
        .sort((a, b) => Number(b === 'latin') - Number(a === 'latin'));
    for (const subset of subsets) {
        const url = byKey.get(fileKey(subset));
        if (!url) continue;
        const ranges = (unicodeRanges as Record<string, string>)[subset].split(',').map(r => r.trim());
        faces.push({url: new URL(url, location.href).href, 'unicode-range': ranges});
    }
    return {[LABEL_FONT]: faces};
}
