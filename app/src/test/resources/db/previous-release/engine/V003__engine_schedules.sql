-- Named cron schedules. next_fire_at is the next tick still to fire; a node that finds it in the past
-- fires the latest due tick once and moves next_fire_at past now, so ticks missed while every node was
-- down fire once, not once per missed tick.
CREATE TABLE tributary.schedules (
  name          text        PRIMARY KEY CHECK (name <> ''),
  cron          text        NOT NULL,
  time_zone     text        NOT NULL DEFAULT 'UTC',
  kind          text        NOT NULL CHECK (kind <> ''),
  args          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  queue         text        NOT NULL DEFAULT 'default',
  priority      smallint    NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 9),
  max_attempts  integer     NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
  enabled       boolean     NOT NULL DEFAULT true,
  next_fire_at  timestamptz,
  last_fired_at timestamptz,
  last_job_id   bigint,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_due_idx ON tributary.schedules (next_fire_at) WHERE enabled;

-- One row per fired tick: the primary key is what makes a tick fire once across any number of nodes.
CREATE TABLE tributary.schedule_fires (
  schedule_name text        NOT NULL REFERENCES tributary.schedules (name) ON DELETE CASCADE,
  fire_time     timestamptz NOT NULL,
  job_id        bigint,
  fired_by      text        NOT NULL,
  fired_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schedule_name, fire_time)
);
