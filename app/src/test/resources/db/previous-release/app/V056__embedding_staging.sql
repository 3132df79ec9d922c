-- A model switch without search downtime for the tables that keep one vector per row in their own
-- `embedding` / `embedding_model` columns (viral_posts_bank, hook_types, topics, audiences: a seed
-- contract, the match_* functions read those columns). The new model's vectors are built here, beside
-- the rows, while search keeps answering from the old ones; when every row of a source has its new
-- vector, one transaction copies them into the rows and switches search_active_models
-- (dev.tributary.pipelines.vectorsync.ColumnModelSwitch).
--
-- content_hash is a hash of the row's text columns when its vector was made: a row whose text changed
-- since is embedded again, and the swap never copies a vector of a text the row no longer has.
-- embedding NULL means the row has no text to embed: the swap clears its old vector.
CREATE TABLE embedding_staging (
  source       text NOT NULL,
  row_id       uuid NOT NULL,
  model        text NOT NULL,
  content_hash text NOT NULL,
  embedding    real[],
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, row_id, model)
);

-- The last (or running) switch of each source, for GET /api/vectorize/status and the logs. Written by
-- the node that holds the switch lock; any node can read it.
CREATE TABLE search_model_switches (
  source      text PRIMARY KEY,
  from_model  text NOT NULL,
  to_model    text NOT NULL,
  state       text NOT NULL CHECK (state IN ('embedding', 'switched')),
  rows_total  integer NOT NULL DEFAULT 0,
  rows_done   integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  switched_at timestamptz,
  last_error  text
);

-- A catalogue row whose text changes under an unchanged vector loses that vector (it describes the old
-- text); the switch runner of every node embeds catalogue rows that have none with the active model.
-- The local classifiers embed labels themselves (cached by text), so only search reads these vectors.
CREATE FUNCTION clear_stale_catalogue_embedding() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.description, NEW.examples) IS DISTINCT FROM (OLD.name, OLD.description, OLD.examples)
     AND NEW.embedding IS NOT DISTINCT FROM OLD.embedding THEN
    NEW.embedding := NULL;
    NEW.embedding_model := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER clear_stale_embedding BEFORE UPDATE OF name, description, examples ON hook_types
  FOR EACH ROW EXECUTE FUNCTION clear_stale_catalogue_embedding();
CREATE TRIGGER clear_stale_embedding BEFORE UPDATE OF name, description, examples ON topics
  FOR EACH ROW EXECUTE FUNCTION clear_stale_catalogue_embedding();
CREATE TRIGGER clear_stale_embedding BEFORE UPDATE OF name, description, examples ON audiences
  FOR EACH ROW EXECUTE FUNCTION clear_stale_catalogue_embedding();
