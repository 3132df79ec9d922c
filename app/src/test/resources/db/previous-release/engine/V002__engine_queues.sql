-- Cluster-wide queue settings. A queue without a row has the defaults (running, no rate limit).
-- The rate limit is a fixed window: at most rate_limit job starts per window of rate_interval_ms,
-- counted across all nodes in window_count (window_index = floor(epoch_ms / rate_interval_ms)).
CREATE TABLE tributary.queues (
  name             text        PRIMARY KEY CHECK (name <> ''),
  paused           boolean     NOT NULL DEFAULT false,
  rate_limit       integer     CHECK (rate_limit > 0),
  rate_interval_ms bigint      CHECK (rate_interval_ms > 0),
  window_index     bigint      NOT NULL DEFAULT 0,
  window_count     integer     NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT queues_rate_limit_complete CHECK ((rate_limit IS NULL) = (rate_interval_ms IS NULL))
);

-- Leases held by one node at a time (the maintenance leader).
CREATE TABLE tributary.leases (
  name       text        PRIMARY KEY,
  holder     text        NOT NULL,
  expires_at timestamptz NOT NULL
);
