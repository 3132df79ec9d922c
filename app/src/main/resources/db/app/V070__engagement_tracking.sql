-- Engagement tracking (S4, issue 10) on the seed's tables (V024).
--
-- What is due is decided by next_update_at alone: a refresh claims due rows by pushing next_update_at
-- forward by a lease and stamping claim_token/claimed_until, so two nodes never take the same tweet;
-- the refresh's write only lands where the claim is still its own. A node that dies mid-refresh leaves
-- its rows due again when the lease ends.

-- The settings the insert trigger needs; the node writes them at start-up from its configuration.
CREATE TABLE twitter_engagement_config (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  tracking_min   integer  NOT NULL DEFAULT 10 CHECK (tracking_min >= 0),
  first_interval interval NOT NULL DEFAULT interval '15 minutes',
  updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO twitter_engagement_config DEFAULT VALUES;

ALTER TABLE twitter_engagement_tracking
  ADD COLUMN claim_token   uuid,
  ADD COLUMN claimed_until timestamptz;

-- The due query (tracking_enabled AND next_update_at <= now ORDER BY next_update_at LIMIT n) reads this
-- index alone to find its rows; id rides along so the claim's sub-select needs no other lookup.
DROP INDEX twitter_engagement_tracking_due_idx;
CREATE INDEX twitter_engagement_tracking_due_idx
  ON twitter_engagement_tracking (next_update_at) INCLUDE (id) WHERE tracking_enabled;

-- Provider calls per UTC day, for the stats (calls today, tweets fetched, failures).
CREATE TABLE twitter_provider_calls (
  day      date    NOT NULL,
  provider text    NOT NULL,
  calls    integer NOT NULL DEFAULT 0,
  tweets   integer NOT NULL DEFAULT 0,
  failures integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, provider)
);

-- The viral alert webhook: sent once per alert by an engine job (unique key per alert).
ALTER TABLE twitter_viral_alerts
  ADD COLUMN webhook_sent_at timestamptz,
  ADD COLUMN webhook_status  integer;

-- Every tweet gets its tracking row when it is inserted, by SQL or by the API. Selective tracking
-- (S4.9): a tweet inserted with its counts is tracked only when likes + retweets + replies + quotes
-- reach tracking_min; a tweet inserted without counts (metrics_updated_at null) is due at once and its
-- first refresh applies the threshold. The starting tier follows the tweet's age.
CREATE FUNCTION twitter_tweets_start_tracking() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_min   integer;
  v_first interval;
  v_eng   integer := NEW.like_count + NEW.retweet_count + NEW.reply_count + NEW.quote_count;
  v_age   interval := now() - coalesce(NEW.twitter_created_at, now());
BEGIN
  SELECT tracking_min, first_interval INTO v_min, v_first FROM twitter_engagement_config WHERE id;
  INSERT INTO twitter_engagement_tracking
    (tweet_db_id, tier, tracking_enabled, next_update_at, last_updated_at, initial_engagement)
  VALUES (
    NEW.id,
    CASE WHEN v_age < interval '1 hour' THEN 'ultra_hot'
         WHEN v_age < interval '6 hours' THEN 'hot'
         WHEN v_age < interval '24 hours' THEN 'warm'
         ELSE 'cold' END,
    NEW.metrics_updated_at IS NULL OR v_eng >= coalesce(v_min, 10),
    CASE WHEN NEW.metrics_updated_at IS NULL THEN now()
         ELSE now() + coalesce(v_first, interval '15 minutes') END,
    NEW.metrics_updated_at,
    v_eng)
  ON CONFLICT (tweet_db_id) DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER twitter_tweets_start_tracking AFTER INSERT ON twitter_tweets
  FOR EACH ROW EXECUTE FUNCTION twitter_tweets_start_tracking();

-- Tweets stored before this migration get their tracking row now, due at once.
INSERT INTO twitter_engagement_tracking (tweet_db_id, next_update_at)
SELECT id, now() FROM twitter_tweets ON CONFLICT (tweet_db_id) DO NOTHING;
