-- "Wake a drainer" enqueue for triggers: a job that drains a work queue (rows flagged by the
-- application) is needed only when none of its kind is waiting. A unique key would be wrong here: it
-- also counts the job that is running, and rows flagged after that job's last look would then wait
-- for the next reconcile. Two transactions racing may both insert; the second job then finds little or
-- nothing to do, which is cheap, so no lock is taken (a lock would serialise every inserting
-- transaction until it commits).
CREATE FUNCTION tributary.enqueue_job_if_idle(
  kind         text,
  args         jsonb   DEFAULT '{}'::jsonb,
  queue        text    DEFAULT 'default',
  priority     integer DEFAULT 0,
  max_attempts integer DEFAULT 20)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT j.id INTO v_id FROM tributary.jobs j
   WHERE j.kind = enqueue_job_if_idle.kind
     AND j.queue = coalesce(enqueue_job_if_idle.queue, 'default')
     AND j.state = 'available'
   LIMIT 1;
  IF v_id IS NOT NULL THEN
    RETURN v_id;
  END IF;
  SELECT e.job_id INTO v_id
    FROM tributary.enqueue_job(enqueue_job_if_idle.kind, enqueue_job_if_idle.args, enqueue_job_if_idle.queue,
                               enqueue_job_if_idle.priority, now(), enqueue_job_if_idle.max_attempts, NULL) e;
  RETURN v_id;
END;
$$;

COMMENT ON FUNCTION tributary.enqueue_job_if_idle(text, jsonb, text, integer, integer) IS
  'Enqueue a job of this kind unless one is already waiting (available) in the queue; a running one does not count.';
