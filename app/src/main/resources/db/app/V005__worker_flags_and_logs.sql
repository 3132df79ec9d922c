-- The seed's worker feature flags and execution logs (S1.2-S1.4), kept under their seed names in the
-- public schema so that SQL written against the original system keeps working.

CREATE TABLE public.worker_feature_flags_v2 (
  worker_name text        PRIMARY KEY,
  is_enabled  boolean     NOT NULL DEFAULT true,
  description text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO public.worker_feature_flags_v2 (worker_name, description) VALUES
  ('worker_extract_hooks_v2',       'Extraction hooks'),
  ('worker_generate_embeddings_v2', 'Embeddings'),
  ('worker_classify_hooks_v2',      'Classification hooks'),
  ('worker_classify_topics_v2',     'Classification topics'),
  ('worker_classify_audiences_v2',  'Classification audiences'),
  ('worker_complete_profiles_v2',   'Complétion profils');

CREATE TABLE public.task_execution_logs_v2 (
  id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  worker_name     text        NOT NULL,
  status          text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  started_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz,
  duration_ms     bigint,
  items_processed integer     NOT NULL DEFAULT 0,
  items_failed    integer     NOT NULL DEFAULT 0,
  result          jsonb,
  error_message   text,
  -- the engine job this run belongs to, when it was run by the engine (no foreign key: jobs are pruned)
  job_id          bigint,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_execution_logs_v2_worker_idx ON public.task_execution_logs_v2 (worker_name, started_at DESC);
CREATE INDEX task_execution_logs_v2_created_idx ON public.task_execution_logs_v2 (created_at);
CREATE INDEX task_execution_logs_v2_running_idx ON public.task_execution_logs_v2 (started_at) WHERE status = 'running';

-- A worker missing from the table is enabled: only an explicit is_enabled = false stops it. The
-- engine's claim applies the same rule.
CREATE FUNCTION public.is_worker_enabled(worker_name text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT f.is_enabled FROM public.worker_feature_flags_v2 f WHERE f.worker_name = $1), true)
$$;

CREATE FUNCTION public.log_worker_start(worker_name text, job_id bigint DEFAULT NULL) RETURNS uuid
LANGUAGE sql AS $$
  INSERT INTO public.task_execution_logs_v2 (worker_name, status, started_at, job_id)
  VALUES ($1, 'running', now(), $2)
  RETURNING id
$$;

-- Closes a run: status 'completed' or 'failed', duration from started_at. Returns false when the log
-- id is unknown.
CREATE FUNCTION public.log_worker_end(
  log_id          uuid,
  status          text,
  items_processed integer,
  items_failed    integer DEFAULT 0,
  result          jsonb   DEFAULT NULL,
  error_message   text    DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  touched integer;
BEGIN
  IF $2 NOT IN ('completed', 'failed') THEN
    RAISE EXCEPTION 'log_worker_end: status must be completed or failed, got %', $2 USING ERRCODE = '22023';
  END IF;
  UPDATE public.task_execution_logs_v2 l
     SET status = $2,
         completed_at = clock_timestamp(),
         duration_ms = greatest(0, (extract(epoch FROM clock_timestamp() - l.started_at) * 1000)::bigint),
         items_processed = coalesce($3, 0),
         items_failed = coalesce($4, 0),
         result = $5,
         error_message = $6
   WHERE l.id = $1;
  GET DIAGNOSTICS touched = ROW_COUNT;
  RETURN touched > 0;
END;
$$;

-- Deletes execution logs older than the retention (default 30 days); returns how many went.
CREATE FUNCTION public.cleanup_old_worker_logs_v2(retention interval DEFAULT interval '30 days') RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  deleted integer;
BEGIN
  DELETE FROM public.task_execution_logs_v2 WHERE created_at < now() - $1;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END;
$$;
