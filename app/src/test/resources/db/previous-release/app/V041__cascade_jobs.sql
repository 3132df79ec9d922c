-- The needs_* flags are the truth about what a row still lacks; these statement-level triggers turn
-- "some row of this statement is flagged" into one drain job per worker (tributary.enqueue_job_if_idle:
-- none is added while one of that kind is already waiting). Each job drains its queue with the S1.9
-- SKIP LOCKED functions, so one job serves every row flagged before it finishes. Statement-level with
-- transition tables, so a 500-row insert costs five existence checks, not 2,500 enqueues.
--
-- Priorities (0 runs first) give the cascade its order when several drains wait on one queue: hooks
-- are extracted before they are classified, posts are embedded before the topic and audience
-- classifiers that reuse their vectors, and profile styles come last.
CREATE FUNCTION cascade_worker_priority(worker text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE worker
           WHEN 'worker_extract_hooks_v2'        THEN 1
           WHEN 'worker_generate_embeddings_v2'  THEN 2
           WHEN 'worker_classify_hooks_v2'       THEN 3
           WHEN 'worker_classify_topics_v2'      THEN 4
           WHEN 'worker_classify_audiences_v2'   THEN 4
           WHEN 'worker_complete_profiles_v2'    THEN 5
           ELSE 6
         END
$$;

CREATE FUNCTION enqueue_cascade_worker(worker text) RETURNS void
LANGUAGE sql AS $$
  SELECT tributary.enqueue_job_if_idle(worker, '{}'::jsonb, 'cascade', cascade_worker_priority(worker), 5);
$$;

CREATE FUNCTION enqueue_cascade_for_new_posts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_posts WHERE needs_hook_extraction) THEN
    PERFORM enqueue_cascade_worker('worker_extract_hooks_v2');
  END IF;
  IF EXISTS (SELECT 1 FROM new_posts WHERE needs_embedding) THEN
    PERFORM enqueue_cascade_worker('worker_generate_embeddings_v2');
  END IF;
  IF EXISTS (SELECT 1 FROM new_posts WHERE needs_hook_classification) THEN
    PERFORM enqueue_cascade_worker('worker_classify_hooks_v2');
  END IF;
  IF EXISTS (SELECT 1 FROM new_posts WHERE needs_topic_classification) THEN
    PERFORM enqueue_cascade_worker('worker_classify_topics_v2');
  END IF;
  IF EXISTS (SELECT 1 FROM new_posts WHERE needs_audience_classification) THEN
    PERFORM enqueue_cascade_worker('worker_classify_audiences_v2');
  END IF;
  -- new posts can make an author eligible for a first style analysis
  IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM new_posts n JOIN profiles p ON p.id = n.author_id
                                   WHERE p.writing_style_prompt IS NULL) THEN
    PERFORM enqueue_cascade_worker('worker_complete_profiles_v2');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER enqueue_cascade_on_post_insert
  AFTER INSERT ON viral_posts_bank REFERENCING NEW TABLE AS new_posts
  FOR EACH STATEMENT EXECUTE FUNCTION enqueue_cascade_for_new_posts();

CREATE TRIGGER enqueue_cascade_on_post_update
  AFTER UPDATE ON viral_posts_bank REFERENCING NEW TABLE AS new_posts
  FOR EACH STATEMENT EXECUTE FUNCTION enqueue_cascade_for_new_posts();

CREATE FUNCTION enqueue_style_analysis_for_profiles() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_profiles WHERE needs_style_analysis) THEN
    PERFORM enqueue_cascade_worker('worker_complete_profiles_v2');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER enqueue_style_analysis_on_profile_update
  AFTER UPDATE ON profiles REFERENCING NEW TABLE AS new_profiles
  FOR EACH STATEMENT EXECUTE FUNCTION enqueue_style_analysis_for_profiles();

-- The periodic reconcile: any queue with flagged rows gets a drain job, whatever happened to the one
-- its trigger made (cancelled by an operator, dead after its attempts, a flag set with triggers off).
-- Returns the workers it woke.
CREATE FUNCTION reconcile_cascade_jobs() RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  w text;
BEGIN
  FOR w IN
    SELECT worker FROM (VALUES
      ('worker_extract_hooks_v2',       EXISTS (SELECT 1 FROM viral_posts_bank WHERE needs_hook_extraction)),
      ('worker_generate_embeddings_v2', EXISTS (SELECT 1 FROM viral_posts_bank WHERE needs_embedding)),
      ('worker_classify_hooks_v2',      EXISTS (SELECT 1 FROM viral_posts_bank WHERE needs_hook_classification)),
      ('worker_classify_topics_v2',     EXISTS (SELECT 1 FROM viral_posts_bank WHERE needs_topic_classification)),
      ('worker_classify_audiences_v2',  EXISTS (SELECT 1 FROM viral_posts_bank WHERE needs_audience_classification)),
      ('worker_complete_profiles_v2',   EXISTS (SELECT 1 FROM profiles WHERE needs_style_analysis)))
      AS t(worker, pending)
    WHERE pending
  LOOP
    PERFORM enqueue_cascade_worker(w);
    RETURN NEXT w;
  END LOOP;
END;
$$;
