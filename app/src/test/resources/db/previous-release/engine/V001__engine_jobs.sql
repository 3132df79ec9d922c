-- The engine's own schema. Everything the engine needs to coordinate nodes lives here; the only
-- objects it owns outside it are the seed's worker flags and execution logs (V005).
CREATE SCHEMA IF NOT EXISTS tributary;

-- One row per job. A job moves available -> running -> completed | dead | cancelled; a failed attempt
-- with attempts left goes back to available with a later run_at (so "scheduled" and "retryable" are
-- simply available rows whose run_at is in the future).
CREATE TABLE tributary.jobs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text        NOT NULL CHECK (kind <> ''),
  queue        text        NOT NULL DEFAULT 'default' CHECK (queue <> ''),
  args         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  -- 0 runs first (Oban's convention); 9 is the least urgent
  priority     smallint    NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 9),
  state        text        NOT NULL DEFAULT 'available'
                 CHECK (state IN ('available', 'running', 'completed', 'dead', 'cancelled')),
  attempt      integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts integer     NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
  run_at       timestamptz NOT NULL DEFAULT now(),
  unique_key   text,
  locked_by    text,
  lease_until  timestamptz,
  attempted_at timestamptz,
  finished_at  timestamptz,
  last_error   text,
  -- the last few errors, newest last: [{attempt, at, error}]
  errors       jsonb       NOT NULL DEFAULT '[]'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT jobs_running_has_lease CHECK (state <> 'running' OR (locked_by IS NOT NULL AND lease_until IS NOT NULL))
);

-- The claim reads only this partial index, so finished rows never slow it down.
CREATE INDEX jobs_fetch_idx ON tributary.jobs (queue, priority, run_at, id) WHERE state = 'available';
-- Dedup: at most one live job per unique key (a finished or dead job frees its key).
CREATE UNIQUE INDEX jobs_unique_key_idx ON tributary.jobs (unique_key)
  WHERE unique_key IS NOT NULL AND state IN ('available', 'running');
-- The reaper looks for expired leases.
CREATE INDEX jobs_lease_idx ON tributary.jobs (lease_until) WHERE state = 'running';
-- Pruning and the dead-job listing.
CREATE INDEX jobs_finished_idx ON tributary.jobs (state, finished_at) WHERE state IN ('completed', 'dead', 'cancelled');

COMMENT ON TABLE tributary.jobs IS 'Durable jobs of the Tributary engine (claim with FOR UPDATE SKIP LOCKED, leases, retries, dead letters).';
