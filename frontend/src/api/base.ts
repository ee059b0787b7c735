// Where the app's root is from any of its pages (/, /wall/, /m/): API, tile and feed URLs resolve against it.

/**
 * Each page names its way back to the root in `<meta name="onemap-root" content="../">` (the
 * cockpit: "./"), so the app keeps working behind a path prefix and from sub-pages alike.
 */
export function appUrl(path: string): string {
    const root = document.querySelector<HTMLMetaElement>('meta[name="onemap-root"]')?.content || './';
    return new URL(path, new URL(root, location.href)).href;
}
