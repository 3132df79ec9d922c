-- Keeps every node's in-process search index current. Each change to a vector table appends
-- (source, row key) here and wakes the nodes with NOTIFY tributary_search. A node applies a change by
-- re-reading the row, so applying one twice is harmless. A notification can be missed (a dropped
-- connection, a restart), so nodes also poll this log: they re-read every entry whose transaction id
-- is at or above the oldest transaction still running when they last read it (pg_snapshot_xmin), so
-- a change committed late by a long transaction is never skipped even though its seq is older.

CREATE TABLE search_change_log (
  seq        bigserial PRIMARY KEY,
  source     text NOT NULL,
  row_key    text NOT NULL,
  xid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_change_log_xid_idx ON search_change_log (xid);
CREATE INDEX search_change_log_created_idx ON search_change_log (created_at);

CREATE FUNCTION tributary_log_search_change()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  k text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    k := OLD.id::text;
  ELSE
    k := NEW.id::text;
    IF TG_OP = 'UPDATE' AND OLD.id IS DISTINCT FROM NEW.id THEN
      INSERT INTO search_change_log (source, row_key) VALUES (TG_TABLE_NAME, OLD.id::text);
    END IF;
  END IF;
  INSERT INTO search_change_log (source, row_key) VALUES (TG_TABLE_NAME, k);
  -- one notification per transaction and source: Postgres folds identical payloads
  PERFORM pg_notify('tributary_search', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER search_index_viral_posts_bank
  AFTER INSERT OR DELETE OR UPDATE OF id, embedding, embedding_model, author_id, topic_id, audience_id, hook_type_id
  ON viral_posts_bank FOR EACH ROW EXECUTE FUNCTION tributary_log_search_change();
CREATE TRIGGER search_index_hook_types
  AFTER INSERT OR DELETE OR UPDATE OF id, embedding, embedding_model ON hook_types
  FOR EACH ROW EXECUTE FUNCTION tributary_log_search_change();
CREATE TRIGGER search_index_topics
  AFTER INSERT OR DELETE OR UPDATE OF id, embedding, embedding_model ON topics
  FOR EACH ROW EXECUTE FUNCTION tributary_log_search_change();
CREATE TRIGGER search_index_audiences
  AFTER INSERT OR DELETE OR UPDATE OF id, embedding, embedding_model ON audiences
  FOR EACH ROW EXECUTE FUNCTION tributary_log_search_change();
CREATE TRIGGER search_index_documentation_embeddings
  AFTER INSERT OR DELETE OR UPDATE OF id, embedding, model, source_table, source_id, chunk_index, metadata
  ON documentation_embeddings FOR EACH ROW EXECUTE FUNCTION tributary_log_search_change();

-- switching a source's model is announced the same way; nodes re-read search_active_models
CREATE FUNCTION tributary_notify_active_model()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('tributary_search', 'search_active_models');
  RETURN NULL;
END
$$;
CREATE TRIGGER search_active_models_changed AFTER INSERT OR UPDATE OR DELETE ON search_active_models
  FOR EACH STATEMENT EXECUTE FUNCTION tributary_notify_active_model();
