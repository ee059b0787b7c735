-- The legal procedure a project follows (docs/procedure.md): versioned templates per project
-- kind, the project's ledger of steps, the holiday calendar deadlines count in, and the stage
-- each project is in. The functions (working days, deadlines, stage) live in
-- backend/sql/schema/ (period_end.sql, procedure_stage.sql, project_steps_keep.sql, ...).

-- A project's stage: the coarse phase every template's steps map to, so projects of different
-- kinds are counted together (Wuling's 不同项目阶段). Ordered as a project normally passes them.
CREATE TYPE project_stage AS ENUM
    ('preparation', 'survey', 'plan', 'decision', 'signing', 'relocation', 'handover', 'closed');
CREATE TYPE step_state AS ENUM ('not_started', 'in_progress', 'done', 'waived');
CREATE TYPE step_output AS ENUM ('announcement', 'report', 'decision', 'list', 'agreement', 'record');
-- what a done step allows the data to do (the gates of docs/procedure.md)
CREATE TYPE step_gate AS ENUM ('signing', 'compensation_decision', 'demolition');
-- how a legal duration counts: calendar days, Beijing working days, months
CREATE TYPE period_unit AS ENUM ('days', 'working_days', 'months');

-- 九公开: the nine items a project publishes; the five new ones join the existing four kinds
-- so a disclosure can be filed under any of them.
ALTER TYPE disclosure_kind ADD VALUE 'survey_results';
ALTER TYPE disclosure_kind ADD VALUE 'appraisal_results';
ALTER TYPE disclosure_kind ADD VALUE 'compensation_results';
ALTER TYPE disclosure_kind ADD VALUE 'staff';
ALTER TYPE disclosure_kind ADD VALUE 'supervision';

-- The days that differ from "Monday to Friday work": 法定节假日 on weekdays (working false) and
-- 调休 weekend days worked (working true), from the State Council's yearly notice. Admins add
-- each year's; a day outside any listed year counts by weekday alone.
CREATE TABLE calendar_days (
    day     date PRIMARY KEY,
    working boolean NOT NULL,
    name    text NOT NULL CHECK (btrim(name) <> ''),
    CONSTRAINT calendar_day_differs CHECK (working = (extract(isodow FROM day) >= 6))
);

---------------------------------------------------------------- templates
CREATE TABLE procedure_templates (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       project_kind NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    name       text NOT NULL CHECK (btrim(name) <> ''),
    -- what this version changed, for the people choosing it
    note       text NOT NULL DEFAULT '',
    created_by integer REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT procedure_template_version_once UNIQUE (kind, version)
);

CREATE TABLE procedure_template_steps (
    template_id   integer NOT NULL REFERENCES procedure_templates (id),
    seq           smallint NOT NULL CHECK (seq BETWEEN 1 AND 60),
    key           text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    stage         project_stage NOT NULL CHECK (stage <> 'closed'),
    legal_basis   text NOT NULL CHECK (length(btrim(legal_basis)) BETWEEN 1 AND 400),
    produces      step_output NOT NULL,
    -- durations from the step's clock start: done no earlier than min, overdue after max
    min_period    smallint CHECK (min_period >= 1),
    max_period    smallint CHECK (max_period >= 1),
    period_unit   period_unit NOT NULL DEFAULT 'days',
    -- the clock starts when that step is done (a window after a decision); NULL: when this step starts
    clock_from    text,
    -- a legal window (复议期, 诉讼期, 复核期): opens by itself when clock_from is done, closes at max
    is_window     boolean NOT NULL DEFAULT false,
    prerequisites text[] NOT NULL DEFAULT '{}',
    -- shown to residents with its dates and documents
    published     boolean NOT NULL DEFAULT false,
    -- the 九公开 items this step publishes (disclosure_kind labels)
    publishes     text[] NOT NULL DEFAULT '{}',
    opens         step_gate,
    PRIMARY KEY (template_id, seq),
    CONSTRAINT template_step_key_once UNIQUE (template_id, key),
    CONSTRAINT template_step_min_le_max CHECK (min_period IS NULL OR max_period IS NULL OR min_period <= max_period),
    CONSTRAINT template_window_has_clock CHECK (NOT is_window OR (clock_from IS NOT NULL AND max_period IS NOT NULL)),
    CONSTRAINT template_publishes_items CHECK (publishes <@ ARRAY['overview', 'policy', 'compensation_plan', 'announcement',
        'survey_results', 'appraisal_results', 'compensation_results', 'staff', 'supervision']),
    CONSTRAINT template_published_publishes CHECK (cardinality(publishes) = 0 OR published)
);

---------------------------------------------------------------- the project's ledger
-- A project keeps the template version it started with.
CREATE TABLE project_procedures (
    project_id  bigint PRIMARY KEY REFERENCES projects (id),
    template_id integer NOT NULL REFERENCES procedure_templates (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_steps (
    project_id    bigint NOT NULL REFERENCES project_procedures (project_id),
    key           text NOT NULL,
    state         step_state NOT NULL DEFAULT 'not_started',
    planned_start date,
    planned_end   date,
    -- Beijing days; a waived step's actual_end is the day it was waived
    actual_start  date,
    actual_end    date,
    responsible   integer REFERENCES users (id),
    waive_reason  text,
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    version       integer NOT NULL DEFAULT 1,
    updated_by    integer REFERENCES users (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, key),
    CONSTRAINT step_planned_order CHECK (planned_end >= planned_start),
    CONSTRAINT step_actual_order CHECK (actual_end >= actual_start),
    CONSTRAINT step_started_has_start CHECK (state IN ('not_started', 'waived') OR actual_start IS NOT NULL),
    CONSTRAINT step_finished_has_end CHECK ((state IN ('done', 'waived')) = (actual_end IS NOT NULL)),
    CONSTRAINT step_waived_has_reason CHECK ((state = 'waived') = (length(btrim(coalesce(waive_reason, ''))) >= 2))
);

-- Every change of a step, append-only: the feed's procedure events, "as of" and the timeline's history.
CREATE TABLE step_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL,
    key         text NOT NULL,
    from_state  step_state NOT NULL,
    to_state    step_state NOT NULL,
    -- the step's dates after the change
    actual_start date,
    actual_end  date,
    reason      text,
    user_id     integer REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (project_id, key) REFERENCES project_steps (project_id, key)
);
CREATE INDEX step_events_project ON step_events (project_id, id);

-- A step's documents (公告, 报告, 决定书, 名单), stored in the attachment store by SHA-256.
CREATE TABLE step_documents (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   bigint NOT NULL,
    key          text NOT NULL,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200 AND file_name !~ '[/\\[:cntrl:]]' AND file_name !~ '^\.'),
    -- a published step's document reaches residents only when marked public (no personal data in it)
    public       boolean NOT NULL DEFAULT false,
    uploaded_by  integer REFERENCES users (id),
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (project_id, key) REFERENCES project_steps (project_id, key)
);
CREATE INDEX step_documents_step ON step_documents (project_id, key);

-- The stage each project is in now, kept by the trigger on project_steps (project_steps_keep.sql).
ALTER TABLE projects ADD COLUMN stage project_stage NOT NULL DEFAULT 'preparation';
CREATE INDEX projects_stage ON projects (stage);

GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_days TO onemap_app;
GRANT SELECT, INSERT ON procedure_templates, procedure_template_steps, step_events, step_documents TO onemap_app;
GRANT SELECT, INSERT, UPDATE ON project_procedures, project_steps TO onemap_app;
GRANT SELECT ON calendar_days, procedure_templates, procedure_template_steps, project_procedures, step_documents TO onemap_public;
GRANT SELECT (project_id, key, state, planned_start, planned_end, actual_start, actual_end) ON project_steps TO onemap_public;

-- Append-only and versioned: the service never rewrites a template or a step's history.
REVOKE UPDATE, DELETE ON procedure_templates, procedure_template_steps, step_events FROM onemap_app;

---------------------------------------------------------------- data
-- 2024–2026 from the State Council's notices (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号)
INSERT INTO calendar_days (day, working, name) VALUES
    ('2024-01-01', false, '元旦'),
    ('2024-02-04', true, '春节调休上班'),
    ('2024-02-12', false, '春节'),
    ('2024-02-13', false, '春节'),
    ('2024-02-14', false, '春节'),
    ('2024-02-15', false, '春节'),
    ('2024-02-16', false, '春节'),
    ('2024-02-18', true, '春节调休上班'),
    ('2024-04-04', false, '清明节'),
    ('2024-04-05', false, '清明节'),
    ('2024-04-07', true, '清明节调休上班'),
    ('2024-04-28', true, '劳动节调休上班'),
    ('2024-05-01', false, '劳动节'),
    ('2024-05-02', false, '劳动节'),
    ('2024-05-03', false, '劳动节'),
    ('2024-05-11', true, '劳动节调休上班'),
    ('2024-06-10', false, '端午节'),
    ('2024-09-14', true, '中秋节调休上班'),
    ('2024-09-16', false, '中秋节'),
    ('2024-09-17', false, '中秋节'),
    ('2024-09-29', true, '国庆节调休上班'),
    ('2024-10-01', false, '国庆节'),
    ('2024-10-02', false, '国庆节'),
    ('2024-10-03', false, '国庆节'),
    ('2024-10-04', false, '国庆节'),
    ('2024-10-07', false, '国庆节'),
    ('2024-10-12', true, '国庆节调休上班'),
    ('2025-01-01', false, '元旦'),
    ('2025-01-26', true, '春节调休上班'),
    ('2025-01-28', false, '春节'),
    ('2025-01-29', false, '春节'),
    ('2025-01-30', false, '春节'),
    ('2025-01-31', false, '春节'),
    ('2025-02-03', false, '春节'),
    ('2025-02-04', false, '春节'),
    ('2025-02-08', true, '春节调休上班'),
    ('2025-04-04', false, '清明节'),
    ('2025-04-27', true, '劳动节调休上班'),
    ('2025-05-01', false, '劳动节'),
    ('2025-05-02', false, '劳动节'),
    ('2025-05-05', false, '劳动节'),
    ('2025-06-02', false, '端午节'),
    ('2025-09-28', true, '国庆节、中秋节调休上班'),
    ('2025-10-01', false, '国庆节、中秋节'),
    ('2025-10-02', false, '国庆节、中秋节'),
    ('2025-10-03', false, '国庆节、中秋节'),
    ('2025-10-06', false, '国庆节、中秋节'),
    ('2025-10-07', false, '国庆节、中秋节'),
    ('2025-10-08', false, '国庆节、中秋节'),
    ('2025-10-11', true, '国庆节、中秋节调休上班'),
    ('2026-01-01', false, '元旦'),
    ('2026-01-02', false, '元旦'),
    ('2026-01-04', true, '元旦调休上班'),
    ('2026-02-14', true, '春节调休上班'),
    ('2026-02-16', false, '春节'),
    ('2026-02-17', false, '春节'),
    ('2026-02-18', false, '春节'),
    ('2026-02-19', false, '春节'),
    ('2026-02-20', false, '春节'),
    ('2026-02-23', false, '春节'),
    ('2026-02-28', true, '春节调休上班'),
    ('2026-04-06', false, '清明节'),
    ('2026-05-01', false, '劳动节'),
    ('2026-05-04', false, '劳动节'),
    ('2026-05-05', false, '劳动节'),
    ('2026-05-09', true, '劳动节调休上班'),
    ('2026-06-19', false, '端午节'),
    ('2026-09-20', true, '国庆节调休上班'),
    ('2026-09-25', false, '中秋节'),
    ('2026-10-01', false, '国庆节'),
    ('2026-10-02', false, '国庆节'),
    ('2026-10-05', false, '国庆节'),
    ('2026-10-06', false, '国庆节'),
    ('2026-10-07', false, '国庆节'),
    ('2026-10-10', true, '国庆节调休上班');
-- The first version of each kind's template. Admins add versions (docs/procedure.md); projects keep theirs.
INSERT INTO procedure_templates (kind, version, name, note) VALUES ('house_expropriation', 1, '国有土地上房屋征收', '初始版本');
INSERT INTO procedure_template_steps (template_id, seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit,
                                      clock_from, is_window, prerequisites, published, publishes, opens)
SELECT t.id, s.seq, s.key, s.name, s.stage::project_stage, s.legal_basis, s.produces::step_output, s.min_period, s.max_period,
       s.period_unit::period_unit, s.clock_from, s.is_window, s.prerequisites::text[], s.published, s.publishes::text[], s.opens::step_gate
  FROM procedure_templates t, (VALUES
    (1, 'approval', '前期审批（立项、规划符合性审查）', 'preparation', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第九条：征收应符合国民经济和社会发展规划、土地利用总体规划、城乡规划和专项规划', 'report', NULL, NULL, 'days', NULL, false, '{}', true, '{overview}', NULL),
    (2, 'organization', '确定征收部门与实施单位', 'preparation', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第四条、第五条', 'decision', NULL, NULL, 'days', NULL, false, '{approval}', true, '{staff}', NULL),
    (3, 'survey', '房屋调查登记并公布结果', 'survey', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十五条：对征收范围内房屋的权属、区位、用途、建筑面积等组织调查登记，调查结果在征收范围内公布', 'list', NULL, NULL, 'days', NULL, false, '{organization}', true, '{survey_results}', NULL),
    (4, 'freeze_notice', '暂停办理相关手续通知', 'survey', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十六条：书面通知有关部门暂停办理相关手续，暂停期限最长不得超过1年', 'announcement', NULL, NULL, 'days', NULL, false, '{organization}', true, '{}', NULL),
    (5, 'plan_drafted', '拟定征收补偿方案', 'plan', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十条：房屋征收部门拟定征收补偿方案，报市、县级人民政府', 'report', NULL, NULL, 'days', NULL, false, '{survey}', false, '{}', NULL),
    (6, 'plan_comment', '征收补偿方案公布、征求公众意见', 'plan', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十条：征求意见期限不得少于30日', 'announcement', 30, NULL, 'days', NULL, false, '{plan_drafted}', true, '{compensation_plan,policy}', NULL),
    (7, 'plan_revised', '公布征求意见和修改情况', 'plan', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十条、第十一条：及时公布征求意见情况和根据公众意见修改的情况；多数被征收人认为不符合的，组织听证会', 'announcement', NULL, NULL, 'days', NULL, false, '{plan_comment}', true, '{}', NULL),
    (8, 'risk_assessment', '社会稳定风险评估', 'plan', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十二条：作出房屋征收决定前，应当进行社会稳定风险评估', 'report', NULL, NULL, 'days', NULL, false, '{plan_drafted}', false, '{}', NULL),
    (9, 'funds_ready', '征收补偿费用足额到位、专户存储', 'decision', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十二条：作出征收决定前，征收补偿费用应当足额到位、专户存储、专款专用', 'record', NULL, NULL, 'days', NULL, false, '{risk_assessment}', false, '{}', NULL),
    (10, 'decision', '作出并公告房屋征收决定', 'decision', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第八条、第十三条：作出房屋征收决定后及时公告，载明征收补偿方案和行政复议、行政诉讼权利', 'decision', NULL, NULL, 'days', NULL, false, '{plan_revised,risk_assessment,funds_ready}', true, '{announcement,supervision}', 'signing'),
    (11, 'reconsideration_window', '行政复议期', 'decision', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十四条；《行政复议法》：自知道行政行为之日起60日内申请行政复议', 'record', NULL, 60, 'days', 'decision', true, '{}', true, '{}', NULL),
    (12, 'litigation_window', '行政诉讼期', 'decision', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十四条；《行政诉讼法》第四十六条：自知道作出行政行为之日起6个月内提起诉讼', 'record', NULL, 6, 'months', 'decision', true, '{}', true, '{}', NULL),
    (13, 'appraiser_selected', '选定房地产价格评估机构', 'signing', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十条：由被征收人协商选定；协商不成的，通过多数决定、随机选定等方式确定', 'decision', NULL, NULL, 'days', NULL, false, '{decision}', true, '{}', NULL),
    (14, 'appraisal_published', '分户评估结果公示、送达评估报告', 'signing', '《房屋征收评估办法》(建房〔2011〕77号)第十六条、第十七条', 'report', NULL, NULL, 'days', NULL, false, '{appraiser_selected}', true, '{appraisal_results}', NULL),
    (15, 'appraisal_review_window', '申请复核评估期', 'signing', '《房屋征收评估办法》(建房〔2011〕77号)第二十条：自收到评估报告之日起10日内申请复核评估', 'record', NULL, 10, 'days', 'appraisal_published', true, '{}', true, '{}', NULL),
    (16, 'signing_period', '签订补偿协议（签约期）', 'signing', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十五条：房屋征收部门与被征收人订立补偿协议', 'agreement', NULL, NULL, 'days', NULL, false, '{decision}', false, '{}', 'compensation_decision'),
    (17, 'compensation_decision', '作出并公告补偿决定（未签约户）', 'signing', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十六条：签约期限内达不成补偿协议的，按照征收补偿方案作出补偿决定，并在征收范围内公告', 'decision', NULL, NULL, 'days', NULL, false, '{signing_period}', true, '{}', NULL),
    (18, 'demolition_filing', '拆除工程备案', 'relocation', '《建设工程安全生产管理条例》第十一条：拆除工程施工15日前报送备案', 'record', 15, NULL, 'days', NULL, false, '{decision}', false, '{}', 'demolition'),
    (19, 'relocation', '搬迁腾房与房屋拆除', 'relocation', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十七条：先补偿、后搬迁', 'record', NULL, NULL, 'days', NULL, false, '{decision}', false, '{}', NULL),
    (20, 'compensation_results', '公布分户补偿情况', 'handover', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十九条：建立房屋征收补偿档案，分户补偿情况向被征收人公布', 'list', NULL, NULL, 'days', NULL, false, '{relocation}', true, '{compensation_results}', NULL),
    (21, 'land_handover', '净地移交', 'handover', '土地储备与供应的相关规定：征收完成后净地移交', 'record', NULL, NULL, 'days', NULL, false, '{relocation}', false, '{}', NULL),
    (22, 'archive', '建立征收补偿档案、归档移交', 'handover', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十九条：建立房屋征收补偿档案，分户补偿情况向被征收人公布', 'record', NULL, NULL, 'days', NULL, false, '{compensation_results,land_handover}', false, '{}', NULL)
) AS s (seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit, clock_from, is_window, prerequisites, published, publishes, opens)
WHERE t.kind = 'house_expropriation' AND t.version = 1;
INSERT INTO procedure_templates (kind, version, name, note) VALUES ('land_acquisition', 1, '集体土地征收', '初始版本');
INSERT INTO procedure_template_steps (template_id, seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit,
                                      clock_from, is_window, prerequisites, published, publishes, opens)
SELECT t.id, s.seq, s.key, s.name, s.stage::project_stage, s.legal_basis, s.produces::step_output, s.min_period, s.max_period,
       s.period_unit::period_unit, s.clock_from, s.is_window, s.prerequisites::text[], s.published, s.publishes::text[], s.opens::step_gate
  FROM procedure_templates t, (VALUES
    (1, 'pre_announcement', '发布征收土地预公告', 'preparation', '《土地管理法实施条例》(2021年修订)第二十六条：预公告时间不少于十个工作日；自发布之日起不得在拟征收范围内抢栽抢建', 'announcement', 10, NULL, 'working_days', NULL, false, '{}', true, '{overview}', NULL),
    (2, 'status_survey', '土地现状调查', 'survey', '《土地管理法实施条例》(2021年修订)第二十六条：调查土地的位置、权属、地类、面积，以及农村村民住宅、其他地上附着物和青苗等的权属、种类、数量', 'list', NULL, NULL, 'days', NULL, false, '{pre_announcement}', true, '{survey_results}', NULL),
    (3, 'risk_assessment', '社会稳定风险评估', 'survey', '《土地管理法》(2019年修正)第四十七条；《土地管理法实施条例》(2021年修订)第二十六条', 'report', NULL, NULL, 'days', NULL, false, '{pre_announcement}', false, '{}', NULL),
    (4, 'plan_drafted', '拟定征地补偿安置方案', 'plan', '《土地管理法实施条例》(2021年修订)第二十七条：依据社会稳定风险评估结果，结合土地现状调查情况，组织自然资源、财政、农业农村、人力资源和社会保障等有关部门拟定', 'report', NULL, NULL, 'days', NULL, false, '{status_survey,risk_assessment}', false, '{}', NULL),
    (5, 'plan_announcement', '征地补偿安置方案公告', 'plan', '《土地管理法》(2019年修正)第四十七条；《土地管理法实施条例》(2021年修订)第二十七条：在拟征收土地所在的乡（镇）和村、村民小组范围内公告，公告时间不少于三十日', 'announcement', 30, NULL, 'days', NULL, false, '{plan_drafted}', true, '{compensation_plan,policy}', NULL),
    (6, 'hearing', '组织听证（多数成员认为方案不符合法律法规时）', 'plan', '《土地管理法》(2019年修正)第四十七条；《土地管理法实施条例》(2021年修订)第二十八条', 'record', NULL, NULL, 'days', NULL, false, '{plan_announcement}', true, '{}', NULL),
    (7, 'plan_final', '确定并公布征地补偿安置方案', 'plan', '《土地管理法实施条例》(2021年修订)第二十八条：根据法律、法规规定和听证会等情况确定征地补偿安置方案后，组织有关部门与拟征收土地的所有权人、使用权人签订征地补偿安置协议', 'decision', NULL, NULL, 'days', NULL, false, '{plan_announcement,hearing}', true, '{announcement,supervision}', 'signing'),
    (8, 'registration', '办理补偿登记', 'plan', '《土地管理法》(2019年修正)第四十七条：拟征收土地的所有权人、使用权人应当在公告规定期限内，持不动产权属证明材料办理补偿登记', 'list', NULL, NULL, 'days', NULL, false, '{plan_announcement}', false, '{}', NULL),
    (9, 'agreements', '签订征地补偿安置协议', 'signing', '《土地管理法实施条例》(2021年修订)第二十九条：对个别确实难以达成协议的，应当在申请征收土地时如实说明', 'agreement', NULL, NULL, 'days', NULL, false, '{plan_final}', false, '{}', 'compensation_decision'),
    (10, 'funds_ready', '征地补偿安置费用足额到位', 'signing', '《土地管理法》(2019年修正)第四十七条：相关前期工作完成后，方可申请征收土地；《土地管理法实施条例》(2021年修订)第二十九条', 'record', NULL, NULL, 'days', NULL, false, '{plan_final}', false, '{}', NULL),
    (11, 'application', '提出征收土地申请', 'decision', '《土地管理法实施条例》(2021年修订)第三十条：县级以上地方人民政府完成征地前期工作后，方可提出征收土地申请', 'report', NULL, NULL, 'days', NULL, false, '{agreements,funds_ready,registration}', false, '{}', NULL),
    (12, 'approval', '征收土地批准', 'decision', '《土地管理法》(2019年修正)第四十六条：由国务院或者省、自治区、直辖市人民政府批准', 'decision', NULL, NULL, 'days', NULL, false, '{application}', false, '{}', NULL),
    (13, 'acquisition_announcement', '发布征收土地公告', 'decision', '《土地管理法实施条例》(2021年修订)第三十一条：自收到批准文件之日起十五个工作日内在拟征收土地所在的乡（镇）和村、村民小组范围内发布征收土地公告', 'announcement', NULL, 15, 'working_days', 'approval', false, '{approval}', true, '{announcement}', NULL),
    (14, 'reconsideration_window', '行政复议期', 'decision', '《行政复议法》：自知道行政行为之日起60日内申请行政复议', 'record', NULL, 60, 'days', 'acquisition_announcement', true, '{}', true, '{}', NULL),
    (15, 'litigation_window', '行政诉讼期', 'decision', '《行政诉讼法》第四十六条：自知道作出行政行为之日起6个月内提起诉讼', 'record', NULL, 6, 'months', 'acquisition_announcement', true, '{}', true, '{}', NULL),
    (16, 'compensation_decision', '作出征地补偿安置决定（未签约户）', 'signing', '《土地管理法实施条例》(2021年修订)第三十一条：对个别未达成征地补偿安置协议的，应当作出征地补偿安置决定，并依法组织实施', 'decision', NULL, NULL, 'days', NULL, false, '{acquisition_announcement}', true, '{}', NULL),
    (17, 'compensation_paid', '支付补偿、落实社会保障费用', 'relocation', '《土地管理法》(2019年修正)第四十八条：及时足额支付土地补偿费、安置补助费以及农村村民住宅、其他地上附着物和青苗等的补偿费用，并安排社会保障费用', 'record', NULL, NULL, 'days', NULL, false, '{plan_final}', false, '{}', NULL),
    (18, 'demolition_filing', '拆除工程备案', 'relocation', '《建设工程安全生产管理条例》第十一条：拆除工程施工15日前报送备案', 'record', 15, NULL, 'days', NULL, false, '{plan_final}', false, '{}', 'demolition'),
    (19, 'clearance', '地上物清理腾退', 'relocation', '《土地管理法》(2019年修正)第四十八条：先补偿、后搬迁，居住条件有改善', 'record', NULL, NULL, 'days', NULL, false, '{plan_final}', false, '{}', NULL),
    (20, 'compensation_results', '公布补偿情况', 'handover', '《土地管理法实施条例》(2021年修订)第三十二条；《土地管理法》(2019年修正)第四十九条：征地补偿费用的收支状况向本集体经济组织成员公布，接受监督', 'list', NULL, NULL, 'days', NULL, false, '{compensation_paid}', true, '{compensation_results}', NULL),
    (21, 'land_delivery', '交地', 'handover', '土地供应前的净地交付', 'record', NULL, NULL, 'days', NULL, false, '{clearance}', false, '{}', NULL),
    (22, 'archive', '征地档案归档移交', 'handover', '征地信息公开与档案管理的规定', 'record', NULL, NULL, 'days', NULL, false, '{land_delivery,compensation_results}', false, '{}', NULL)
) AS s (seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit, clock_from, is_window, prerequisites, published, publishes, opens)
WHERE t.kind = 'land_acquisition' AND t.version = 1;
INSERT INTO procedure_templates (kind, version, name, note) VALUES ('shantytown', 1, '棚户区改造', '初始版本');
INSERT INTO procedure_template_steps (template_id, seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit,
                                      clock_from, is_window, prerequisites, published, publishes, opens)
SELECT t.id, s.seq, s.key, s.name, s.stage::project_stage, s.legal_basis, s.produces::step_output, s.min_period, s.max_period,
       s.period_unit::period_unit, s.clock_from, s.is_window, s.prerequisites::text[], s.published, s.publishes::text[], s.opens::step_gate
  FROM procedure_templates t, (VALUES
    (1, 'organization', '成立工作机构', 'preparation', '棚户区改造“八步流程”第一步；《国有土地上房屋征收与补偿条例》(国务院令第590号)第四条、第五条', 'decision', NULL, NULL, 'days', NULL, false, '{}', true, '{staff}', NULL),
    (2, 'mobilization', '召开宣传大会', 'preparation', '棚户区改造“八步流程”第二步：宣传政策、公布项目概况', 'record', NULL, NULL, 'days', NULL, false, '{organization}', true, '{overview,policy}', NULL),
    (3, 'plan_drafted', '制定征迁方案', 'plan', '棚户区改造“八步流程”第三步；《国有土地上房屋征收与补偿条例》(国务院令第590号)第十条', 'report', NULL, NULL, 'days', NULL, false, '{mobilization}', false, '{}', NULL),
    (4, 'consultation', '走访征求意见', 'plan', '棚户区改造“八步流程”第四步；《国有土地上房屋征收与补偿条例》(国务院令第590号)第十条：征求意见期限不得少于30日', 'announcement', 30, NULL, 'days', NULL, false, '{plan_drafted}', true, '{compensation_plan}', NULL),
    (5, 'announcement', '发布征收公告', 'decision', '棚户区改造“八步流程”第五步；《国有土地上房屋征收与补偿条例》(国务院令第590号)第十二条、第十三条：补偿费用足额到位后作出征收决定并公告', 'decision', NULL, NULL, 'days', NULL, false, '{consultation}', true, '{announcement,supervision}', 'signing'),
    (6, 'reconsideration_window', '行政复议期', 'decision', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十四条；《行政复议法》：自知道行政行为之日起60日内申请行政复议', 'record', NULL, 60, 'days', 'announcement', true, '{}', true, '{}', NULL),
    (7, 'litigation_window', '行政诉讼期', 'decision', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第十四条；《行政诉讼法》第四十六条：自知道作出行政行为之日起6个月内提起诉讼', 'record', NULL, 6, 'months', 'announcement', true, '{}', true, '{}', NULL),
    (8, 'survey', '入户调查摸底、勘丈登记', 'survey', '棚户区改造“八步流程”第六步；“五榜公示”之勘丈登记情况', 'list', NULL, NULL, 'days', NULL, false, '{announcement}', true, '{survey_results}', NULL),
    (9, 'relocation', '组织开展征迁（协议签订、补偿兑现）', 'signing', '棚户区改造“八步流程”第七步；“五榜公示”之协议签订、补偿兑现、征迁奖励情况', 'agreement', NULL, NULL, 'days', NULL, false, '{announcement}', true, '{compensation_results,appraisal_results}', 'compensation_decision'),
    (10, 'compensation_decision', '作出并公告补偿决定（未签约户）', 'signing', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十六条', 'decision', NULL, NULL, 'days', NULL, false, '{relocation}', true, '{}', NULL),
    (11, 'demolition_filing', '拆除工程备案', 'relocation', '《建设工程安全生产管理条例》第十一条：拆除工程施工15日前报送备案', 'record', 15, NULL, 'days', NULL, false, '{announcement}', false, '{}', 'demolition'),
    (12, 'demolition', '搬迁腾房与房屋拆除', 'relocation', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十七条：先补偿、后搬迁', 'record', NULL, NULL, 'days', NULL, false, '{announcement}', false, '{}', NULL),
    (13, 'construction_plan', '制定建设规划', 'handover', '棚户区改造“八步流程”第八步', 'report', NULL, NULL, 'days', NULL, false, '{demolition}', false, '{}', NULL)
) AS s (seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit, clock_from, is_window, prerequisites, published, publishes, opens)
WHERE t.kind = 'shantytown' AND t.version = 1;
INSERT INTO procedure_templates (kind, version, name, note) VALUES ('land_readiness', 1, '土地整备', '初始版本');
INSERT INTO procedure_template_steps (template_id, seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit,
                                      clock_from, is_window, prerequisites, published, publishes, opens)
SELECT t.id, s.seq, s.key, s.name, s.stage::project_stage, s.legal_basis, s.produces::step_output, s.min_period, s.max_period,
       s.period_unit::period_unit, s.clock_from, s.is_window, s.prerequisites::text[], s.published, s.publishes::text[], s.opens::step_gate
  FROM procedure_templates t, (VALUES
    (1, 'preparation', '前期准备（指挥部组建、测绘评估机构选聘）', 'preparation', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：前期准备阶段', 'record', NULL, NULL, 'days', NULL, false, '{}', true, '{overview,staff}', NULL),
    (2, 'title_declaration', '权属申报', 'survey', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：权属申报阶段，权利人在公告期限内申报', 'announcement', NULL, NULL, 'days', NULL, false, '{preparation}', true, '{}', NULL),
    (3, 'verification', '信息核查及认定', 'survey', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：信息核查及认定，核查结果公示', 'list', NULL, NULL, 'days', NULL, false, '{title_declaration}', true, '{survey_results}', NULL),
    (4, 'plan_drafted', '补偿方案拟定与可行性研究', 'plan', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：补偿安置方案拟定阶段', 'report', NULL, NULL, 'days', NULL, false, '{verification}', true, '{appraisal_results}', NULL),
    (5, 'plan_announced', '补偿方案审批并公告', 'decision', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）；《国有土地上房屋征收与补偿条例》(国务院令第590号)第十条、第十三条', 'decision', NULL, NULL, 'days', NULL, false, '{plan_drafted}', true, '{compensation_plan,policy,announcement,supervision}', 'signing'),
    (6, 'reconsideration_window', '行政复议期', 'decision', '《行政复议法》：自知道行政行为之日起60日内申请行政复议', 'record', NULL, 60, 'days', 'plan_announced', true, '{}', true, '{}', NULL),
    (7, 'litigation_window', '行政诉讼期', 'decision', '《行政诉讼法》第四十六条：自知道作出行政行为之日起6个月内提起诉讼', 'record', NULL, 6, 'months', 'plan_announced', true, '{}', true, '{}', NULL),
    (8, 'negotiation', '协商谈判签约', 'signing', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：协商谈判签约阶段（集中签约）', 'agreement', NULL, NULL, 'days', NULL, false, '{plan_announced}', false, '{}', 'compensation_decision'),
    (9, 'compensation_decision', '作出并公告补偿决定（未签约户）', 'signing', '《国有土地上房屋征收与补偿条例》(国务院令第590号)第二十六条', 'decision', NULL, NULL, 'days', NULL, false, '{negotiation}', true, '{}', NULL),
    (10, 'demolition_filing', '拆除工程备案', 'relocation', '《建设工程安全生产管理条例》第十一条：拆除工程施工15日前报送备案', 'record', 15, NULL, 'days', NULL, false, '{plan_announced}', false, '{}', 'demolition'),
    (11, 'handover', '房屋移交（腾空交房）', 'relocation', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：房屋移交阶段', 'record', NULL, NULL, 'days', NULL, false, '{plan_announced}', false, '{}', NULL),
    (12, 'title_cancellation', '产权注销', 'handover', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：产权注销阶段', 'record', NULL, NULL, 'days', NULL, false, '{handover}', true, '{compensation_results}', NULL),
    (13, 'archive', '档案移交', 'handover', '土地整备工作阶段（前期准备、权属申报、信息核查及补偿方案拟定、协商谈判签约、房屋移交、产权注销）：档案移交', 'record', NULL, NULL, 'days', NULL, false, '{title_cancellation}', false, '{}', NULL)
) AS s (seq, key, name, stage, legal_basis, produces, min_period, max_period, period_unit, clock_from, is_window, prerequisites, published, publishes, opens)
WHERE t.kind = 'land_readiness' AND t.version = 1;

-- Projects that exist already start the procedure of their kind, every step not started: the
-- history before onemap knew the procedure is entered by the people who hold its documents.
INSERT INTO project_procedures (project_id, template_id)
SELECT p.id, t.id FROM projects p JOIN procedure_templates t ON t.kind = p.kind AND t.version = 1;
INSERT INTO project_steps (project_id, key)
SELECT pp.project_id, s.key FROM project_procedures pp JOIN procedure_template_steps s ON s.template_id = pp.template_id;
