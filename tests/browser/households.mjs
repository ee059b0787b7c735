// A household the cockpit tests can move back and forth (surveyed ⇄ signed) through the API, so signed counts change by one each time.
import {authed} from './session.mjs';

const Z = 17;
const tileX = (lon, z) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat, z) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** Building ids of project `project` (with its bbox) from the z17 GeoJSON tiles over the bbox (GeoJSON buildings start at z17). */
async function buildingsOf(base, session, project) {
    const [w, s, e, n] = project.bbox;
    const ids = new Set();
    for (let x = tileX(w, Z); x <= tileX(e, Z); x++) {
        for (let y = tileY(n, Z); y <= tileY(s, Z); y++) {
            const t = await authed(base, session, `/tiles/buildings/${Z}/${x}/${y}.geojson`);
            if (t.status !== 200) continue;
            for (const f of t.body.features ?? []) if (Number(f.properties?.project_id) === project.id) ids.add(Number(f.id));
        }
    }
    return [...ids];
}

/**
 * A household of one of `projects` (tried in order) that is surveyed or signed: {id, status,
 * version, building, project}. Surveyed ones first, so the first move goes forward.
 */
export async function findToggleHousehold(base, session, projects) {
    for (const project of projects) {
        if (!project.bbox) continue;
        let signedOne = null;
        for (const id of (await buildingsOf(base, session, project)).slice(0, 60)) {
            const b = await authed(base, session, `/api/buildings/${id}`);
            for (const h of b.body.households ?? []) {
                if (h.status === 'surveyed') return {id: h.id, status: h.status, version: h.version, building: id, project};
                if (h.status === 'signed') signedOne ??= {id: h.id, status: h.status, version: h.version, building: id, project};
            }
        }
        if (signedOne) return signedOne;
    }
    return null;
}

/** Moves the household surveyed → signed, or back signed → surveyed (admin, with a reason); returns the new status. */
export async function toggle(base, admin, h, reason = '浏览器测试往返 browser test round trip') {
    const to = h.status === 'surveyed' ? 'signed' : 'surveyed';
    const change = {subject: 'household', id: h.id, to, version: h.version, reason};
    const res = await authed(base, admin, '/api/status', {method: 'POST', json: {changes: [change]}});
    const r = res.body?.results?.[0];
    if (res.status !== 200 || r?.status !== to) throw new Error(`POST /api/status ${JSON.stringify(change)}: ${res.status} ${JSON.stringify(res.body)}`);
    h.status = r.status;
    h.version = r.version;
    return to;
}

/** Reads the household's status and version again (after a refused write). */
export async function refresh(base, session, h) {
    const b = await authed(base, session, `/api/buildings/${h.building}`);
    const now = b.body?.households?.find(x => x.id === h.id);
    if (now) Object.assign(h, {status: now.status, version: now.version});
}
