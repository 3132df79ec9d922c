-- Job kinds switched off. While a kind has a row here no node claims its jobs (they wait, they are
-- not lost); every node sees a change at its next claim. Applications wire their own flags onto it
-- (the seed's worker_feature_flags_v2 does, through a trigger in the app's migrations).
CREATE TABLE tributary.disabled_kinds (
  kind        text        PRIMARY KEY CHECK (kind <> ''),
  disabled_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE tributary.disabled_kinds IS 'Job kinds no node claims until they are enabled again.';

-- Switches a kind on or off. Switching on wakes every node's queues (jobs of the kind may be waiting).
-- Returns whether anything changed.
CREATE FUNCTION tributary.set_kind_enabled(kind text, enabled boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  touched integer;
BEGIN
  IF enabled THEN
    DELETE FROM tributary.disabled_kinds d WHERE d.kind = $1;
    GET DIAGNOSTICS touched = ROW_COUNT;
    IF touched > 0 THEN
      PERFORM pg_notify('tributary_jobs', '*');
    END IF;
  ELSE
    INSERT INTO tributary.disabled_kinds (kind) VALUES ($1) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS touched = ROW_COUNT;
  END IF;
  RETURN touched > 0;
END;
$$;
