-- Seed schema, part 3: the tables behind the engagement-limit functions of S1.11. Internal profiles
-- (the engagers) like and comment on each other's LinkedIn posts through their connected account,
-- within daily limits per action.

CREATE TABLE engagement_settings (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  profile_id          uuid NOT NULL UNIQUE REFERENCES profiles (id) ON DELETE CASCADE,
  is_enabled          boolean NOT NULL DEFAULT true,
  daily_like_limit    integer NOT NULL DEFAULT 50 CHECK (daily_like_limit >= 0),
  daily_comment_limit integer NOT NULL DEFAULT 20 CHECK (daily_comment_limit >= 0),
  daily_repost_limit  integer NOT NULL DEFAULT 5 CHECK (daily_repost_limit >= 0),
  min_delay_minutes   integer NOT NULL DEFAULT 5 CHECK (min_delay_minutes >= 0),
  max_delay_minutes   integer NOT NULL DEFAULT 60,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (max_delay_minutes >= min_delay_minutes)
);
CREATE INDEX engagement_settings_enabled_idx ON engagement_settings (profile_id) WHERE is_enabled;

-- One counter per profile, UTC day and action; increment_engagement_counter upserts it.
CREATE TABLE engagement_counters (
  profile_id   uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  counter_date date NOT NULL,
  action_type  text NOT NULL CHECK (action_type IN ('like', 'comment', 'repost')),
  count        integer NOT NULL DEFAULT 0 CHECK (count >= 0),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (profile_id, counter_date, action_type)
);

CREATE TABLE comment_patterns (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid,
  -- the engager this pattern belongs to; NULL = shared by every engager
  profile_id   uuid REFERENCES profiles (id) ON DELETE CASCADE,
  name         text,
  pattern      text NOT NULL CHECK (btrim(pattern) <> ''),
  category     text,
  is_active    boolean NOT NULL DEFAULT true,
  usage_count  integer NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
  last_used_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comment_patterns_active_idx ON comment_patterns (profile_id, usage_count) WHERE is_active;

-- What each engager did on which post: get_eligible_engagers excludes those who already engaged,
-- select_comment_pattern avoids the patterns an engager used last.
CREATE TABLE post_engagements (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  engager_profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  post_author_id     uuid REFERENCES profiles (id) ON DELETE SET NULL,
  external_post_id   text NOT NULL,
  action_type        text NOT NULL CHECK (action_type IN ('like', 'comment', 'repost')),
  comment_pattern_id uuid REFERENCES comment_patterns (id) ON DELETE SET NULL,
  comment_text       text,
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'skipped')),
  scheduled_for      timestamptz,
  engaged_at         timestamptz,
  error_message      text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (engager_profile_id, external_post_id, action_type)
);
CREATE INDEX post_engagements_post_idx ON post_engagements (external_post_id);
CREATE INDEX post_engagements_engager_idx ON post_engagements (engager_profile_id, created_at DESC);
CREATE INDEX post_engagements_due_idx ON post_engagements (scheduled_for) WHERE status = 'pending';
