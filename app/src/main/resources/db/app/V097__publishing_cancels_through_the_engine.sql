-- The publishing triggers no longer write tributary.jobs themselves: a moved or cancelled post's
-- waiting job is cancelled through the engine's own function (tributary.cancel_job_by_key, V096).
-- Same behaviour as V090: only a job that has not started is cancelled.
CREATE OR REPLACE FUNCTION publishing_track_job(
  p_source text, p_id uuid, p_was_waiting boolean, p_old_at timestamptz,
  p_waiting boolean, p_new_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_was_waiting AND p_old_at IS NOT NULL
     AND (NOT p_waiting OR p_old_at IS DISTINCT FROM p_new_at) THEN
    PERFORM tributary.cancel_job_by_key(
      publishing_job_key(p_source, p_id, p_old_at),
      CASE WHEN p_waiting THEN 'the post was moved to ' || p_new_at
           ELSE 'the post no longer waits to be published' END);
  END IF;
  IF p_waiting AND p_new_at IS NOT NULL
     AND (NOT p_was_waiting OR p_old_at IS DISTINCT FROM p_new_at) THEN
    PERFORM tributary.enqueue_job('publishing.publish',
                                  jsonb_build_object('source', p_source, 'id', p_id),
                                  'publishing', 0, p_new_at, 10,
                                  publishing_job_key(p_source, p_id, p_new_at));
  END IF;
END;
$$;
