-- The PostGraphile side of the comparison (issue #22): what PostGraphile 4.14.1 exposes.
--
-- Everything lives in the schema bench_pg, never in the portal's schema: read-only views over
-- the portal's tables (only the columns the two screens read), smart comments giving them the
-- primary and foreign keys PostGraphile needs for relations, and the few computed values the
-- portal computes in Python (verified quantity, progress, pace, pending count, ...) as STABLE
-- SQL functions. PostGraphile requires a computed column to sit in the schema of its table,
-- hence the views. `bench/postgraphile/serve.sh` applies this file (idempotent) and serves
-- only bench_pg; dropping the schema removes every trace:
--   DROP SCHEMA bench_pg CASCADE;
-- The rules mirror portal/performance/planning/services/progress.py, portal/performance/sql.py,
-- portal/people/sql.py (subordinates, acting appointments), portal/mentoring/service.py,
-- portal/notifications/service.py and portal/feedback (unread counts).

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_pg CASCADE;
CREATE SCHEMA bench_pg;

CREATE VIEW bench_pg.employee AS
  SELECT id, name, jabatan_name, supervisor FROM public.employee;
COMMENT ON VIEW bench_pg.employee IS
  E'@primaryKey id\n@foreignKey (supervisor) references bench_pg.employee (id)';

CREATE VIEW bench_pg.period AS
  SELECT id, starts_on, ends_on FROM public.period;
COMMENT ON VIEW bench_pg.period IS E'@primaryKey id';

CREATE VIEW bench_pg.skp AS
  SELECT id, employee, period, status, served_until FROM public.skp;
COMMENT ON VIEW bench_pg.skp IS
  E'@primaryKey id\n@foreignKey (employee) references bench_pg.employee (id)\n'
  '@foreignKey (period) references bench_pg.period (id)';

CREATE VIEW bench_pg.rhk AS
  SELECT id, skp, kind, position FROM public.rhk;
COMMENT ON VIEW bench_pg.rhk IS
  E'@primaryKey id\n@foreignKey (skp) references bench_pg.skp (id)';

CREATE VIEW bench_pg.indicator AS
  SELECT id, rhk, skp, aspect, description, target_value, unit, position FROM public.indicator;
COMMENT ON VIEW bench_pg.indicator IS
  E'@primaryKey id\n@foreignKey (skp) references bench_pg.skp (id)\n'
  '@foreignKey (rhk) references bench_pg.rhk (id)';

CREATE VIEW bench_pg.mentoring_alert AS
  SELECT id, employee, status, reasons, raised_at, action FROM public.mentoring_alert;
COMMENT ON VIEW bench_pg.mentoring_alert IS
  E'@primaryKey id\n@foreignKey (employee) references bench_pg.employee (id)';

CREATE VIEW bench_pg.feedback_thread AS
  SELECT id, employee, opened_by, topic, kind, status, last_message_at FROM public.feedback_thread;
COMMENT ON VIEW bench_pg.feedback_thread IS
  E'@primaryKey id\n@foreignKey (employee) references bench_pg.employee (id)\n'
  '@foreignKey (opened_by) references bench_pg.employee (id)';

-- ---------------------------------------------------------------------------------------
-- Team overview (SupervisorDashboard.teamProgress)
-- ---------------------------------------------------------------------------------------

-- the active SKP of an annual period (progress.py: skps_for_employees)
CREATE FUNCTION bench_pg.employee_active_skp(e bench_pg.employee, period_id int)
RETURNS bench_pg.skp LANGUAGE sql STABLE AS $$
  SELECT s.* FROM bench_pg.skp s
  WHERE s.employee = e.id AND s.period = period_id AND s.served_until IS NULL
$$;

-- activities awaiting verification, all dates (sql.pending_counts)
CREATE FUNCTION bench_pg.employee_pending_verification_count(e bench_pg.employee)
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM public.activity a WHERE a.employee = e.id AND a.status = 'SUBMITTED'
$$;

-- the latest activity date but withdrawn ones (sql.last_activity_dates)
CREATE FUNCTION bench_pg.employee_last_activity_date(e bench_pg.employee)
RETURNS date LANGUAGE sql STABLE AS $$
  SELECT max(a.activity_date) FROM public.activity a
  WHERE a.employee = e.id AND a.status <> 'WITHDRAWN'
$$;

-- An indicator's progress over the window from_date..to_date in one call (one sum over the
-- activity index; progress.tallies and progress.indicator_progress): the verified quantity,
-- verified quantity / target for KUANTITAS indicators with a target (rules.progress_ratio),
-- the share of the SKP's year elapsed at to_date clamped to [0, 1] (rules.expected_pace), and
-- whether the progress trails that pace.
CREATE TYPE bench_pg.progress AS (
  verified_quantity float8, progress float8, expected_pace float8, behind_pace boolean
);

CREATE FUNCTION bench_pg.indicator_progress(i bench_pg.indicator, from_date date, to_date date)
RETURNS bench_pg.progress LANGUAGE sql STABLE AS $$
  SELECT t.vq, t.ratio, t.pace, coalesce(t.ratio < t.pace, false)
  FROM (
    SELECT q.vq,
      CASE WHEN i.aspect = 'KUANTITAS' AND i.target_value > 0 THEN q.vq / i.target_value END
        AS ratio,
      least(greatest((to_date - p.starts_on + 1)::float8 / (p.ends_on - p.starts_on + 1), 0), 1)
        AS pace
    FROM (
      -- the window as a FILTER, not in WHERE: the function's generic plan would otherwise AND
      -- the indicator index with a scan of the whole year on the activity_date index
      SELECT coalesce(sum(a.quantity)
          FILTER (WHERE a.activity_date >= from_date AND a.activity_date <= to_date), 0)::float8
        AS vq
      FROM public.activity a WHERE a.indicator = i.id AND a.status = 'VERIFIED'
    ) q, public.skp s JOIN public.period p ON p.id = s.period
    WHERE s.id = i.skp
  ) t
$$;

-- the SKP's mean progress over the indicators that have one and the number behind pace
-- (TeamMember.average_progress, indicators_behind)
CREATE TYPE bench_pg.skp_summary AS (average_progress float8, indicators_behind int);

CREATE FUNCTION bench_pg.skp_summary(s bench_pg.skp, from_date date, to_date date)
RETURNS bench_pg.skp_summary LANGUAGE sql STABLE AS $$
  SELECT avg(p.progress), (count(*) FILTER (WHERE p.behind_pace))::int
  FROM bench_pg.indicator i CROSS JOIN LATERAL bench_pg.indicator_progress(i, from_date, to_date) p
  WHERE i.skp = s.id
$$;

-- ---------------------------------------------------------------------------------------
-- Alerts and counts (SupervisorDashboard, EmployeeHome)
-- ---------------------------------------------------------------------------------------

-- open alerts about every direct and indirect subordinate, also of the principals the
-- supervisor acts for (Plt/Plh) on `on_date`, newest first (mentoring list_alerts, SCORES)
-- Not inlined (the SET clause sees to that): inlined, the recursive query's row estimates put
-- PostGraphile's statement (which names the function three times: page, hasNextPage,
-- totalCount) above jit_above_cost, and JIT compiling cost 3-4 s per request on the shared
-- 600-employee city against 70 ms without.
CREATE FUNCTION bench_pg.open_alerts_under(supervisor_id int, on_date date)
RETURNS SETOF bench_pg.mentoring_alert LANGUAGE sql STABLE ROWS 20 SET jit = off AS $$
  WITH RECURSIVE sub(id) AS (
    SELECT id FROM public.employee WHERE supervisor = supervisor_id OR supervisor IN (
      SELECT principal FROM public.acting_appointment WHERE acting = supervisor_id
        AND starts_on <= on_date AND ends_on >= on_date AND revoked_at IS NULL)
    UNION
    SELECT e.id FROM sub CROSS JOIN LATERAL
      (SELECT id FROM public.employee WHERE supervisor = sub.id OFFSET 0) e
  )
  SELECT m.* FROM bench_pg.mentoring_alert m
  WHERE m.status = 'OPEN' AND m.employee IN (SELECT id FROM sub WHERE id <> supervisor_id)
  ORDER BY m.id DESC
$$;

-- support offered to an employee (mentoring my_support_offers), newest first
CREATE FUNCTION bench_pg.employee_support_offers(e bench_pg.employee)
RETURNS SETOF bench_pg.mentoring_alert LANGUAGE sql STABLE AS $$
  SELECT m.* FROM bench_pg.mentoring_alert m
  WHERE m.employee = e.id AND m.status <> 'DISMISSED' ORDER BY m.id DESC
$$;

CREATE FUNCTION bench_pg.unread_notification_count(account_id int)
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM public.notification n WHERE n.account = account_id AND n.read_at IS NULL
$$;

-- ---------------------------------------------------------------------------------------
-- Feedback (EmployeeHome: unreadFeedbackCount, feedbackThreads)
-- ---------------------------------------------------------------------------------------

-- the threads an employee follows: about them or a direct report, opened or written by them,
-- newest first (feedback service inbox_thread_ids, list_threads)
CREATE FUNCTION bench_pg.feedback_inbox(employee_id int)
RETURNS SETOF bench_pg.feedback_thread LANGUAGE sql STABLE ROWS 20 SET jit = off AS $$
  SELECT t.* FROM bench_pg.feedback_thread t WHERE t.id IN (
    SELECT f.id FROM public.feedback_thread f LEFT JOIN public.employee e ON e.id = f.employee
    WHERE f.employee = employee_id OR f.opened_by = employee_id OR e.supervisor = employee_id
    UNION SELECT m.thread FROM public.feedback_message m WHERE m.author = employee_id)
  ORDER BY t.id DESC
$$;

-- messages by others after the reader's last read one (feedback sql.unread_counts)
CREATE FUNCTION bench_pg.feedback_thread_unread_count(t bench_pg.feedback_thread, reader int)
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM public.feedback_message m
  LEFT JOIN public.thread_read_state r ON r.thread = m.thread AND r.employee = reader
  WHERE m.thread = t.id AND m.id > coalesce(r.last_read_message_id, 0)
    AND (m.author IS NULL OR m.author <> reader)
$$;

CREATE FUNCTION bench_pg.unread_feedback_count(employee_id int)
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(bench_pg.feedback_thread_unread_count(t, employee_id)), 0)::int
  FROM bench_pg.feedback_inbox(employee_id) t
$$;
