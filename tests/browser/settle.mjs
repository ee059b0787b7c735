// Waiting until a MapLibre map of the page has drawn everything: shared by the tests that read or screenshot the map.

/**
 * Resolves once the map `window[name]` has drawn its view: one repaint is forced and its `idle`
 * awaited (every tile of the view loaded and drawn, nothing moving or fading), so the idle is one
 * that follows the caller's last change. The label points are recomputed from the loaded tiles at
 * that idle; when they changed, the label source is loading again (`loaded()` is false at once)
 * and a second repaint and its idle, once they are drawn, are awaited too. That second repaint
 * used to be forced always: at 1920×1080 in software rendering each frame costs a second or more, and most idles
 * change no label.
 */
export async function drawn(page, name = '__map') {
    await page.evaluate(n => new Promise(r => { window[n].once('idle', r); window[n].triggerRepaint(); }), name);
    await labelsDrawn(page, name);
}

/** After an `idle` the caller awaited: resolves at once, or at the next idle when that idle's label update made the map load again. */
export async function labelsDrawn(page, name = '__map') {
    await page.evaluate(n => {
        const map = window[n];
        return map.loaded() && !map.isMoving() ? null : new Promise(r => { map.once('idle', r); map.triggerRepaint(); });
    }, name);
}
