// The work groups' endpoints (docs/groups.md) as typed fetchers: a project's groups with their figures, create/change/delete, assignment by codes, lasso or XLSX, and the group ranking.
import type {Polygon} from 'geojson';
import {getJson, q, sendJson, uploadFile, type Progress} from '../api/client';
import type {RankRow, Rankings} from '../api/types';

const enc = encodeURIComponent;

export type Person = {id: number; username: string};

/** One group of a project with what it holds (包干) and its figures now. */
export type WorkGroup = {
    id: number;
    name: string;
    leader: Person | null;
    members: Person[];
    households: number;
    buildings: number;
    surveyed: number;
    signed: number;
    vacated: number;
    demolished: number;
    sign_rate: number | null;
    open_cases: number;
};

export type ProjectGroups = {groups: WorkGroup[]; unassigned_households: number};

/** What an assignment did: households now held by the group, and from which groups they came. */
export type Assigned = {assigned: number; moved_from: {group_id: number; name: string; households: number}[]};

/** What an assignment takes: buildings or households by code, or every household inside a lasso. */
export type AssignTarget = {buildings: string[]} | {households: string[]} | {within: Polygon};

export type GroupEdit = {name?: string; leader_id?: number | null; member_ids?: number[]};

export type GroupRankRow = RankRow & {gain_surveyed: number};
export type GroupRankings = Omit<Rankings, 'level' | 'rows'> & {level: 'group'; rows: GroupRankRow[]};
export type Period = 'day' | 'week' | 'month';

export const fetchGroups = (project: string) => getJson<ProjectGroups>(`api/projects/${enc(project)}/groups`);
export const createGroup = (project: string, edit: GroupEdit & {name: string}) => sendJson<WorkGroup>('POST', `api/projects/${enc(project)}/groups`, edit);
export const changeGroup = (id: number, edit: GroupEdit) => sendJson<WorkGroup>('PATCH', `api/groups/${id}`, edit);
export const deleteGroup = (id: number) => sendJson<unknown>('DELETE', `api/groups/${id}`, {});
export const assignToGroup = (id: number, target: AssignTarget) => sendJson<Assigned>('POST', `api/groups/${id}/assign`, target);
export const unassign = (target: {buildings: string[]} | {households: string[]}) => sendJson<Assigned>('POST', 'api/groups/unassign', target);
/** 房屋编号 or 户编号 with 工作组 per row; all or nothing (a bad row: 422 naming the rows). */
export const importGroups = (project: string, file: File, onProgress?: Progress) =>
    uploadFile<Assigned>(`api/projects/${enc(project)}/groups/import`, file, onProgress);
export const groupsXlsxPath = (project: string) => `api/projects/${enc(project)}/groups.xlsx`;

/** The groups ranked by the period's signed gain: of one project, or every group the caller may read (within a region when given). */
export const fetchGroupRankings = (scope: {project?: string | null; region?: string | null; period?: Period; asOf?: string | null}) =>
    getJson<GroupRankings>(`api/rankings${q({level: 'group', project: scope.project, region: scope.region, period: scope.period, as_of: scope.asOf})}`);
