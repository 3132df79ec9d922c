-- Cluster-wide rate limits for external providers (issue 4: the LinkedIn provider's plan). Every node
-- asks here before each call, so the limit holds for the cluster, not per node. The rule is a sliding
-- window: at most `limit` call starts in any interval of `interval`, which keeps within the plan
-- whether the provider counts in fixed or sliding windows (a fixed-window counter lets up to twice the
-- limit through across a window boundary). A row keeps the start times granted within the last
-- interval, oldest first, at most `limit` of them; the row lock serialises nodes for the few
-- microseconds of the update. Times come from the database clock, which every node shares.
CREATE TABLE provider_rate_limits (
  name       text          PRIMARY KEY CHECK (name <> ''),
  starts     timestamptz[] NOT NULL DEFAULT '{}',
  updated_at timestamptz   NOT NULL DEFAULT now()
);

-- Takes a permit for one call of `p_name` under "at most p_limit starts per p_interval". Returns 0
-- when granted (the call may start now; the start is recorded), else the seconds until a permit frees
-- (nothing is recorded: ask again after that long).
CREATE FUNCTION take_rate_limit_permit(p_name text, p_limit integer, p_interval interval)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
  t     timestamptz;
  kept  timestamptz[];
  n     integer;
BEGIN
  IF p_limit IS NULL OR p_limit < 1 OR p_interval IS NULL OR p_interval <= interval '0' THEN
    RAISE EXCEPTION 'rate limit needs a positive limit and interval, got % per %', p_limit, p_interval
      USING ERRCODE = '22023';
  END IF;
  INSERT INTO provider_rate_limits (name) VALUES (p_name) ON CONFLICT (name) DO NOTHING;
  PERFORM 1 FROM provider_rate_limits WHERE name = p_name FOR UPDATE;
  t := clock_timestamp(); -- after the lock: time spent waiting for another node must not count
  SELECT coalesce(array_agg(s ORDER BY s), '{}') INTO kept
    FROM provider_rate_limits r, unnest(r.starts) AS s
   WHERE r.name = p_name AND s > t - p_interval;
  n := cardinality(kept);
  IF n >= p_limit THEN
    -- the (n - limit + 1)-th oldest start must leave the window before one more fits
    RETURN greatest(extract(epoch FROM kept[n - p_limit + 1] + p_interval - t), 0.001);
  END IF;
  UPDATE provider_rate_limits SET starts = kept || t, updated_at = t WHERE name = p_name;
  RETURN 0;
END;
$$;

COMMENT ON FUNCTION take_rate_limit_permit(text, integer, interval) IS
  '0 = permit granted for one call start now; otherwise seconds to wait before asking again (sliding window, cluster-wide).';
