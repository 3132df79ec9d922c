-- Enqueue from SQL, e.g. in a trigger, inside the caller's transaction (graphile-worker's add_job).
-- The Java enqueue calls this same function for single jobs, so both agree on defaults and dedup:
--   * unique_key: while a live job (available or running) holds the key, nothing is inserted and the
--     live job's id comes back with inserted = false;
--   * a job due now wakes the engines with pg_notify('tributary_jobs', queue), delivered on commit;
--     Postgres folds identical notifications of one transaction into one, so a bulk insert wakes once.
CREATE FUNCTION tributary.enqueue_job(
  kind         text,
  args         jsonb       DEFAULT '{}'::jsonb,
  queue        text        DEFAULT 'default',
  priority     integer     DEFAULT 0,
  run_at       timestamptz DEFAULT now(),
  max_attempts integer     DEFAULT 20,
  unique_key   text        DEFAULT NULL,
  OUT job_id   bigint,
  OUT inserted boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_kind  text        := enqueue_job.kind;
  v_queue text        := coalesce(enqueue_job.queue, 'default');
  v_run   timestamptz := coalesce(enqueue_job.run_at, now());
  v_key   text        := enqueue_job.unique_key;
BEGIN
  IF v_kind IS NULL OR v_kind = '' THEN
    RAISE EXCEPTION 'tributary.enqueue_job: kind must not be empty' USING ERRCODE = '22023';
  END IF;
  -- the loop covers the race where the live job holding the key finishes between our insert attempt
  -- and our look-up of it: then the key is free again and the next insert succeeds
  FOR i IN 1..5 LOOP
    INSERT INTO tributary.jobs AS j (kind, args, queue, priority, run_at, max_attempts, unique_key)
    VALUES (v_kind, coalesce(enqueue_job.args, '{}'::jsonb), v_queue,
            coalesce(enqueue_job.priority, 0), v_run, coalesce(enqueue_job.max_attempts, 20), v_key)
    ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'running') DO NOTHING
    RETURNING j.id INTO job_id;
    IF job_id IS NOT NULL THEN
      inserted := true;
      IF v_run <= now() THEN
        PERFORM pg_notify('tributary_jobs', v_queue);
      END IF;
      RETURN;
    END IF;
    SELECT j.id INTO job_id FROM tributary.jobs j
     WHERE j.unique_key = v_key AND j.state IN ('available', 'running');
    IF job_id IS NOT NULL THEN
      inserted := false;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'tributary.enqueue_job: unique key % kept changing hands', v_key USING ERRCODE = '40001';
END;
$$;

COMMENT ON FUNCTION tributary.enqueue_job(text, jsonb, text, integer, timestamptz, integer, text) IS
  'Enqueue a job in the caller''s transaction; with a unique_key a second enqueue while one is live is a no-op (inserted = false).';
