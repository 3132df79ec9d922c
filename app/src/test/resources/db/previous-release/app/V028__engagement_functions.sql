-- Seed functions S1.11: engagement limits. Days are UTC days; actions are 'like', 'comment' and
-- 'repost', each with its own daily limit in engagement_settings. A profile engages only if it has
-- an enabled engagement_settings row (opt-in).

CREATE OR REPLACE FUNCTION engagement_day() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT (now() AT TIME ZONE 'UTC')::date;
$$;

CREATE OR REPLACE FUNCTION check_engagement_action(p_action_type text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_action_type IS NULL OR p_action_type NOT IN ('like', 'comment', 'repost') THEN
    RAISE EXCEPTION 'unknown engagement action: % (expected like, comment or repost)', p_action_type
      USING ERRCODE = '22023';
  END IF;
END;
$$;

-- How many more times the profile may do the action today (0 when disabled or not opted in).
CREATE OR REPLACE FUNCTION engagement_remaining(p_profile_id uuid, p_action_type text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_settings engagement_settings;
  v_limit    integer;
  v_used     integer;
BEGIN
  PERFORM check_engagement_action(p_action_type);
  SELECT * INTO v_settings FROM engagement_settings WHERE profile_id = p_profile_id;
  IF NOT FOUND OR NOT v_settings.is_enabled THEN
    RETURN 0;
  END IF;
  v_limit := CASE p_action_type
               WHEN 'like' THEN v_settings.daily_like_limit
               WHEN 'comment' THEN v_settings.daily_comment_limit
               ELSE v_settings.daily_repost_limit
             END;
  SELECT coalesce(sum(count), 0) INTO v_used
    FROM engagement_counters
   WHERE profile_id = p_profile_id AND counter_date = engagement_day() AND action_type = p_action_type;
  RETURN greatest(v_limit - v_used, 0);
END;
$$;

CREATE OR REPLACE FUNCTION can_profile_engage(p_profile_id uuid, p_action_type text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT engagement_remaining(p_profile_id, p_action_type) > 0;
$$;

-- Counts one action for today and returns today's new count for that action. It does not refuse
-- past the limit: callers ask can_profile_engage first (the count stays truthful either way).
CREATE OR REPLACE FUNCTION increment_engagement_counter(p_profile_id uuid, p_action_type text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer;
BEGIN
  PERFORM check_engagement_action(p_action_type);
  INSERT INTO engagement_counters AS c (profile_id, counter_date, action_type, count)
  VALUES (p_profile_id, engagement_day(), p_action_type, 1)
  ON CONFLICT (profile_id, counter_date, action_type) DO UPDATE SET count = c.count + 1
  RETURNING c.count INTO v_count;
  RETURN v_count;
END;
$$;

-- Profiles that may engage with a post: opted in, not its author, with a connected account, not
-- already recorded on this post, and with likes or comments left today. Least busy today first.
CREATE OR REPLACE FUNCTION get_eligible_engagers(p_post_author_id uuid, p_external_post_id text)
RETURNS TABLE (
  profile_id         uuid,
  full_name          text,
  unipile_account_id uuid,
  account_id         text,
  likes_remaining    integer,
  comments_remaining integer,
  reposts_remaining  integer
)
LANGUAGE sql STABLE AS $$
  SELECT e.profile_id, e.full_name, e.unipile_account_id, e.account_id,
         e.likes_remaining, e.comments_remaining, e.reposts_remaining
    FROM (SELECT p.id AS profile_id, p.full_name, ua.id AS unipile_account_id, ua.account_id,
                 engagement_remaining(p.id, 'like') AS likes_remaining,
                 engagement_remaining(p.id, 'comment') AS comments_remaining,
                 engagement_remaining(p.id, 'repost') AS reposts_remaining,
                 (SELECT coalesce(sum(c.count), 0) FROM engagement_counters c
                   WHERE c.profile_id = p.id AND c.counter_date = engagement_day()) AS used_today,
                 p.created_at
            FROM profiles p
            JOIN engagement_settings s ON s.profile_id = p.id AND s.is_enabled
            JOIN LATERAL (SELECT u.id, u.account_id FROM unipile_accounts u
                           WHERE u.profile_id = p.id AND u.status = 'connected'
                           ORDER BY u.connected_at DESC NULLS LAST, u.created_at DESC
                           LIMIT 1) ua ON true
           WHERE p.id IS DISTINCT FROM p_post_author_id
             AND NOT EXISTS (SELECT 1 FROM post_engagements pe
                              WHERE pe.engager_profile_id = p.id
                                AND pe.external_post_id = p_external_post_id)) e
   WHERE e.likes_remaining > 0 OR e.comments_remaining > 0
   ORDER BY e.used_today, e.created_at, e.profile_id;
$$;

-- Picks the comment pattern an engager should use next and counts its use: among the active
-- patterns shared by everyone or owned by the engager, the ones it used in its last
-- p_exclude_count comments go last, then the least used, then the longest unused. NULL when the
-- engager has no pattern at all.
CREATE OR REPLACE FUNCTION select_comment_pattern(p_engager_id uuid, p_exclude_count integer DEFAULT 3)
RETURNS comment_patterns
LANGUAGE plpgsql AS $$
DECLARE
  v_recent  uuid[];
  v_pattern comment_patterns;
BEGIN
  SELECT coalesce(array_agg(comment_pattern_id), '{}') INTO v_recent
    FROM (SELECT comment_pattern_id FROM post_engagements
           WHERE engager_profile_id = p_engager_id AND comment_pattern_id IS NOT NULL
           ORDER BY created_at DESC
           LIMIT greatest(coalesce(p_exclude_count, 0), 0)) r;

  SELECT * INTO v_pattern
    FROM comment_patterns cp
   WHERE cp.is_active AND (cp.profile_id IS NULL OR cp.profile_id = p_engager_id)
   ORDER BY cp.id = ANY (v_recent), cp.usage_count, cp.last_used_at NULLS FIRST, cp.created_at, cp.id
   LIMIT 1
     FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;

  UPDATE comment_patterns
     SET usage_count = usage_count + 1, last_used_at = clock_timestamp()
   WHERE id = v_pattern.id
  RETURNING * INTO v_pattern;
  RETURN v_pattern;
END;
$$;
