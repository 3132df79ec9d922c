-- S1.10: the seven match_* functions, exact scans in the database for SQL clients. The HTTP API
-- serves the same names from the in-process index (dev.tributary.search), which answers in
-- milliseconds; these stay the reference and the path for clients that speak SQL.
--
-- Which model answers for a source is recorded in search_active_models: vectors of other models are
-- never compared with the query, even when their dimensions agree (MiniLM and bge-small are both 384).

CREATE TABLE search_active_models (
  source     text PRIMARY KEY,
  model      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- each row's norm is computed once, when its embedding is written, so a scan costs one dot product a row
ALTER TABLE viral_posts_bank ADD COLUMN embedding_norm double precision
  GENERATED ALWAYS AS (tributary_norm(embedding)) STORED;
ALTER TABLE hook_types ADD COLUMN embedding_norm double precision
  GENERATED ALWAYS AS (tributary_norm(embedding)) STORED;
ALTER TABLE topics ADD COLUMN embedding_norm double precision
  GENERATED ALWAYS AS (tributary_norm(embedding)) STORED;
ALTER TABLE audiences ADD COLUMN embedding_norm double precision
  GENERATED ALWAYS AS (tributary_norm(embedding)) STORED;

CREATE TYPE viral_post_match AS (
  id uuid, author_id uuid, post_url text, content text, hook text, likes integer, comments integer,
  posted_at timestamptz, hook_type_id uuid, topic_id uuid, audience_id uuid, similarity double precision);

CREATE TYPE catalogue_match AS (id uuid, name text, description text, similarity double precision);

-- The one scan behind the four post functions. Filters are equality on author_id, topic_id,
-- audience_id, hook_type_id (uuid strings); an unknown filter key is an error, not silently ignored.
CREATE FUNCTION match_viral_posts_filtered(
  query_embedding real[], filters jsonb DEFAULT '{}', match_threshold double precision DEFAULT 0.5,
  match_count integer DEFAULT 10)
RETURNS SETOF viral_post_match
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
  unknown text;
BEGIN
  IF match_threshold < -1 OR match_threshold > 1 THEN
    RAISE EXCEPTION 'match_threshold must be between -1 and 1, got %', match_threshold USING ERRCODE = '22023';
  END IF;
  IF match_count < 1 OR match_count > 1000 THEN
    RAISE EXCEPTION 'match_count must be between 1 and 1000, got %', match_count USING ERRCODE = '22023';
  END IF;
  SELECT k INTO unknown FROM jsonb_object_keys(coalesce(filters, '{}')) AS k
   WHERE k NOT IN ('author_id', 'topic_id', 'audience_id', 'hook_type_id') LIMIT 1;
  IF unknown IS NOT NULL THEN
    RAISE EXCEPTION 'unknown filter %: use author_id, topic_id, audience_id or hook_type_id', unknown
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH q AS (SELECT query_embedding AS e, tributary_norm(query_embedding) AS n,
                    (SELECT m.model FROM search_active_models m WHERE m.source = 'viral_posts_bank') AS model)
  SELECT s.id, s.author_id, s.post_url, s.content, s.hook, s.likes, s.comments, s.posted_at,
         s.hook_type_id, s.topic_id, s.audience_id, s.similarity
  FROM (
    SELECT v.*, tributary_dot(v.embedding, q.e) / (v.embedding_norm * q.n) AS similarity
    FROM viral_posts_bank v, q
    WHERE v.embedding_norm > 0 AND q.n > 0
      AND cardinality(v.embedding) = cardinality(q.e)
      AND (q.model IS NULL OR v.embedding_model = q.model)
      AND (filters->>'author_id' IS NULL OR v.author_id = (filters->>'author_id')::uuid)
      AND (filters->>'topic_id' IS NULL OR v.topic_id = (filters->>'topic_id')::uuid)
      AND (filters->>'audience_id' IS NULL OR v.audience_id = (filters->>'audience_id')::uuid)
      AND (filters->>'hook_type_id' IS NULL OR v.hook_type_id = (filters->>'hook_type_id')::uuid)
    OFFSET 0) s  -- keeps the planner from computing the dot product twice
  WHERE s.similarity > match_threshold
  ORDER BY s.similarity DESC, s.id
  LIMIT match_count;
END
$$;

CREATE FUNCTION match_viral_posts(
  query_embedding real[], match_threshold double precision DEFAULT 0.5, match_count integer DEFAULT 10)
RETURNS SETOF viral_post_match
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT * FROM match_viral_posts_filtered(query_embedding, '{}', match_threshold, match_count) $$;

CREATE FUNCTION match_viral_posts_by_author(
  query_embedding real[], author_id uuid, match_threshold double precision DEFAULT 0.5,
  match_count integer DEFAULT 10)
RETURNS SETOF viral_post_match
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT * FROM match_viral_posts_filtered(query_embedding, jsonb_build_object('author_id', $2),
                                           match_threshold, match_count)
$$;

CREATE FUNCTION match_viral_posts_by_topic(
  query_embedding real[], topic_id uuid, match_threshold double precision DEFAULT 0.5,
  match_count integer DEFAULT 10)
RETURNS SETOF viral_post_match
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT * FROM match_viral_posts_filtered(query_embedding, jsonb_build_object('topic_id', $2),
                                           match_threshold, match_count)
$$;

-- hook_types, topics and audiences share one shape; the table name is an identifier from this file,
-- never from a caller.
CREATE FUNCTION tributary_match_catalogue(
  catalogue text, query_embedding real[], match_threshold double precision, match_count integer)
RETURNS SETOF catalogue_match
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
  IF match_threshold < -1 OR match_threshold > 1 THEN
    RAISE EXCEPTION 'match_threshold must be between -1 and 1, got %', match_threshold USING ERRCODE = '22023';
  END IF;
  IF match_count < 1 OR match_count > 1000 THEN
    RAISE EXCEPTION 'match_count must be between 1 and 1000, got %', match_count USING ERRCODE = '22023';
  END IF;
  RETURN QUERY EXECUTE format($q$
    WITH q AS (SELECT $1 AS e, tributary_norm($1) AS n,
                      (SELECT m.model FROM search_active_models m WHERE m.source = %L) AS model)
    SELECT s.id, s.name, s.description, s.similarity FROM (
      SELECT c.id, c.name, c.description, tributary_dot(c.embedding, q.e) / (c.embedding_norm * q.n) AS similarity
      FROM %I c, q
      WHERE c.embedding_norm > 0 AND q.n > 0 AND cardinality(c.embedding) = cardinality(q.e)
        AND (q.model IS NULL OR c.embedding_model = q.model)
      OFFSET 0) s
    WHERE s.similarity > $2
    ORDER BY s.similarity DESC, s.id
    LIMIT $3$q$, catalogue, catalogue)
  USING query_embedding, match_threshold, match_count;
END
$$;

CREATE FUNCTION match_topics(
  query_embedding real[], match_threshold double precision DEFAULT 0.5, match_count integer DEFAULT 10)
RETURNS SETOF catalogue_match
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT * FROM tributary_match_catalogue('topics', query_embedding, match_threshold, match_count) $$;

CREATE FUNCTION match_audiences(
  query_embedding real[], match_threshold double precision DEFAULT 0.5, match_count integer DEFAULT 10)
RETURNS SETOF catalogue_match
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT * FROM tributary_match_catalogue('audiences', query_embedding, match_threshold, match_count) $$;

CREATE FUNCTION match_hook_types(
  query_embedding real[], match_threshold double precision DEFAULT 0.5, match_count integer DEFAULT 10)
RETURNS SETOF catalogue_match
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT * FROM tributary_match_catalogue('hook_types', query_embedding, match_threshold, match_count) $$;
