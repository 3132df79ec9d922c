-- Seed functions S1.13 (post batches) and S1.14 (get_hooks_with_classification; generate_error_ref
-- and generate_invitation_token are in V021 because columns default to them).

-- Recounts a batch from its production posts. A post is done once it has left 'pending' and
-- 'generating'; 'failed' posts are done but counted apart. progress = share of done posts (0-100).
-- The batch is 'completed' when every post is done and at least one succeeded, 'failed' when every
-- post failed, 'processing' once any post is under way; a 'cancelled' batch keeps its status.
CREATE OR REPLACE FUNCTION update_batch_progress(p_batch_id uuid) RETURNS post_batches
LANGUAGE plpgsql AS $$
DECLARE
  v_total     integer;
  v_succeeded integer;
  v_failed    integer;
  v_started   integer;
  v_batch     post_batches;
BEGIN
  SELECT count(*),
         count(*) FILTER (WHERE status NOT IN ('pending', 'generating', 'failed')),
         count(*) FILTER (WHERE status = 'failed'),
         count(*) FILTER (WHERE status <> 'pending')
    INTO v_total, v_succeeded, v_failed, v_started
    FROM production_posts
   WHERE batch_id = p_batch_id;

  UPDATE post_batches b
     SET total_posts     = v_total,
         completed_posts = v_succeeded,
         failed_posts    = v_failed,
         progress        = CASE WHEN v_total = 0 THEN 0
                                ELSE floor(100.0 * (v_succeeded + v_failed) / v_total)::integer END,
         status          = CASE
                             WHEN b.status = 'cancelled' THEN 'cancelled'
                             WHEN v_total > 0 AND v_succeeded + v_failed = v_total
                               THEN CASE WHEN v_succeeded = 0 THEN 'failed' ELSE 'completed' END
                             WHEN v_started > 0 THEN 'processing'
                             ELSE 'pending'
                           END,
         completed_at    = CASE
                             WHEN v_total > 0 AND v_succeeded + v_failed = v_total
                               THEN coalesce(b.completed_at, now())
                             ELSE NULL
                           END
   WHERE b.id = p_batch_id
  RETURNING b.* INTO v_batch;
  RETURN v_batch;
END;
$$;

-- Creates a batch and one 'pending' production post per requested post.
-- p_author_configs: a non-empty JSON array of {"author_id": uuid, "count": 1..100 (default 1),
-- optional "topic_id", "hook_type_id", "audience_id" (uuids) and any other generation settings,
-- which are kept in each post's generation_config}. Returns the batch id.
CREATE OR REPLACE FUNCTION create_post_batch(p_name text, p_author_configs jsonb, p_user_id uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  v_batch_id uuid;
  v_config   jsonb;
  v_author   profiles;
  v_count    integer;
  v_position integer := 0;
BEGIN
  IF p_name IS NULL OR btrim(p_name) = '' THEN
    RAISE EXCEPTION 'create_post_batch: name is required' USING ERRCODE = '22023';
  END IF;
  IF p_author_configs IS NULL OR jsonb_typeof(p_author_configs) <> 'array' OR jsonb_array_length(p_author_configs) = 0 THEN
    RAISE EXCEPTION 'create_post_batch: author_configs must be a non-empty JSON array' USING ERRCODE = '22023';
  END IF;

  INSERT INTO post_batches (user_id, name, author_configs, status)
  VALUES (p_user_id, btrim(p_name), p_author_configs, 'pending')
  RETURNING id INTO v_batch_id;

  FOR v_config IN SELECT value FROM jsonb_array_elements(p_author_configs) LOOP
    IF jsonb_typeof(v_config) <> 'object' OR NOT (v_config ? 'author_id') THEN
      RAISE EXCEPTION 'create_post_batch: every author config needs an author_id' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO v_author FROM profiles WHERE id = (v_config->>'author_id')::uuid;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'create_post_batch: no profile with id %', v_config->>'author_id' USING ERRCODE = '23503';
    END IF;
    v_count := coalesce((v_config->>'count')::integer, 1);
    IF v_count < 1 OR v_count > 100 THEN
      RAISE EXCEPTION 'create_post_batch: count must be between 1 and 100, got %', v_count USING ERRCODE = '22023';
    END IF;
    FOR i IN 1..v_count LOOP
      v_position := v_position + 1;
      INSERT INTO production_posts (user_id, author_id, batch_id, batch_position, status,
                                    topic_id, hook_type_id, audience_id, generation_config)
      VALUES (coalesce(p_user_id, v_author.user_id), v_author.id, v_batch_id, v_position, 'pending',
              (v_config->>'topic_id')::uuid, (v_config->>'hook_type_id')::uuid, (v_config->>'audience_id')::uuid,
              v_config - 'author_id' - 'count');
    END LOOP;
  END LOOP;

  PERFORM update_batch_progress(v_batch_id);
  RETURN v_batch_id;
END;
$$;

-- The batch as JSON with its posts (in batch order) under "posts", each with its author's name;
-- NULL when there is no such batch.
CREATE OR REPLACE FUNCTION get_batch_with_posts(p_batch_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT to_jsonb(b) || jsonb_build_object('posts', coalesce((
           SELECT jsonb_agg(to_jsonb(p) || jsonb_build_object('author_name', a.full_name)
                            ORDER BY p.batch_position, p.created_at)
             FROM production_posts p
             LEFT JOIN profiles a ON a.id = p.author_id
            WHERE p.batch_id = b.id), '[]'::jsonb))
    FROM post_batches b
   WHERE b.id = p_batch_id;
$$;

-- A post's hook with its classification (hook type, topic, audience) by name. With no post id, the
-- most recent posts that have a hook, up to p_limit.
CREATE OR REPLACE FUNCTION get_hooks_with_classification(p_post_id uuid DEFAULT NULL, p_limit integer DEFAULT 100)
RETURNS TABLE (
  post_id               uuid,
  author_id             uuid,
  hook                  text,
  hook_type_id          uuid,
  hook_type_name        text,
  hook_type_description text,
  topic_id              uuid,
  topic_name            text,
  audience_id           uuid,
  audience_name         text,
  classified_by         text,
  likes                 integer,
  comments              integer,
  posted_at             timestamptz
)
LANGUAGE sql STABLE AS $$
  SELECT v.id, v.author_id, v.hook, v.hook_type_id, h.name, h.description, v.topic_id, t.name,
         v.audience_id, a.name, v.classified_by, v.likes, v.comments, v.posted_at
    FROM viral_posts_bank v
    LEFT JOIN hook_types h ON h.id = v.hook_type_id
    LEFT JOIN topics t ON t.id = v.topic_id
    LEFT JOIN audiences a ON a.id = v.audience_id
   WHERE (p_post_id IS NULL AND v.hook IS NOT NULL AND btrim(v.hook) <> '') OR v.id = p_post_id
   ORDER BY v.created_at DESC
   LIMIT CASE WHEN p_post_id IS NULL THEN greatest(p_limit, 0) ELSE 1 END;
$$;
