// The planners' endpoints (docs/planners.md): overlay a file, import survey data and follow it, export URLs.
import type {FeatureCollection} from 'geojson';
import {appUrl, getJson, q, uploadFile, type ErrorValues, type Progress} from './client';
import type {Bbox} from './types';

/** POST /api/overlay's answer: the file's features in WGS84 plus what the server read. */
export type OverlayDoc = FeatureCollection & {name: string; sourceCrs: string | null; bbox: Bbox | null; layers: string[]};

export type ImportTarget = 'buildings' | 'parcels' | 'households';
export type InvalidGeometry = 'repair' | 'reject';
export type ImportState = 'reading' | 'checking' | 'writing' | 'done' | 'failed';

/** A repaired or rejected row of the import file. */
/** A row's issue: `problem` in English for API users, `code` and `values` for the page's sentence (docs/errors.md). */
export type ImportRow = {row: number; id: string | number | null; problem: string; action?: string; code?: string; values?: ErrorValues};
export type ImportReport = {
    inserted: number;
    updated: number;
    unchanged: number;
    repaired: ImportRow[];
    rejected: ImportRow[];
    /** Plausibility findings that did not stop their rows (written). */
    warnings?: ImportRow[];
    /** True when the rows that passed were written without the rejected ones. */
    accept_valid?: boolean;
    /** How many rows a written `accept_valid` import left out (the rejected rows). */
    left_out?: number;
    /** Rows read from the file, and the CRS they were read in. */
    read?: number;
    crs?: string;
    /** False when any row was rejected (unless `accept_valid`): then nothing was written. */
    written?: boolean;
};
export type ImportJob = {
    id: string;
    target: ImportTarget;
    file: string;
    state: ImportState;
    done: number;
    total: number;
    report: ImportReport | null;
    /** Why a failed import failed, as an error answer says it (docs/errors.md). */
    error: {code: string; values: ErrorValues; message: string} | null;
};

/** `acceptValid`: write the rows that pass and return the rejected ones as a file (default all or nothing). */
export type ImportOptions = {target: ImportTarget; project: string; invalid: InvalidGeometry; crs: string; acceptValid: boolean};

const enc = encodeURIComponent;

/** Reads a GeoJSON, zipped Shapefile, GeoPackage or DXF file on the server (nothing is stored); `crs` when the file names none. */
export const overlayFile = (file: File, crs: string, onProgress?: Progress) =>
    uploadFile<OverlayDoc>(`api/overlay${q({crs: crs.trim()})}`, file, onProgress);

/** Starts an import; the server answers at once with the job id (202) and works on in the background. */
export const startImport = (file: File, o: ImportOptions, onProgress?: Progress) =>
    uploadFile<{id: string}>(`api/imports${q({target: o.target, project: o.project.trim(), invalid: o.invalid, crs: o.crs.trim(), accept_valid: o.acceptValid ? 'true' : null})}`, file, onProgress);

export const fetchImport = (id: string) => getJson<ImportJob>(`api/imports/${enc(id)}`);

/** A finished import's rejected rows as a file to correct and import again (GeoJSON) or to read (XLSX), each with its reason. */
export const rejectedRowsUrl = (id: string, kind: 'geojson' | 'xlsx') => appUrl(`api/imports/${enc(id)}/rejected.${kind}`);

export const householdTemplateUrl = () => appUrl('api/imports/template/households.xlsx');

/**
 * Download links: progress by project and by region (of a region's subtree when given), a
 * region's weekly report, and one project's ledger and features; the tables as of a past day
 * when given (null: now).
 */
export const exportUrls = {
    projects: (region: string | null = null, asOf: string | null = null) => appUrl(`api/exports/projects.xlsx${q({region, as_of: asOf})}`),
    regions: (region: string | null, asOf: string | null = null) => appUrl(`api/exports/regions.xlsx${q({region, as_of: asOf})}`),
    // 一周一通报: the last complete week's printable report of a region (the server's default week).
    weekly: (region: string) => appUrl(`api/reports/weekly/${enc(region)}.pdf`),
    ledger: (code: string, asOf: string | null = null) => appUrl(`api/exports/projects/${enc(code)}/ledger.xlsx${q({as_of: asOf})}`),
    // One file per layer: parcel and building ids would collide in one collection.
    parcels: (code: string) => appUrl(`api/exports/projects/${enc(code)}/parcels.geojson`),
    buildings: (code: string) => appUrl(`api/exports/projects/${enc(code)}/buildings.geojson`),
    // Both layers in one file: a GeoPackage keeps them apart.
    geopackage: (code: string) => appUrl(`api/exports/projects/${enc(code)}/features.gpkg`),
};
