// The cockpit API's JSON shapes: figures (project or region), region tree, rankings, trend, alerts.
import type {Message} from '../i18n';

export type Level = 'city' | 'district' | 'street' | 'community';
export type Bbox = [number, number, number, number];

/** One gauge; `value` is a number, a YYYY-MM-DD date, a boolean (on_track) or null. Its name and definition are `figure.<key>.name` / `.definition` in src/i18n. */
export type Figure = {
    key: string;
    value: number | string | boolean | null;
    unit: string | null;
    numerator: string | null;
    denominator: string | null;
};

export type Scope = {
    kind: 'region' | 'project';
    code: string;
    id: number | null;
    name: string;
    level: Level | null;
    parent_code: string | null;
};

/** Projects or households in each procedure stage (every stage a key, zeros included). */
export type ByStage = Record<string, number>;
/** A project's document has its `stage`; a region's its counts by stage. */
export type FiguresDoc = {
    scope: Scope; as_of: string | null; figures: Figure[];
    stage?: string; projects_by_stage?: ByStage; households_by_stage?: ByStage;
};

export type RegionRef = {code: string; name: string; level: Level};
export type RegionInfo = RegionRef & {parent_code: string | null; bbox: Bbox | null; path: RegionRef[]};

export type ChildRow = RegionRef & {households: number; signed: number; sign_rate: number | null; projects: number};
export type ProjectRow = {
    id: number;
    code: string;
    name: string;
    kind: string;
    households: number;
    signed: number;
    sign_rate: number | null;
    target_date: string | null;
    bbox: Bbox | null;
};
export type Children = {as_of?: string | null; region: RegionRef & {parent_code: string | null}; children: ChildRow[]; projects: ProjectRow[]};

export type RankRow = {
    /** Within the region asked for (the city when none). */
    rank: number;
    /** null: nothing signed in the previous period, so no rank to compare (not "unchanged"). */
    previous_rank: number | null;
    /** No previous rank, and a gain now: new in the ranking. */
    new: boolean;
    city_rank: number;
    city_previous_rank: number | null;
    code?: string;
    id?: number;
    name: string;
    gain_signed: number;
    gain_vacated: number;
    gain_demolished: number;
    sign_rate: number | null;
    /** A project's procedure stage (项目阶段) at the period's end; streets have none. */
    stage?: string;
};
export type Rankings = {
    level: 'street' | 'project'; as_of: string | null; region: {code: string; name: string} | null;
    from: string; to: string; previous: {from: string; to: string}; rows: RankRow[];
};

export type TrendDay = {date: string; signed: number; vacated: number; demolished: number};
export type Trend = {as_of?: string | null; days: TrendDay[]};

export type Alert = {
    /** step_overdue and window_closing: the procedure's (a step past its due day, a legal window about to close) */
    kind: 'stalled' | 'behind_target' | 'funds' | 'step_overdue' | 'window_closing';
    /** fund warnings only: alarm (passed) or warn (near) */
    level?: 'alarm' | 'warn';
    project_id: number;
    project_name: string;
    region_code: string | null;
    /** What to say, by key: alert.stalled_since, alert.behind_projected, alert.funds (values nest the funds warning), … */
    message: Message;
    since: string | null;
};
