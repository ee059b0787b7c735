// The housing API (docs/housing.md): estates with their counts, an estate's 楼盘表 (public: statuses only; staff: with holders), unit status changes, the figures.
import {appUrl, getJson, q, sendJson, uploadFile} from '../api/client';

const enc = encodeURIComponent;

export type UnitStatus = 'available' | 'reserved' | 'selected' | 'contracted' | 'delivered';
/** In the order a unit goes through them: the legend's order. */
export const STATUSES: UnitStatus[] = ['available', 'reserved', 'selected', 'contracted', 'delivered'];

export type UnitType = {code: string; name: string; area: number; floor_plan: boolean};

export type EstateSummary = {
    code: string; name: string; region_code: string; region_name: string; address: string | null; delivery_planned: string | null;
    buildings: number; units: number; counts: Partial<Record<UnitStatus, number>> | null; types: UnitType[] | null;
    centre: [number, number]; bbox: [number, number, number, number];
};

/** A unit as the grid sends it, fields in `unit_fields` order: id, 单元, 层, 室, 套型, area, status, 安置价, 朝向. */
export type UnitRow = [number, number, number, string, string, number, UnitStatus, number, string | null];
export type GridBuilding = {id: number; code: string; floors: number; units: UnitRow[] | null};
export type Holder = {household: string; name: string; project: string};
export type EstateGrid = {
    code: string; name: string; region_code: string; region_name: string; address: string | null; delivery_planned: string | null;
    types: UnitType[]; buildings: GridBuilding[];
    /** Staff who may see household files only: unit id → its household. */
    holders?: Record<string, Holder>;
};

/** A unit status event as the feed sends it (SSE `unit`); `household` only to staff. */
export type UnitEvent = {
    unit_event_id: number; at: string; unit_id: number; estate_code: string; building: string; entrance: number; floor: number; room: string;
    type: string; from: UnitStatus | null; to: UnitStatus; household?: {code: string; name: string};
};

/** A 套型's floor plan image, for anyone (no personal data in it). */
export const floorPlanUrl = (estate: string, type: string) => appUrl(`api/public/estates/${enc(estate)}/types/${enc(type)}/floor-plan`);
export const uploadFloorPlan = (estate: string, type: string, file: File) =>
    uploadFile<UnitType>(`api/housing/estates/${enc(estate)}/types/${enc(type)}/floor-plan`, file);

/** An estate added or redrawn: its code and area (docs/housing.md). */
export type EstateWritten = {code: string; area_m2: number};
export type NewEstate = {code: string; name: string; region: string; address: string | null; delivery_planned: string | null; outline: unknown};
export const createEstate = (estate: NewEstate) => sendJson<EstateWritten>('POST', 'api/housing/estates', estate);
export const redrawEstate = (code: string, outline: unknown) => sendJson<EstateWritten>('PUT', `api/housing/estates/${enc(code)}/outline`, {outline});
/** The inventory import's answer: written or not, with every rejected row (row, column, problem). */
export type InventoryReport = {
    file: string; read: number; written: boolean; accept_valid: boolean; inserted: number; updated: number;
    rejected: {row: number; id: string | null; problem: string; code: string; values: Record<string, string | number>}[];
};
export const importInventory = (code: string, file: File, acceptValid: boolean) =>
    uploadFile<InventoryReport>(`api/housing/estates/${enc(code)}/inventory?accept_valid=${acceptValid}`, file);
export const inventoryTemplateUrl = () => appUrl('api/housing/inventory-template.xlsx');
/** Which projects' swap households may choose from the estate (written by admins, the whole list). */
export const estateProjects = (code: string) => getJson<{estate: string; projects: string[]}>(`api/housing/estates/${enc(code)}/projects`);
export const setEstateProjects = (code: string, projects: string[]) =>
    sendJson<{estate: string; projects: string[]}>('PUT', `api/housing/estates/${enc(code)}/projects`, {projects});

export const fetchPublicEstates = () => getJson<EstateSummary[]>('api/public/estates');
export const fetchPublicGrid = (code: string) => getJson<EstateGrid>(`api/public/estates/${enc(code)}`);
export const fetchEstates = (region?: string | null) => getJson<EstateSummary[]>(`api/housing/estates${q({region})}`);
export const fetchGrid = (code: string) => getJson<EstateGrid>(`api/housing/estates/${enc(code)}`);
export const changeUnit = (id: number, to: UnitStatus, household: string | null, expected: UnitStatus) =>
    sendJson<{unit_id: number; status: UnitStatus; household: string | null}>('POST', `api/housing/units/${id}/status`, {to, household, expected});

export type HousingCounts = {units: number} & Record<UnitStatus, number>;
export type HousingFigures = {
    totals: HousingCounts & {estates: number; overdue: number; days_to_deliver: number | null; late_days: number | null};
    estates: (HousingCounts & {code: string; name: string; delivery_planned: string | null; overdue: number;
        days_to_deliver: number | null; late_days: number | null})[];
    types: (HousingCounts & {code: string; name: string; area: number; days_to_deliver: number | null})[];
    /** per 套型: households still to choose whose entitlement is nearest it, against the units left */
    demand: TypeDemand[];
};
export type TypeDemand = {name: string; area: number; units: number; supply: number; demand: number; shortfall: number};
export const fetchHousingFigures = (region?: string | null) => getJson<HousingFigures>(`api/figures/housing${q({region})}`);

/** The feed of unit changes: staff read /events (SSE `unit`), the public page its estate's own feed. */
export const feedUrl = (estate: string, isPublic: boolean) =>
    appUrl(isPublic ? `api/public/estates/${enc(estate)}/events` : 'events?heartbeat=15');
