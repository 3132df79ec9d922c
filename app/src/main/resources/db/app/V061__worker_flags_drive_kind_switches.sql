-- The seed's worker flags (V005) drive the engine's kind switches (engine V060): a worker whose
-- is_enabled is false is a disabled job kind, so no node claims its jobs. The flag table stays the
-- seed's interface (is_worker_enabled, the orchestrator, plain SQL updates); this trigger keeps the
-- engine's table in step on every insert, update and delete. A worker without a row is enabled.

CREATE FUNCTION public.worker_flag_to_kind_switch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.worker_name <> NEW.worker_name) THEN
    PERFORM tributary.set_kind_enabled(OLD.worker_name, true);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tributary.set_kind_enabled(NEW.worker_name, NEW.is_enabled);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER worker_feature_flags_v2_kind_switch
  AFTER INSERT OR UPDATE OF worker_name, is_enabled OR DELETE ON public.worker_feature_flags_v2
  FOR EACH ROW EXECUTE FUNCTION public.worker_flag_to_kind_switch();

-- The flags as they are now.
INSERT INTO tributary.disabled_kinds (kind)
SELECT worker_name FROM public.worker_feature_flags_v2 WHERE NOT is_enabled
ON CONFLICT DO NOTHING;
