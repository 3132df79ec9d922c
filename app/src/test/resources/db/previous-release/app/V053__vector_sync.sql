-- S3: any table's rows kept in step with documentation_embeddings.
--
-- vector_sync_register(table, id_column, content_sql, where_sql) records a source, generates one
-- function that turns a row of that table into (id, content, included), installs the seed's
-- AFTER INSERT/UPDATE/DELETE trigger running add_to_embedding_queue(), and enqueues the rows that
-- already exist (backfill). Identifiers are quoted with %I; the content and where expressions are
-- operator-supplied SQL over the row's columns, checked by compiling the generated function.

CREATE TABLE vector_sync_sources (
  source_table text PRIMARY KEY,
  id_column    text NOT NULL,
  content_sql  text NOT NULL,
  where_sql    text,
  row_function text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- retries wait (1, 4, 9 minutes) instead of hammering a failing provider
ALTER TABLE embedding_sync_queue ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();

CREATE FUNCTION tributary_enqueue_embedding(p_source text, p_id text, p_action text, p_content text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO embedding_sync_queue (source_table, source_id, action, content, status)
  VALUES (p_source, p_id, p_action, p_content, 'pending')
  ON CONFLICT (source_table, source_id, action, status)
  DO UPDATE SET created_at = now(), content = EXCLUDED.content, next_attempt_at = now();
  PERFORM pg_notify('embedding_sync_queue', p_source);
END
$$;

-- The seed's trigger function. TG_ARGV[0] is the registered source's row function.
CREATE FUNCTION add_to_embedding_queue()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  fn text := TG_ARGV[0];
  new_id text;
  new_content text;
  new_in boolean := false;
  old_id text;
  old_content text;
  old_in boolean := false;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('SELECT id, content, included FROM %s($1)', fn) INTO new_id, new_content, new_in USING NEW;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('SELECT id, content, included FROM %s($1)', fn) INTO old_id, old_content, old_in USING OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND old_id = new_id AND old_in = new_in
     AND old_content IS NOT DISTINCT FROM new_content THEN
    RETURN NULL;  -- no column that feeds the embedding changed
  END IF;
  IF old_in AND (TG_OP = 'DELETE' OR NOT new_in OR old_id <> new_id) THEN
    PERFORM tributary_enqueue_embedding(TG_TABLE_NAME, old_id, 'delete', NULL);
  END IF;
  IF new_in THEN
    PERFORM tributary_enqueue_embedding(TG_TABLE_NAME, new_id,
      CASE WHEN TG_OP = 'UPDATE' AND old_in AND old_id = new_id THEN 'update' ELSE 'insert' END, new_content);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION vector_sync_register(p_table text, p_id_column text, p_content_sql text, p_where_sql text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  rel regclass;
  fn text;
  enqueued integer;
BEGIN
  IF p_table IS NULL OR btrim(p_table) = '' THEN
    RAISE EXCEPTION 'a table name is required' USING ERRCODE = '22023';
  END IF;
  IF p_content_sql IS NULL OR btrim(p_content_sql) = '' THEN
    RAISE EXCEPTION 'a content expression is required' USING ERRCODE = '22023';
  END IF;
  SELECT c.oid INTO rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relname = p_table AND n.nspname = current_schema() AND c.relkind IN ('r', 'p');
  IF rel IS NULL THEN
    RAISE EXCEPTION 'no table named % in schema %', p_table, current_schema() USING ERRCODE = '42P01';
  END IF;
  IF p_table IN ('embedding_sync_queue', 'documentation_embeddings', 'vector_sync_sources', 'search_change_log') THEN
    RAISE EXCEPTION 'table % is part of the vector sync itself and cannot be a source', p_table USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = p_id_column
                  AND attnum > 0 AND NOT attisdropped) THEN
    RAISE EXCEPTION 'table % has no column named %', p_table, p_id_column USING ERRCODE = '42703';
  END IF;
  fn := format('%I', left('vector_sync_row_' || p_table, 63));
  -- compiling the function checks the expressions against the table's columns
  EXECUTE format($f$
    CREATE OR REPLACE FUNCTION %s(r %I)
    RETURNS TABLE (id text, content text, included boolean)
    LANGUAGE sql STABLE
    AS $body$ SELECT (t.%I)::text, (%s)::text, coalesce((%s)::boolean, false) FROM (SELECT (r).*) AS t $body$
  $f$, fn, p_table, p_id_column, p_content_sql, coalesce(nullif(btrim(p_where_sql), ''), 'true'));
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', left('sync_' || p_table || '_embeddings', 63), p_table);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
                 'EXECUTE FUNCTION add_to_embedding_queue(%L)',
                 left('sync_' || p_table || '_embeddings', 63), p_table, fn);
  INSERT INTO vector_sync_sources (source_table, id_column, content_sql, where_sql, row_function)
  VALUES (p_table, p_id_column, p_content_sql, nullif(btrim(p_where_sql), ''), fn)
  ON CONFLICT (source_table) DO UPDATE
    SET id_column = EXCLUDED.id_column, content_sql = EXCLUDED.content_sql,
        where_sql = EXCLUDED.where_sql, row_function = EXCLUDED.row_function, updated_at = now();
  enqueued := vector_sync_enqueue_all(p_table);
  RETURN enqueued;
END
$$;

-- Backfill and full resync: every included row as an upsert, and a delete for every stored
-- embedding whose row is gone or no longer included. Unchanged content costs nothing later: the
-- processor skips chunks whose content_hash it already has for the model.
CREATE FUNCTION vector_sync_enqueue_all(p_table text)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  src vector_sync_sources;
  n integer;
  gone integer;
BEGIN
  SELECT * INTO src FROM vector_sync_sources WHERE source_table = p_table;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'table % is not registered for vector sync', p_table USING ERRCODE = '22023';
  END IF;
  EXECUTE format($q$
    INSERT INTO embedding_sync_queue (source_table, source_id, action, content, status)
    SELECT %L, r.id, 'update', r.content, 'pending'
    FROM %I AS x, LATERAL %s(x) AS r
    WHERE r.included AND r.id IS NOT NULL
    ON CONFLICT (source_table, source_id, action, status)
    DO UPDATE SET created_at = now(), content = EXCLUDED.content, next_attempt_at = now()$q$,
    p_table, p_table, src.row_function);
  GET DIAGNOSTICS n = ROW_COUNT;
  EXECUTE format($q$
    INSERT INTO embedding_sync_queue (source_table, source_id, action, status)
    SELECT DISTINCT %L, de.source_id, 'delete', 'pending'
    FROM documentation_embeddings de
    WHERE de.source_table = %L
      AND NOT EXISTS (SELECT 1 FROM %I AS x, LATERAL %s(x) AS r WHERE r.included AND r.id = de.source_id)
    ON CONFLICT (source_table, source_id, action, status) DO UPDATE SET created_at = now()$q$,
    p_table, p_table, p_table, src.row_function);
  GET DIAGNOSTICS gone = ROW_COUNT;
  PERFORM pg_notify('embedding_sync_queue', p_table);
  RETURN n + gone;
END
$$;

CREATE VIEW embedding_sync_status AS
SELECT s.source_table,
       count(q.id) FILTER (WHERE q.status = 'pending')    AS pending,
       count(q.id) FILTER (WHERE q.status = 'processing') AS processing,
       count(q.id) FILTER (WHERE q.status = 'completed')  AS completed,
       count(q.id) FILTER (WHERE q.status = 'failed')     AS failed
FROM (SELECT source_table FROM vector_sync_sources
      UNION SELECT DISTINCT source_table FROM embedding_sync_queue) s
LEFT JOIN embedding_sync_queue q ON q.source_table = s.source_table
GROUP BY s.source_table;

-- S3.6: documents uploaded through the API (PDF text), embedded chunk by chunk like any source
CREATE TABLE client_documents (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title        text NOT NULL,
  filename     text,
  content_type text NOT NULL,
  page_count   integer,
  content      text NOT NULL,
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER set_client_documents_updated_at BEFORE UPDATE ON client_documents
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

SELECT vector_sync_register('client_documents', 'id', $$title || E'\n\n' || content$$, NULL);
SELECT vector_sync_register('faq_items', 'id', $$question || E'\n\n' || answer$$, 'is_published');
