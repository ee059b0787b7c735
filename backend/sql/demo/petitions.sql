-- The demo's 信访 and 意见箱: about one petition for every 40 households of each project, from
-- every channel, received over the 120 days before the demo's day (onemap.as_of), with local
-- periods for the on-site box and the hotline. Timing as an office keeps it: most decided and
-- replied on time, about one in ten replied late, one in twenty not accepted, and a few left open
-- past their due day; one petition in eight repeats an earlier one of its household (linked).
-- The public objections of funds.sql are petitions already (the trigger of
-- objections_become_petitions.sql). Generated history names no staff.
INSERT INTO petition_periods (channel, accept_n, accept_unit, handle_n, handle_unit, basis) VALUES
    ('box', 3, 'working_days', 10, 'working_days', '现场意见箱：3个工作日内登记受理，10个工作日内答复（指挥部公开承诺）'),
    ('hotline', 5, 'working_days', 30, 'days', '热线：5个工作日内决定是否受理，30日内办结（本市规定）')
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE demo_petitions ON COMMIT DROP AS
-- n numbers the chosen households, so channel, category, day and fate vary independently of their ids
SELECT h.id AS household_id, b.project_id, h.holder_name, h.holder_id_number, h.group_id,
       (ARRAY['hotline', 'letter', 'visit', 'box', 'box', 'hotline', 'visit', 'letter'])[1 + (n.n * 3) % 8]::petition_channel AS channel,
       1 + (n.n * 7 + n.n / 5) % 5 AS category_id,
       ((current_setting('onemap.as_of')::date - (1 + (n.n * 29) % 120)::integer) + time '08:30' + ((n.n * 17) % 480) * interval '1 minute')
           AT TIME ZONE 'Asia/Shanghai' AS received_at,
       (n.n * 37 + n.n / 8) % 100 AS fate
  FROM households h JOIN buildings b ON b.id = h.building_id,
       LATERAL (SELECT h.id / 40 AS n) n
 WHERE h.id % 40 = 7;

INSERT INTO petitions (ticket, project_id, household_id, channel, category_id, petitioner_name, petitioner_id_number,
                       petitioner_phone, body, received_at, registered_at, group_id, office,
                       accept_n, accept_unit, handle_n, handle_unit)
SELECT (SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + floor(random() * 31)::integer, 1), '')
          FROM generate_series(1, 16) WHERE d.household_id IS NOT NULL),
       d.project_id, d.household_id, d.channel, d.category_id, d.holder_name, d.holder_id_number,
       '139' || lpad(((d.household_id * 7919) % 100000000)::text, 8, '0'),
       (ARRAY['对评估单价有异议，认为低于周边同类房屋市场价，申请复核评估结果。',
              '希望尽快明确安置房的选房顺序和交房时间，家中老人等待过渡。',
              '入户调查未提前通知，希望工作人员按程序提前告知时间。',
              '反映工作人员上门时态度生硬，希望改进工作方式。',
              '临时过渡期间孩子上学路程远，希望协调就近入学。'])[d.category_id],
       d.received_at, d.received_at, d.group_id, CASE WHEN d.group_id IS NULL THEN '信访办' END,
       r.accept_n, r.accept_unit, r.handle_n, r.handle_unit
  FROM demo_petitions d, LATERAL petition_period(d.project_id, d.channel, d.category_id::smallint) r
 ORDER BY d.received_at;

-- the decision and the reply, each only when its day came before the demo's day
WITH planned AS (
    SELECT p.id, x.fate, dl.accept_due, dl.received_on,
           CASE WHEN x.fate BETWEEN 90 AND 94 THEN NULL                       -- left open past its due day
                WHEN x.fate BETWEEN 85 AND 89 THEN dl.accept_due + 2          -- decided late
                ELSE least(dl.accept_due, dl.received_on + 1 + (p.id % 4)::integer) END AS decided_on
      FROM petitions p JOIN petition_deadlines dl ON dl.id = p.id JOIN demo_petitions x ON x.household_id = p.household_id
     WHERE p.objection_id IS NULL
)
UPDATE petitions p
   SET status = CASE WHEN pl.fate >= 95 THEN 'rejected' ELSE 'accepted' END::petition_status,
       decided_at = (pl.decided_on + time '16:00') AT TIME ZONE 'Asia/Shanghai',
       reject_reason = CASE WHEN pl.fate >= 95 THEN '所反映事项已通过行政复议程序处理，依照《信访工作条例》不予受理，请依法通过复议、诉讼途径主张。' END
  FROM planned pl
 WHERE pl.id = p.id AND pl.decided_on < current_setting('onemap.as_of')::date;

WITH planned AS (
    SELECT p.id, x.fate, dl.handle_due, dl.decided_on,
           CASE WHEN x.fate BETWEEN 80 AND 84 THEN dl.handle_due + 1 + (p.id % 6)::integer   -- replied late
                WHEN x.fate BETWEEN 75 AND 79 THEN NULL                           -- still being handled
                ELSE least(dl.handle_due, dl.decided_on + 3 + (p.id % 9)::integer) END AS replied_on
      FROM petitions p JOIN petition_deadlines dl ON dl.id = p.id JOIN demo_petitions x ON x.household_id = p.household_id
     WHERE p.objection_id IS NULL AND p.status = 'accepted'
), replied AS (
    UPDATE petitions p SET status = 'replied', replied_at = (pl.replied_on + time '15:30') AT TIME ZONE 'Asia/Shanghai'
      FROM planned pl
     WHERE pl.id = p.id AND pl.replied_on < current_setting('onemap.as_of')::date
    RETURNING p.id, p.category_id, p.replied_at
)
INSERT INTO petition_replies (petition_id, body, final, at)
SELECT id,
       (ARRAY['经复核，评估结果依据市场比较法作出，符合评估规范；如仍有异议，可在收到评估报告之日起10日内申请复估。',
              '安置房预计于明年二季度交付，选房按签约顺序进行，届时将提前张榜公告。',
              '已责成工作组今后入户前一日电话告知，并在小区公告栏张贴计划。',
              '已对相关工作人员进行批评教育，并调整为第二工作组负责联系您家。',
              '已与教育部门协调，可在过渡安置地就近入学，请携带相关材料办理。'])[category_id],
       true, replied_at
  FROM replied;

-- repeats: one petition in eight comes again as a visit about the same matter, a week to a month
-- later; accepted the next day and replied within five days when those days have come
INSERT INTO petitions (ticket, project_id, household_id, channel, category_id, petitioner_name, petitioner_id_number,
                       petitioner_phone, body, received_at, registered_at, group_id, office,
                       accept_n, accept_unit, handle_n, handle_unit, repeat_of, status, decided_at, replied_at)
SELECT (SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + floor(random() * 31)::integer, 1), '')
          FROM generate_series(1, 16) WHERE p.id IS NOT NULL),
       p.project_id, p.household_id, 'visit', p.category_id, p.petitioner_name, p.petitioner_id_number, p.petitioner_phone,
       '再次反映：' || p.body, a.at, a.at, p.group_id, p.office, r.accept_n, r.accept_unit, r.handle_n, r.handle_unit, p.id,
       CASE WHEN a.at + interval '6 days' < a.as_of THEN 'replied' WHEN a.at + interval '1 day' < a.as_of THEN 'accepted'
            ELSE 'registered' END::petition_status,
       CASE WHEN a.at + interval '1 day' < a.as_of THEN a.at + interval '1 day' END,
       CASE WHEN a.at + interval '6 days' < a.as_of THEN a.at + interval '6 days' END
  FROM petitions p,
       LATERAL (SELECT p.received_at + (7 + p.id % 24) * interval '1 day' AS at,
                       current_setting('onemap.as_of')::date::timestamp AT TIME ZONE 'Asia/Shanghai' AS as_of) a,
       LATERAL petition_period(p.project_id, 'visit', p.category_id) r
 WHERE p.objection_id IS NULL AND p.repeat_of IS NULL AND p.id % 8 = 3 AND a.at < a.as_of;

INSERT INTO petition_replies (petition_id, body, final, at)
SELECT id, '您反映的事项已于前次答复中说明，经再次核查，处理意见不变；工作组将上门当面解释。', true, replied_at
  FROM petitions WHERE repeat_of IS NOT NULL AND status = 'replied';
