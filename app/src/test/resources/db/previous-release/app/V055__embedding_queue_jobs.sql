-- S3.2 "at once on change": a statement that queues due work in embedding_sync_queue wakes one drain
-- job of the vector sync (engine queue 'vectorsync'); the 5-minute schedule covers retries that come
-- due later. One existence check per statement, however many rows it queued.
CREATE FUNCTION enqueue_embedding_queue_drain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM queued WHERE status = 'pending' AND next_attempt_at <= now()) THEN
    PERFORM tributary.enqueue_job_if_idle('embedding_queue_process', '{}'::jsonb, 'vectorsync', 0, 5);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER enqueue_drain_on_queue_insert
  AFTER INSERT ON embedding_sync_queue REFERENCING NEW TABLE AS queued
  FOR EACH STATEMENT EXECUTE FUNCTION enqueue_embedding_queue_drain();

CREATE TRIGGER enqueue_drain_on_queue_update
  AFTER UPDATE ON embedding_sync_queue REFERENCING NEW TABLE AS queued
  FOR EACH STATEMENT EXECUTE FUNCTION enqueue_embedding_queue_drain();
