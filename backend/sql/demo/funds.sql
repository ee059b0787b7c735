-- The demo city's money and disclosure, derived set-wise from the generated projects and
-- their signing history: a compensation standard per project (rates scaled to its budget),
-- agreements for every signed household, allocations, monthly paid batches (households signed
-- in the last 30 days and one in six older ones still unpaid, so lag warnings show),
-- documents and announcements for published projects, and a few objections.
-- The day the demo is generated as of is read from the setting onemap.as_of.
-- Like COPY in the loader, this writes finished history: the rows' own triggers are paused
-- and the kept sums set from the rows; fund_differences() must find nothing afterwards.
-- Every batch went through its project's approval chain (the default's, as generated) with
-- nobody named: generated history has no users.
ALTER TABLE agreements DISABLE TRIGGER USER;
ALTER TABLE project_funds DISABLE TRIGGER USER;
ALTER TABLE payments DISABLE TRIGGER USER;
ALTER TABLE payment_batches DISABLE TRIGGER USER;
ALTER TABLE batch_steps DISABLE TRIGGER USER;

INSERT INTO compensation_standards (project_id, relocation_yuan, transition_yuan_per_m2_month, transition_months)
SELECT id, 3000 + (id % 5) * 1000, 15 + (id % 3) * 5, 12 + (id % 2) * 6 FROM projects;

-- The residential legal rate puts the project's house compensation near 3/4 of its budget, and
-- one project in four's past it (the budget was set too low): its agreements outgrow the
-- allocations, so the funds warnings and the money rules have something to show.
INSERT INTO compensation_rates (project_id, use, legality, yuan_per_m2)
SELECT p.id, u.use, l.legality,
       CASE WHEN l.legality = 'illegal' THEN 0
            ELSE round(p.budget_yuan / greatest(f.floor_area, 1) * CASE WHEN p.id % 4 = 1 THEN 1.3 ELSE 0.75 END * u.factor / 10) * 10 END
  FROM projects p JOIN project_figures f ON f.project_id = p.id,
       (VALUES ('residential', 1.0), ('commercial', 1.3), ('industrial', 0.6), ('public', 0.8), ('mixed', 1.1)) u (use, factor),
       (VALUES ('legal'), ('illegal')) l (legality);

INSERT INTO compensation_incentives (project_id, until, yuan)
SELECT id, start_date + 90, 30000 FROM projects
UNION ALL
SELECT id, start_date + 180, 10000 FROM projects;

CREATE TEMP TABLE demo_signed ON COMMIT DROP AS
SELECT DISTINCT ON (household_id) household_id, at FROM status_events
 WHERE household_id IS NOT NULL AND to_status = 'signed'
 ORDER BY household_id, at DESC;

INSERT INTO agreements (household_id, project_id, yuan, signed_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan)
SELECT h.id, b.project_id, c.total_yuan, d.at, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  LEFT JOIN demo_signed s ON s.household_id = h.id,
       LATERAL (SELECT coalesce(s.at, h.status_at, now()) AS at,
                       (coalesce(s.at, h.status_at, now()) AT TIME ZONE 'Asia/Shanghai')::date AS day) d,
       LATERAL compensation(h.id, d.day) c
 WHERE h.status >= 'signed';

-- Paid monthly: the batch of a month pays those who signed in the month before.
CREATE TEMP TABLE demo_paid ON COMMIT DROP AS
SELECT a.household_id, a.project_id, a.yuan,
       (date_trunc('month', a.signed_at AT TIME ZONE 'Asia/Shanghai') + interval '1 month')::date AS month
  FROM agreements a
 WHERE a.signed_at < (current_setting('onemap.as_of')::date - 30)
   AND a.household_id % 6 <> 0 AND a.yuan > 0;
DELETE FROM demo_paid WHERE month + 10 >= current_setting('onemap.as_of')::date;

CREATE TEMP TABLE demo_chain ON COMMIT DROP AS
SELECT p.id AS project_id, c.id AS chain_id, (SELECT max(position) FROM approval_steps s WHERE s.chain_id = c.id) AS steps
  FROM projects p, LATERAL (SELECT approval_chain_in_force(p.id) AS id) c;

INSERT INTO payment_batches (project_id, chain_id, status, note, yuan, payments, steps_taken, submitted_at, paid_at)
SELECT d.project_id, c.chain_id, 'paid', to_char(d.month, 'YYYY"年"MM"月"') || '补偿款', sum(d.yuan), count(*), c.steps,
       d.month + 2, d.month + 10
  FROM demo_paid d JOIN demo_chain c ON c.project_id = d.project_id
 GROUP BY d.project_id, d.month, c.chain_id, c.steps ORDER BY d.project_id, d.month;

-- The submission (step 0) and the chain's steps, spread evenly from submitting to paying.
INSERT INTO batch_steps (batch_id, position, at)
SELECT b.id, s.position, b.submitted_at + (b.paid_at - b.submitted_at) * s.position / b.steps_taken
  FROM payment_batches b, generate_series(0, b.steps_taken) s (position)
 WHERE NOT EXISTS (SELECT 1 FROM batch_steps t WHERE t.batch_id = b.id)
 ORDER BY b.id, s.position;

INSERT INTO payments (batch_id, household_id, yuan, idempotency_key, created_at)
SELECT b.id, d.household_id, d.yuan, 'demo-payment-' || d.household_id, d.month + 2
  FROM demo_paid d JOIN payment_batches b ON b.project_id = d.project_id AND b.submitted_at = d.month + 2
 ORDER BY b.id, d.household_id;

UPDATE agreements a SET committed_yuan = a.yuan, paid_yuan = a.yuan FROM demo_paid d WHERE d.household_id = a.household_id;

-- Allocations: the whole budget before the signing gate (补偿费用足额到位, the gate signing needs)
-- for projects past it, 40 % at the start for the others; then what the payments needed beyond
-- it plus a margin.
CREATE TEMP TABLE demo_first_allocation ON COMMIT DROP AS
SELECT p.id AS project_id,
       CASE WHEN g.actual_end IS NOT NULL THEN ceil(p.budget_yuan / 10000) * 10000 ELSE round(p.budget_yuan * 0.4, -4) END AS yuan,
       CASE WHEN g.actual_end IS NOT NULL THEN g.actual_end - 10 ELSE p.start_date + 15 END AS received_on,
       CASE WHEN g.actual_end IS NOT NULL THEN '征收补偿资金足额拨付' ELSE '首期征收补偿资金' END AS note
  FROM projects p
  LEFT JOIN project_steps_due g ON g.project_id = p.id AND g.opens = 'signing' AND g.state = 'done'
 WHERE p.budget_yuan > 0;
INSERT INTO fund_allocations (project_id, yuan, received_on, note)
SELECT project_id, yuan, received_on, note FROM demo_first_allocation ORDER BY project_id;
INSERT INTO fund_allocations (project_id, yuan, received_on, note)
SELECT p.id, ceil((paid.yuan * (1.02 + (p.id % 4) * 0.05) - f.yuan) / 10000) * 10000,
       greatest(f.received_on + 1, current_setting('onemap.as_of')::date - 20), '追加拨付'
  FROM projects p JOIN (SELECT project_id, sum(yuan) AS yuan FROM demo_paid GROUP BY project_id) paid ON paid.project_id = p.id
  JOIN demo_first_allocation f ON f.project_id = p.id
 WHERE paid.yuan * (1.02 + (p.id % 4) * 0.05) > f.yuan;

UPDATE project_funds f SET committed_yuan = s.yuan, paid_yuan = s.yuan
  FROM (SELECT project_id, sum(yuan) AS yuan FROM demo_paid GROUP BY project_id) s WHERE s.project_id = f.project_id;

ALTER TABLE agreements ENABLE TRIGGER USER;
ALTER TABLE project_funds ENABLE TRIGGER USER;
ALTER TABLE payments ENABLE TRIGGER USER;
ALTER TABLE payment_batches ENABLE TRIGGER USER;
ALTER TABLE batch_steps ENABLE TRIGGER USER;

-- 九公开: what a published project puts before the public.
INSERT INTO disclosures (project_id, kind, title, body, published_at)
SELECT p.id, 'overview', p.name || '概况',
       format('%s位于%s，%s。项目于%s启动，计划%s前完成。范围内共有房屋%s栋、被征收户%s户，登记建筑面积%s平方米，征收补偿预算%s万元。',
              p.name, r.name,
              CASE p.kind WHEN 'house_expropriation' THEN '属国有土地上房屋征收项目'
                          WHEN 'land_acquisition' THEN '属集体土地征收项目'
                          WHEN 'shantytown' THEN '属棚户区改造项目'
                          ELSE '属土地整理储备项目' END,
              to_char(p.start_date, 'YYYY年MM月DD日'), to_char(p.target_date, 'YYYY年MM月DD日'),
              f.buildings, f.households, to_char(f.floor_area, 'FM999999990.00'), to_char(p.budget_yuan / 10000, 'FM99999990')),
       p.start_date::timestamptz
  FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id
 WHERE p.published;

INSERT INTO disclosures (project_id, kind, title, body, published_at)
SELECT p.id, 'policy', '征收政策依据',
       CASE WHEN p.kind = 'land_acquisition'
            THEN '依据《中华人民共和国土地管理法》《中华人民共和国土地管理法实施条例》及省、市集体土地征收补偿安置办法实施。征收土地预公告、补偿安置方案、补偿登记结果依法公示，被征收人有权陈述、申辩和申请听证。'
            ELSE '依据《国有土地上房屋征收与补偿条例》（国务院令第590号）及本市国有土地上房屋征收与补偿实施办法实施。征收决定、补偿方案、分户补偿结果依法公开，被征收人对征收决定不服的，可以依法申请行政复议或提起行政诉讼。' END,
       p.start_date::timestamptz
  FROM projects p WHERE p.published;

INSERT INTO disclosures (project_id, kind, title, body, published_at)
SELECT p.id, 'compensation_plan', '征收补偿方案',
       format(E'一、房屋补偿：合法住宅每平方米%s元，商业每平方米%s元，工业每平方米%s元，公共用房每平方米%s元，混合用途每平方米%s元；违法建筑不予补偿。\n二、搬迁补助：每户%s元。\n三、临时安置补助：按登记建筑面积每月每平方米%s元，计%s个月。\n四、签约奖励：%s前签约的每户奖励%s元，%s前签约的每户奖励%s元。\n五、被征收人可选择货币补偿或产权调换。',
              max(r.yuan_per_m2) FILTER (WHERE r.use = 'residential' AND r.legality = 'legal'),
              max(r.yuan_per_m2) FILTER (WHERE r.use = 'commercial' AND r.legality = 'legal'),
              max(r.yuan_per_m2) FILTER (WHERE r.use = 'industrial' AND r.legality = 'legal'),
              max(r.yuan_per_m2) FILTER (WHERE r.use = 'public' AND r.legality = 'legal'),
              max(r.yuan_per_m2) FILTER (WHERE r.use = 'mixed' AND r.legality = 'legal'),
              s.relocation_yuan, s.transition_yuan_per_m2_month, s.transition_months,
              to_char(p.start_date + 90, 'YYYY年MM月DD日'), 30000, to_char(p.start_date + 180, 'YYYY年MM月DD日'), 10000),
       p.start_date::timestamptz
  FROM projects p JOIN compensation_standards s ON s.project_id = p.id JOIN compensation_rates r ON r.project_id = p.id
 WHERE p.published
 GROUP BY p.id, s.project_id;

INSERT INTO disclosures (project_id, kind, title, body, published_at)
SELECT p.id, 'announcement', a.title, format(a.body, p.name, to_char(d.day, 'YYYY年MM月DD日')), d.day::timestamptz
  FROM projects p
  JOIN project_steps_due g ON g.project_id = p.id AND g.opens = 'signing' AND g.state = 'done',
       (VALUES ('征收决定公告', '%s征收决定已作出，自%s起施行。请被征收人配合调查登记。', 0),
               ('分户调查结果公示', '%s分户调查登记结果已于%s公示，如有异议请在公示期内提出。', 30)) a (title, body, days),
       LATERAL (SELECT g.actual_end + a.days AS day) d
 WHERE p.published AND d.day <= current_setting('onemap.as_of')::date;

-- Objections of a few residents of published projects, every other one answered.
INSERT INTO objections (household_id, ticket, body, status, created_at, answer, answered_at)
-- tickets from the alphabet of residents::TICKET_ALPHABET (no 0/O, 1/I/L look-alikes)
SELECT h.id, (SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + floor(random() * 31)::integer, 1), '')
                FROM generate_series(1, 16) WHERE h.id IS NOT NULL),
       (ARRAY['对登记建筑面积有异议，申请重新测量。', '对房屋用途认定有异议。', '申请核实家庭人口，以便计算临时安置补助。'])[1 + h.id % 3],
       CASE WHEN h.id % 2 = 0 THEN 'answered'::objection_status ELSE 'open' END,
       coalesce(h.status_at, now()) - interval '3 days',
       CASE WHEN h.id % 2 = 0 THEN '经复核，登记结果符合测绘报告，维持原登记。如仍有异议，可申请行政复议。' END,
       CASE WHEN h.id % 2 = 0 THEN coalesce(h.status_at, now()) END
  FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
 WHERE p.published AND h.status >= 'surveyed' AND h.id % 211 = 0;
