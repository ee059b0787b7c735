// Finding a building the live test can change and watch: drawn clear of panels and labels, its households all at its status.
import {decodePng, hexToRgb, meanRgb, rgbDistance} from './png.mjs';
import {authed} from './session.mjs';

export const STATUSES = ['pending', 'surveyed', 'signed', 'vacated', 'demolished'];
// As frontend/src/map/palette.ts BUILDING_STATUS.
export const COLOR = {pending: '#D55E00', surveyed: '#E69F00', signed: '#F0E442', vacated: '#56B4E9', demolished: '#0072B2'};
export const STATUS_ZH = {pending: '未调查', surveyed: '已丈量登记', signed: '已签约', vacated: '已腾空交房', demolished: '已拆除'};
/** How far (RGB) a drawn building may be from its palette colour: fill opacity 0.9 over a light background. */
export const TOLERANCE = 60;

/** The status whose palette colour is nearest to the mean colour of a 5×5 box at (x, y), and how near. */
export async function statusAt(page, x, y) {
    const png = await page.screenshot({clip: {x: x - 2, y: y - 2, width: 5, height: 5}});
    const rgb = meanRgb(decodePng(png));
    const [status, distance] = Object.entries(COLOR)
        .map(([s, hex]) => [s, rgbDistance(rgb, hexToRgb(hex))])
        .sort((a, b) => a[1] - b[1])[0];
    return {status, distance, rgb};
}

/** Drawn buildings whose centroid hits only themselves, away from the panels and from any label, nearest the centre first. */
export function drawnBuildings(page) {
    return page.evaluate(() => {
        const map = window.__map;
        const rect = map.getCanvas().getBoundingClientRect();
        const {width, height} = rect;
        // Drawn where nothing covers the map (the cockpit's docks float over it).
        const open = (x, y) => document.elementFromPoint(rect.left + x, rect.top + y) === map.getCanvas();
        const labels = map.getStyle().layers.filter(l => l.type === 'symbol').map(l => l.id);
        const out = [];
        for (const f of map.queryRenderedFeatures({layers: ['buildings-fill']})) {
            const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
            const pts = ring.slice(0, -1).map(c => map.project(c));
            const x = pts.reduce((s, p) => s + p.x, 0) / pts.length;
            const y = pts.reduce((s, p) => s + p.y, 0) / pts.length;
            if (x < 40 || x > width - 40 || y < 40 || y > height - 40) continue;
            if (![[0, 0], [-12, -12], [12, 12], [-12, 12], [12, -12]].every(([dx, dy]) => open(x + dx, y + dy))) continue;
            const hits = map.queryRenderedFeatures([x, y], {layers: ['buildings-fill', 'buildings-line']});
            if (hits[0]?.id !== f.id || hits.some(t => t.id !== f.id)) continue;
            if (map.queryRenderedFeatures([[x - 8, y - 8], [x + 8, y + 8]], {layers: labels}).length > 0) continue;
            if (out.some(c => c.id === f.id)) continue;
            const d = Math.hypot(x - width / 2, y - height / 2);
            out.push({id: f.id, x: Math.round(x), y: Math.round(y), status: f.properties.status, d});
        }
        return out.sort((a, b) => a.d - b.d);
    });
}

/**
 * The first candidate not yet demolished whose households are all at the building's status (so
 * one write moves it one step) and that is drawn in that status now; with its version and next status.
 */
export async function pickTarget(page, base, session, candidates, skip = []) {
    for (const c of candidates.filter(x => !skip.includes(x.id)).slice(0, 25)) {
        const b = await authed(base, session, `/api/buildings/${c.id}`);
        if (b.status !== 200) throw new Error(`GET /api/buildings/${c.id}: ${b.status} ${JSON.stringify(b.body)}`);
        const {status, version, households} = b.body;
        if (status === 'demolished' || !households?.length || households.some(h => h.status !== status)) continue;
        const seen = await statusAt(page, c.x, c.y);
        if (seen.status !== status || seen.distance > TOLERANCE) continue;
        return {...c, status, version, next: STATUSES[STATUSES.indexOf(status) + 1]};
    }
    return null;
}

/** POST /api/status moving `target` to its next status; throws unless the server took it. */
export async function writeNext(base, session, target, reason) {
    const change = {subject: 'building', id: target.id, to: target.next, version: target.version, reason};
    const res = await authed(base, session, '/api/status', {method: 'POST', json: {changes: [change]}});
    if (res.status !== 200 || res.body.results?.[0]?.status !== target.next) {
        throw new Error(`POST /api/status ${JSON.stringify(change)}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
}

/** Polls the pixels at `target` until they show `status`; resolves with the ms taken, rejects after `deadlineMs` from `t0`. */
export async function waitForColour(page, target, status, t0, deadlineMs) {
    for (;;) {
        const seen = await statusAt(page, target.x, target.y);
        if (seen.status === status && seen.distance <= TOLERANCE) return Date.now() - t0;
        if (Date.now() - t0 > deadlineMs) {
            throw new Error(`building ${target.id} still looks ${seen.status} (rgb ${seen.rgb}) ${Date.now() - t0} ms after writing ${status}`);
        }
        await new Promise(r => setTimeout(r, 30));
    }
}
