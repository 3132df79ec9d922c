-- Seed schema, part 5: tweet engagement tracking (S4). Column names follow seed 004's SQL:
-- twitter_engagement_tracking.tweet_db_id and twitter_engagement_history.tweet_id both point at
-- twitter_tweets.id (the database id); twitter_tweets.tweet_id is Twitter's own id.

-- A zone is a watched theme or account list; users reach tweets through the zones they belong to.
CREATE TABLE twitter_zones (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid,
  name        text NOT NULL,
  description text,
  query       text,
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE twitter_zone_members (
  zone_id    uuid NOT NULL REFERENCES twitter_zones (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL,
  role       text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zone_id, user_id)
);
CREATE INDEX twitter_zone_members_user_idx ON twitter_zone_members (user_id);

CREATE TABLE twitter_tweets (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tweet_id             text NOT NULL UNIQUE CHECK (tweet_id ~ '^[0-9]{1,25}$'),
  zone_id              uuid REFERENCES twitter_zones (id) ON DELETE SET NULL,
  author_id            text,
  author_username      text,
  author_name          text,
  author_followers     integer,
  author_verified      boolean NOT NULL DEFAULT false,
  text                 text NOT NULL DEFAULT '',
  lang                 text,
  url                  text,
  twitter_created_at   timestamptz,
  retweet_count        integer NOT NULL DEFAULT 0 CHECK (retweet_count >= 0),
  reply_count          integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
  like_count           integer NOT NULL DEFAULT 0 CHECK (like_count >= 0),
  quote_count          integer NOT NULL DEFAULT 0 CHECK (quote_count >= 0),
  view_count           bigint NOT NULL DEFAULT 0 CHECK (view_count >= 0),
  bookmark_count       integer NOT NULL DEFAULT 0 CHECK (bookmark_count >= 0),
  -- set when the provider no longer returns the tweet (deleted, or the account went private)
  is_unavailable       boolean NOT NULL DEFAULT false,
  raw                  jsonb,
  metrics_updated_at   timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX twitter_tweets_zone_idx ON twitter_tweets (zone_id, twitter_created_at DESC);
CREATE INDEX twitter_tweets_created_idx ON twitter_tweets (twitter_created_at DESC);

CREATE TABLE twitter_engagement_tracking (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tweet_db_id        uuid NOT NULL UNIQUE REFERENCES twitter_tweets (id) ON DELETE CASCADE,
  tier               text NOT NULL DEFAULT 'ultra_hot' CHECK (tier IN ('ultra_hot', 'hot', 'warm', 'cold')),
  tracking_enabled   boolean NOT NULL DEFAULT true,
  next_update_at     timestamptz NOT NULL DEFAULT now(),
  last_updated_at    timestamptz,
  update_count       integer NOT NULL DEFAULT 0 CHECK (update_count >= 0),
  -- likes + retweets + replies + quotes when tracking started: selective tracking compares it
  initial_engagement integer NOT NULL DEFAULT 0,
  last_velocity      numeric NOT NULL DEFAULT 0,
  peak_velocity      numeric NOT NULL DEFAULT 0,
  viral_alerted_at   timestamptz,
  consecutive_errors integer NOT NULL DEFAULT 0,
  last_error         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- the batch updater's queue predicate
CREATE INDEX twitter_engagement_tracking_due_idx
  ON twitter_engagement_tracking (next_update_at) WHERE tracking_enabled;
CREATE INDEX twitter_engagement_tracking_tier_idx ON twitter_engagement_tracking (tier);

CREATE TABLE twitter_engagement_history (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tweet_id            uuid NOT NULL REFERENCES twitter_tweets (id) ON DELETE CASCADE,
  snapshot_at         timestamptz NOT NULL DEFAULT now(),
  retweet_count       integer NOT NULL DEFAULT 0,
  reply_count         integer NOT NULL DEFAULT 0,
  like_count          integer NOT NULL DEFAULT 0,
  quote_count         integer NOT NULL DEFAULT 0,
  view_count          bigint NOT NULL DEFAULT 0,
  bookmark_count      integer NOT NULL DEFAULT 0,
  total_engagement    integer NOT NULL DEFAULT 0,
  delta_retweets      integer NOT NULL DEFAULT 0,
  delta_likes         integer NOT NULL DEFAULT 0,
  delta_replies       integer NOT NULL DEFAULT 0,
  delta_quotes        integer NOT NULL DEFAULT 0,
  delta_views         bigint NOT NULL DEFAULT 0,
  delta_bookmarks     integer NOT NULL DEFAULT 0,
  -- engagement gained per hour since the previous snapshot
  engagement_velocity numeric NOT NULL DEFAULT 0,
  tier                text CHECK (tier IN ('ultra_hot', 'hot', 'warm', 'cold')),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX twitter_engagement_history_tweet_idx ON twitter_engagement_history (tweet_id, snapshot_at DESC);
CREATE INDEX twitter_engagement_history_snapshot_idx ON twitter_engagement_history (snapshot_at);

-- Viral alerts (S4.9): a tweet whose velocity passed the threshold, raised once per tweet.
CREATE TABLE twitter_viral_alerts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tweet_db_id     uuid NOT NULL UNIQUE REFERENCES twitter_tweets (id) ON DELETE CASCADE,
  velocity        numeric NOT NULL,
  threshold       numeric NOT NULL,
  tier            text CHECK (tier IN ('ultra_hot', 'hot', 'warm', 'cold')),
  acknowledged_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX twitter_viral_alerts_open_idx ON twitter_viral_alerts (created_at) WHERE acknowledged_at IS NULL;
