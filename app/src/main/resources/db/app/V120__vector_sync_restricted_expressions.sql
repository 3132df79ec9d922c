-- Registering a vector-sync source pastes the caller's `content` and `where` SQL into a function
-- that runs on every write to the table. Until now that function ran as whoever wrote (the
-- database owner): an expression could read any table, and a bad one broke every write.
--
-- From here on:
--   * the expressions are checked first: each is one expression (parentheses balanced outside
--     quotes, never closing more than it opened, so it cannot leave the parentheses it is pasted
--     in), with no `;`, no `$` (dollar quotes), no comments (`--`, `/*`), and none of the
--     functions that act beyond the row (pg_sleep, set_config, advisory locks, file access…);
--   * the row function is SECURITY DEFINER, owned by tributary_expression, a NOLOGIN role with
--     SELECT on that one table and nothing else of ours: at registration and on every later write,
--     the expressions run with that role's rights (another table is "permission denied");
--   * the function is tried on one row of the table before the trigger is installed; any error
--     aborts the registration (one statement: nothing of it stays), with the database's message.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tributary_expression') THEN
    CREATE ROLE tributary_expression NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object THEN NULL; -- created meanwhile by a migration of another database
  WHEN insufficient_privilege THEN
    RAISE WARNING 'cannot create role tributary_expression (needs CREATEROLE): vector-sync registration will refuse until a superuser runs CREATE ROLE tributary_expression NOLOGIN';
END
$$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tributary_expression')
     AND NOT pg_has_role(current_user, 'tributary_expression', 'MEMBER') THEN
    EXECUTE format('GRANT tributary_expression TO %I', current_user);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'cannot grant tributary_expression to %: vector-sync registration will refuse', current_user;
END
$$;

-- One SQL expression, safe to paste between parentheses; raises 22023 naming what is wrong.
CREATE FUNCTION vector_sync_check_expression(p_what text, p_sql text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
  i int := 1;
  n int := length(p_sql);
  ch text;
  depth int := 0;
  quote text := NULL;   -- '''' or '"' while inside a literal or a quoted identifier
  escapes boolean := false; -- inside an E'' literal, where a backslash escapes the next character
BEGIN
  IF n > 2000 THEN
    RAISE EXCEPTION 'the % expression is longer than 2000 characters', p_what USING ERRCODE = '22023';
  END IF;
  IF strpos(p_sql, ';') > 0 THEN
    RAISE EXCEPTION 'the % expression must be one expression: no '';''', p_what USING ERRCODE = '22023';
  END IF;
  IF strpos(p_sql, '$') > 0 THEN
    RAISE EXCEPTION 'the % expression may not contain ''$'' (dollar quotes or parameters)', p_what USING ERRCODE = '22023';
  END IF;
  IF strpos(p_sql, '--') > 0 OR strpos(p_sql, '/*') > 0 THEN
    RAISE EXCEPTION 'the % expression may not contain comments (''--'' or ''/*'')', p_what USING ERRCODE = '22023';
  END IF;
  -- functions that act beyond the row (sleep, locks, settings, files, other queries as text)
  IF p_sql ~* '(set_config|pg_sleep|pg_advisory|dblink|\mlo_|pg_read|pg_ls_|pg_stat_file|pg_terminate|pg_cancel|pg_reload|pg_notify|_to_xml|query_to|pg_logical|txid_|pg_current_xact|nextval|setval|current_setting)' THEN
    RAISE EXCEPTION 'the % expression calls a function that is not allowed in a row expression: %',
      p_what, substring(p_sql from '(?i)(set_config|pg_sleep\w*|pg_advisory\w*|dblink\w*|lo_\w+|pg_read\w*|pg_ls_\w*|pg_stat_file|pg_terminate\w*|pg_cancel\w*|pg_reload\w*|pg_notify|\w*_to_xml\w*|query_to\w*|pg_logical\w*|txid_\w*|pg_current_xact\w*|nextval|setval|current_setting)')
      USING ERRCODE = '42501';
  END IF;
  WHILE i <= n LOOP
    ch := substr(p_sql, i, 1);
    IF quote IS NOT NULL THEN
      IF escapes AND ch = E'\\' THEN
        i := i + 1; -- the escaped character, whatever it is
      ELSIF ch = quote THEN
        IF substr(p_sql, i + 1, 1) = quote THEN
          i := i + 1; -- a doubled quote stands for itself
        ELSE
          quote := NULL;
          escapes := false;
        END IF;
      END IF;
    ELSIF ch = '''' OR ch = '"' THEN
      quote := ch;
      escapes := ch = '''' AND i > 1 AND upper(substr(p_sql, i - 1, 1)) = 'E'
                 AND (i = 2 OR substr(p_sql, i - 2, 1) !~ '[A-Za-z0-9_]');
    ELSIF ch = '(' THEN
      depth := depth + 1;
    ELSIF ch = ')' THEN
      depth := depth - 1;
      IF depth < 0 THEN
        RAISE EXCEPTION 'the % expression closes a parenthesis it did not open', p_what USING ERRCODE = '22023';
      END IF;
    END IF;
    i := i + 1;
  END LOOP;
  IF quote IS NOT NULL THEN
    RAISE EXCEPTION 'the % expression has an unterminated quote', p_what USING ERRCODE = '22023';
  END IF;
  IF depth <> 0 THEN
    RAISE EXCEPTION 'the % expression leaves a parenthesis open', p_what USING ERRCODE = '22023';
  END IF;
END
$$;

-- The row function runs with tributary_expression's rights: SELECT on its own table only.
CREATE FUNCTION vector_sync_restrict(p_fn text, p_table text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tributary_expression') THEN
    RAISE EXCEPTION 'the role tributary_expression is missing: a superuser must run CREATE ROLE tributary_expression NOLOGIN'
      USING ERRCODE = '42704';
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO tributary_expression', current_schema());
  EXECUTE format('GRANT SELECT ON %I TO tributary_expression', p_table);
  -- a new owner needs CREATE on the schema at the moment it takes the function, not after
  EXECUTE format('GRANT CREATE ON SCHEMA %I TO tributary_expression', current_schema());
  EXECUTE format('ALTER FUNCTION %s(%I) OWNER TO tributary_expression', p_fn, p_table);
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM tributary_expression', current_schema());
  EXECUTE format('ALTER FUNCTION %s(%I) SECURITY DEFINER SET search_path = %I, pg_temp',
                 p_fn, p_table, current_schema());
END
$$;

CREATE OR REPLACE FUNCTION vector_sync_register(p_table text, p_id_column text, p_content_sql text, p_where_sql text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  rel regclass;
  fn text;
  enqueued integer;
  where_sql text := nullif(btrim(p_where_sql), '');
BEGIN
  IF p_table IS NULL OR btrim(p_table) = '' THEN
    RAISE EXCEPTION 'a table name is required' USING ERRCODE = '22023';
  END IF;
  IF p_content_sql IS NULL OR btrim(p_content_sql) = '' THEN
    RAISE EXCEPTION 'a content expression is required' USING ERRCODE = '22023';
  END IF;
  PERFORM vector_sync_check_expression('content', p_content_sql);
  IF where_sql IS NOT NULL THEN
    PERFORM vector_sync_check_expression('where', where_sql);
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
  $f$, fn, p_table, p_id_column, p_content_sql, coalesce(where_sql, 'true'));
  PERFORM vector_sync_restrict(fn, p_table);
  -- tried on one row, with the restricted rights, before any trigger exists: an expression that
  -- fails aborts the whole registration here
  EXECUTE format('SELECT count(*) FROM (SELECT r.* FROM %I AS x, LATERAL %s(x) AS r LIMIT 1) s', p_table, fn);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', left('sync_' || p_table || '_embeddings', 63), p_table);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
                 'EXECUTE FUNCTION add_to_embedding_queue(%L)',
                 left('sync_' || p_table || '_embeddings', 63), p_table, fn);
  INSERT INTO vector_sync_sources (source_table, id_column, content_sql, where_sql, row_function)
  VALUES (p_table, p_id_column, p_content_sql, where_sql, fn)
  ON CONFLICT (source_table) DO UPDATE
    SET id_column = EXCLUDED.id_column, content_sql = EXCLUDED.content_sql,
        where_sql = EXCLUDED.where_sql, row_function = EXCLUDED.row_function, updated_at = now();
  enqueued := vector_sync_enqueue_all(p_table);
  RETURN enqueued;
END
$$;

-- Sources registered before: their row functions move to the restricted role too, unless one no
-- longer works that way (it read another table): that one keeps running as before, with a warning.
DO $$
DECLARE
  s record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tributary_expression') THEN
    RETURN;
  END IF;
  FOR s IN SELECT source_table, row_function FROM vector_sync_sources LOOP
    BEGIN
      PERFORM vector_sync_restrict(s.row_function, s.source_table);
      EXECUTE format('SELECT count(*) FROM (SELECT r.* FROM %I AS x, LATERAL %s(x) AS r LIMIT 1) t',
                     s.source_table, s.row_function);
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'vector-sync source % keeps its unrestricted row function: %', s.source_table, SQLERRM;
    END;
  END LOOP;
END
$$;
