// The cockpit map tools' endpoints: GET /api/search and POST /api/within(.xlsx) (docs/planners.md, "Map tools").
import type {Polygon} from 'geojson';
import {getJson, q, sendForBlob, sendJson} from './client';
import type {Bbox} from './types';

export type HitKind = 'project' | 'region' | 'building' | 'household';
export type SearchHit = {
    kind: HitKind;
    id: number;
    code: string;
    /** A project's or region's name, a building's code, a household's holder. */
    label: string;
    /** Where it is: a project's region, a region's level, a building's project, a household's building. */
    detail: string | null;
    building_id: number | null;
    rank: number;
    center: [number, number];
    bbox: Bbox;
};
export type SearchAnswer = {q: string; limit: number; households: boolean; hits: SearchHit[]};

export const search = (text: string, limit = 10): Promise<SearchAnswer> => getJson(`api/search${q({q: text, limit})}`);

export type StatusCounts = Record<string, number>;
export type WithinBuilding = {id: number; code: string; project_code: string; project_name: string; status: string; households: number; floor_area: number; use: string};
export type WithinAnswer = {
    area_m2: number;
    buildings: {total: number; floor_area_m2: number; by_status: StatusCounts};
    households: {total: number; difficult: number; by_status: StatusCounts};
    parcels: {total: number; area_inside_m2: number};
    projects: {id: number; code: string; name: string; buildings: number}[];
    list: WithinBuilding[];
    list_limit: number;
};

export const within = (polygon: Polygon): Promise<WithinAnswer> => sendJson('POST', 'api/within', polygon);
export const withinXlsx = (polygon: Polygon): Promise<Blob> => sendForBlob('api/within.xlsx', polygon);
