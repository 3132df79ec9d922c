-- The seed's cron functions (S1.6) on the engine, and this deployment's public URL for seed SQL that
-- builds function URLs from get_supabase_url().

-- Values a node writes at start-up for SQL to read (today: public_url = TRIBUTARY_PUBLIC_URL).
CREATE TABLE tributary_settings (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION get_supabase_url() RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  v text;
BEGIN
  SELECT value INTO v FROM tributary_settings WHERE name = 'public_url';
  IF v IS NULL THEN
    RAISE EXCEPTION 'no public URL known yet: a Tributary node writes TRIBUTARY_PUBLIC_URL here when it starts';
  END IF;
  RETURN v;
END;
$$;

-- The weekly profile sync, enqueued now (once: a second call while one is queued or running returns
-- the same job). Returns the job id.
CREATE FUNCTION trigger_profile_sync() RETURNS bigint LANGUAGE sql AS $$
  SELECT e.job_id
    FROM tributary.enqueue_job('profile_sync',
                               '{"max_profiles": 50, "generate_embeddings": true, "classify_hooks": true}'::jsonb,
                               'sync', 0, now(), 3, 'trigger_profile_sync') e
$$;

-- The monthly style refresh of internal profiles (S1.8), enqueued now, once. Returns the job id.
CREATE FUNCTION trigger_monthly_style_refresh() RETURNS bigint LANGUAGE sql AS $$
  SELECT e.job_id
    FROM tributary.enqueue_job('style_refresh', '{}'::jsonb, 'cascade', 0, now(), 20,
                               'trigger_monthly_style_refresh') e
$$;
