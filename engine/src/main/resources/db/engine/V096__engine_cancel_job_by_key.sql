-- Cancel from SQL, e.g. in a trigger, inside the caller's transaction: the waiting job holding a
-- unique key (the key given at enqueue) is cancelled, so that an application never writes
-- tributary.jobs itself. Only a job that has not started ('available') is cancelled: a running job
-- is left to finish (use the Java Jobs.cancel or the ops routes to stop one). Returns the cancelled
-- job's id, or NULL when no waiting job holds the key. The reason goes to last_error.
CREATE FUNCTION tributary.cancel_job_by_key(
  unique_key text,
  reason     text DEFAULT NULL)
RETURNS bigint
LANGUAGE sql AS $$
  UPDATE tributary.jobs j
     SET state = 'cancelled', finished_at = now(),
         last_error = coalesce(cancel_job_by_key.reason, 'cancelled by its unique key')
   WHERE j.unique_key = cancel_job_by_key.unique_key AND j.state = 'available'
  RETURNING j.id;
$$;

COMMENT ON FUNCTION tributary.cancel_job_by_key(text, text) IS
  'Cancel the waiting (available) job holding this unique key in the caller''s transaction; returns its id or NULL. A running job is not touched.';
