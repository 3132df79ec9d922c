-- Seed functions S0.1 (get_profiles_to_sync), S0.5 / S1.12 (update_profile_stats,
-- cleanup_stuck_scraping_states, get_processing_status) and S1.9 (the SKIP LOCKED post queues).

-- ---------------------------------------------------------------------------------------------
-- S0.1: profiles due for a scrape, exactly as spec/features.md states it
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION get_profiles_to_sync(max_profiles integer DEFAULT 50)
RETURNS TABLE (
  profile_id           uuid,
  linkedin_id          text,
  full_name            text,
  sync_priority        integer,
  last_scraped_at      timestamptz,
  consecutive_failures integer
)
LANGUAGE sql STABLE AS $$
  SELECT p.id, p.linkedin_id, p.full_name,
         coalesce(s.sync_priority, 2), s.last_scraped_at, coalesce(s.consecutive_failures, 0)
    FROM profiles p
    LEFT JOIN profile_sync_status s ON s.profile_id = p.id
   WHERE p.linkedin_id IS NOT NULL
     AND p.type = 'external_influencer'
     AND p.sync_enabled
     AND coalesce(s.consecutive_failures, 0) < 5
     AND (s.last_scraped_at IS NULL OR s.last_scraped_at < now() - interval '7 days')
   ORDER BY coalesce(s.sync_priority, 2), s.last_scraped_at NULLS FIRST, p.created_at, p.id
   LIMIT greatest(coalesce(max_profiles, 50), 0);
$$;

-- ---------------------------------------------------------------------------------------------
-- S0.5: posts_count and avg_engagement (= average of likes + comments, 2 decimals) of one profile,
-- or of every profile when called with NULL. Returns how many profiles' numbers changed.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION update_profile_stats(p_profile_id uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_updated integer;
BEGIN
  UPDATE profiles p
     SET posts_count    = coalesce(st.posts_count, 0),
         avg_engagement = coalesce(st.avg_engagement, 0)
    FROM (SELECT pr.id,
                 count(v.id)::integer AS posts_count,
                 round(avg(v.likes + v.comments), 2) AS avg_engagement
            FROM profiles pr
            LEFT JOIN viral_posts_bank v ON v.author_id = pr.id
           WHERE p_profile_id IS NULL OR pr.id = p_profile_id
           GROUP BY pr.id) st
   WHERE p.id = st.id
     AND (p.posts_count IS DISTINCT FROM coalesce(st.posts_count, 0)
       OR p.avg_engagement IS DISTINCT FROM coalesce(st.avg_engagement, 0));
  GET DIAGNOSTICS v_updated = ROW_COUNT;
  RETURN v_updated;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- S1.9: post queues. Each call claims up to max_posts flagged rows, oldest first, by stamping the
-- queue's *_locked_at column under FOR UPDATE SKIP LOCKED: concurrent callers never get the same
-- row, and a stamp keeps the row away from later callers until it is released (worker done or
-- failed) or older than stale_after (worker died). The worker clears needs_* when it succeeds.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION claim_posts_needing(p_queue text, p_max_posts integer, p_stale_after interval)
RETURNS SETOF viral_posts_bank
LANGUAGE plpgsql AS $$
BEGIN
  IF p_queue IS NULL OR p_queue NOT IN ('hook_extraction', 'embedding', 'hook_classification',
                                        'topic_classification', 'audience_classification') THEN
    RAISE EXCEPTION 'unknown post queue: %', p_queue USING ERRCODE = '22023';
  END IF;
  IF p_max_posts IS NULL OR p_max_posts < 1 THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format($q$
    UPDATE viral_posts_bank v
       SET %2$I = now()
     WHERE v.id IN (SELECT c.id
                      FROM viral_posts_bank c
                     WHERE c.%1$I = true
                       AND (c.%2$I IS NULL OR c.%2$I < now() - $2)
                     ORDER BY c.created_at
                     LIMIT $1
                       FOR UPDATE SKIP LOCKED)
    RETURNING v.*$q$, 'needs_' || p_queue, p_queue || '_locked_at')
  USING p_max_posts, coalesce(p_stale_after, interval '10 minutes');
END;
$$;

CREATE OR REPLACE FUNCTION get_posts_needing_embedding(max_posts integer DEFAULT 10,
                                                       stale_after interval DEFAULT interval '10 minutes')
RETURNS SETOF viral_posts_bank
LANGUAGE sql AS $$
  SELECT * FROM claim_posts_needing('embedding', max_posts, stale_after);
$$;

-- hook classification (the seed's name has no "hook")
CREATE OR REPLACE FUNCTION get_posts_needing_classification(max_posts integer DEFAULT 10,
                                                            stale_after interval DEFAULT interval '10 minutes')
RETURNS SETOF viral_posts_bank
LANGUAGE sql AS $$
  SELECT * FROM claim_posts_needing('hook_classification', max_posts, stale_after);
$$;

CREATE OR REPLACE FUNCTION get_posts_needing_topic_classification(max_posts integer DEFAULT 10,
                                                                  stale_after interval DEFAULT interval '10 minutes')
RETURNS SETOF viral_posts_bank
LANGUAGE sql AS $$
  SELECT * FROM claim_posts_needing('topic_classification', max_posts, stale_after);
$$;

CREATE OR REPLACE FUNCTION get_posts_needing_audience_classification(max_posts integer DEFAULT 10,
                                                                     stale_after interval DEFAULT interval '10 minutes')
RETURNS SETOF viral_posts_bank
LANGUAGE sql AS $$
  SELECT * FROM claim_posts_needing('audience_classification', max_posts, stale_after);
$$;

-- The hook-extraction worker's queue (the seed has a worker for it but names no function).
CREATE OR REPLACE FUNCTION get_posts_needing_hook_extraction(max_posts integer DEFAULT 10,
                                                             stale_after interval DEFAULT interval '10 minutes')
RETURNS SETOF viral_posts_bank
LANGUAGE sql AS $$
  SELECT * FROM claim_posts_needing('hook_extraction', max_posts, stale_after);
$$;

CREATE OR REPLACE FUNCTION release_embedding_lock(p_post_id uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE viral_posts_bank SET embedding_locked_at = NULL
   WHERE id = p_post_id AND embedding_locked_at IS NOT NULL;
$$;

-- The same for any queue ('embedding', 'hook_classification', ...).
CREATE OR REPLACE FUNCTION release_post_lock(p_post_id uuid, p_queue text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_queue IS NULL OR p_queue NOT IN ('hook_extraction', 'embedding', 'hook_classification',
                                        'topic_classification', 'audience_classification') THEN
    RAISE EXCEPTION 'unknown post queue: %', p_queue USING ERRCODE = '22023';
  END IF;
  EXECUTE format('UPDATE viral_posts_bank SET %1$I = NULL WHERE id = $1 AND %1$I IS NOT NULL',
                 p_queue || '_locked_at')
  USING p_post_id;
END;
$$;

-- Clears every claim stamp older than stale_after, in all five queues; returns the number of posts
-- that had at least one stale stamp.
CREATE OR REPLACE FUNCTION release_stale_embedding_locks(stale_after interval DEFAULT interval '10 minutes')
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_cutoff  timestamptz := now() - stale_after;
  v_updated integer;
BEGIN
  UPDATE viral_posts_bank
     SET embedding_locked_at               = CASE WHEN embedding_locked_at < v_cutoff THEN NULL ELSE embedding_locked_at END,
         hook_extraction_locked_at         = CASE WHEN hook_extraction_locked_at < v_cutoff THEN NULL ELSE hook_extraction_locked_at END,
         hook_classification_locked_at     = CASE WHEN hook_classification_locked_at < v_cutoff THEN NULL ELSE hook_classification_locked_at END,
         topic_classification_locked_at    = CASE WHEN topic_classification_locked_at < v_cutoff THEN NULL ELSE topic_classification_locked_at END,
         audience_classification_locked_at = CASE WHEN audience_classification_locked_at < v_cutoff THEN NULL ELSE audience_classification_locked_at END
   WHERE embedding_locked_at < v_cutoff
      OR hook_extraction_locked_at < v_cutoff
      OR hook_classification_locked_at < v_cutoff
      OR topic_classification_locked_at < v_cutoff
      OR audience_classification_locked_at < v_cutoff;
  GET DIAGNOSTICS v_updated = ROW_COUNT;
  RETURN v_updated;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- S1.12: maintenance
-- ---------------------------------------------------------------------------------------------

-- Profiles left in 'scraping' longer than stuck_after (a crashed run) go back to 'pending' and the
-- stuck scrape counts as a failure. Returns how many were reset.
CREATE OR REPLACE FUNCTION cleanup_stuck_scraping_states(stuck_after interval DEFAULT interval '30 minutes')
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[];
BEGIN
  WITH stuck AS (
    UPDATE profiles
       SET sync_status = 'pending'
     WHERE sync_status = 'scraping'
       AND coalesce(sync_started_at, updated_at) < now() - stuck_after
    RETURNING id
  )
  SELECT coalesce(array_agg(id), '{}') INTO v_ids FROM stuck;

  INSERT INTO profile_sync_status AS s (profile_id, consecutive_failures, last_error, last_attempt_at)
  SELECT id, 1, 'scrape did not finish within ' || stuck_after || '; reset by cleanup_stuck_scraping_states', now()
    FROM unnest(v_ids) AS id
  ON CONFLICT (profile_id) DO UPDATE
    SET consecutive_failures = s.consecutive_failures + 1,
        last_error = excluded.last_error,
        last_attempt_at = excluded.last_attempt_at;

  RETURN cardinality(v_ids);
END;
$$;

-- One JSON document with what the pipeline still has to do and what is running.
CREATE OR REPLACE FUNCTION get_processing_status() RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'posts', (SELECT jsonb_build_object(
                'total', count(*),
                'needs_hook_extraction', count(*) FILTER (WHERE needs_hook_extraction),
                'needs_embedding', count(*) FILTER (WHERE needs_embedding),
                'needs_hook_classification', count(*) FILTER (WHERE needs_hook_classification),
                'needs_topic_classification', count(*) FILTER (WHERE needs_topic_classification),
                'needs_audience_classification', count(*) FILTER (WHERE needs_audience_classification),
                'with_embedding', count(*) FILTER (WHERE embedding IS NOT NULL),
                'locked', count(*) FILTER (WHERE embedding_locked_at IS NOT NULL
                                              OR hook_extraction_locked_at IS NOT NULL
                                              OR hook_classification_locked_at IS NOT NULL
                                              OR topic_classification_locked_at IS NOT NULL
                                              OR audience_classification_locked_at IS NOT NULL))
                FROM viral_posts_bank),
    'profiles', (SELECT jsonb_build_object(
                   'total', count(*),
                   'pending', count(*) FILTER (WHERE sync_status = 'pending'),
                   'scraping', count(*) FILTER (WHERE sync_status = 'scraping'),
                   'synced', count(*) FILTER (WHERE sync_status = 'synced'),
                   'failed', count(*) FILTER (WHERE sync_status = 'failed'),
                   'without_style', count(*) FILTER (WHERE writing_style_prompt IS NULL),
                   'sync_disabled_by_failures', (SELECT count(*) FROM profile_sync_status WHERE consecutive_failures >= 5))
                   FROM profiles),
    'profiles_due_for_sync', (SELECT count(*) FROM get_profiles_to_sync(2147483647)),
    'running_sync_jobs', (SELECT count(*) FROM sync_jobs WHERE status = 'running'),
    'last_sync_job', (SELECT to_jsonb(j) FROM (
                        SELECT id, job_type, status, started_at, completed_at, posts_new, profiles_processed
                          FROM sync_jobs ORDER BY created_at DESC LIMIT 1) j),
    'checked_at', now());
$$;
