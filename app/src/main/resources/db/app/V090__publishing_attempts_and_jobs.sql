-- Scheduled publishing (S1.6, S1.7), exactly once.
--
-- 1. Every call that creates a post on the provider is recorded here, with its own id, BEFORE the
--    call is made. An attempt is 'sending' while the call runs; then 'created' (the provider gave a
--    post id, or reconciliation found the post), 'refused' (certainly not created: 429, 503
--    no_client_session), 'failed' (refused for good, or never sent: bad media), 'unknown' (no usable
--    answer: timeout, reset, 500/502/504) or 'absent' (reconciliation listed the account's posts
--    after the settle delay and the post is not there).
-- 2. A source row has at most one open attempt ('sending' or 'unknown'): a second node cannot send
--    while the first one's outcome is not known.
CREATE TABLE publishing_attempts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source           text NOT NULL CHECK (source IN ('scheduled_post', 'production_post', 'company_post')),
  source_id        uuid NOT NULL,
  -- the Unipile account posted from, and the organization posted as (company pages)
  account_id       text NOT NULL,
  as_organization  text,
  content          text NOT NULL,
  state            text NOT NULL DEFAULT 'sending'
                     CHECK (state IN ('sending', 'created', 'refused', 'failed', 'unknown', 'absent')),
  node             text,
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  external_post_id text,
  post_url         text,
  -- true when 'created' was learnt by listing the account's posts, not from the create answer
  reconciled       boolean NOT NULL DEFAULT false,
  error_message    text,
  CHECK (state <> 'created' OR external_post_id IS NOT NULL)
);
CREATE INDEX publishing_attempts_source_idx ON publishing_attempts (source, source_id, started_at DESC);
CREATE UNIQUE INDEX publishing_attempts_one_open_idx ON publishing_attempts (source, source_id)
  WHERE state IN ('sending', 'unknown');
-- one provider post answers for one attempt: reconciliation never claims a post twice
CREATE UNIQUE INDEX publishing_attempts_external_idx ON publishing_attempts (external_post_id)
  WHERE external_post_id IS NOT NULL;
CREATE INDEX publishing_attempts_open_idx ON publishing_attempts (started_at) WHERE state IN ('sending', 'unknown');

-- The member's provider id (ACo…): the identifier the account's posts are listed under.
ALTER TABLE unipile_accounts ADD COLUMN provider_id text;

CREATE INDEX company_published_posts_publishing_idx ON company_published_posts (updated_at)
  WHERE status = 'publishing';
CREATE INDEX scheduled_posts_publishing_idx ON scheduled_posts (updated_at) WHERE status = 'publishing';
CREATE INDEX production_posts_publishing_idx ON production_posts (updated_at) WHERE status = 'publishing';

-- The job key of a post due at a given time: moving the post gives a new key, so the old job can be
-- cancelled and the new one enqueued even while the old one runs.
CREATE FUNCTION publishing_job_key(p_source text, p_id uuid, p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'publishing:' || p_source || ':' || p_id || '@' || floor(extract(epoch FROM p_at) * 1000)::bigint;
$$;

-- Keeps one engine job per waiting post, due at the post's own time: a new waiting post gets one,
-- a moved post's job is cancelled and enqueued again at the new time, a post that stops waiting
-- (cancelled, deleted, claimed by the cycle) loses its job if it was still waiting.
CREATE FUNCTION publishing_track_job(
  p_source text, p_id uuid, p_was_waiting boolean, p_old_at timestamptz,
  p_waiting boolean, p_new_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_was_waiting AND p_old_at IS NOT NULL
     AND (NOT p_waiting OR p_old_at IS DISTINCT FROM p_new_at) THEN
    UPDATE tributary.jobs
       SET state = 'cancelled', finished_at = now(),
           last_error = CASE WHEN p_waiting THEN 'the post was moved to ' || p_new_at
                             ELSE 'the post no longer waits to be published' END
     WHERE unique_key = publishing_job_key(p_source, p_id, p_old_at) AND state = 'available';
  END IF;
  IF p_waiting AND p_new_at IS NOT NULL
     AND (NOT p_was_waiting OR p_old_at IS DISTINCT FROM p_new_at) THEN
    PERFORM tributary.enqueue_job('publishing.publish',
                                  jsonb_build_object('source', p_source, 'id', p_id),
                                  'publishing', 0, p_new_at, 10,
                                  publishing_job_key(p_source, p_id, p_new_at));
  END IF;
END;
$$;

CREATE FUNCTION publishing_track_scheduled_post() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publishing_track_job('scheduled_post',
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
    TG_OP <> 'INSERT' AND OLD.status = 'pending', CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.scheduled_at END,
    TG_OP <> 'DELETE' AND NEW.status = 'pending', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.scheduled_at END);
  RETURN NULL;
END;
$$;
CREATE TRIGGER publishing_track_scheduled_post
  AFTER INSERT OR DELETE OR UPDATE OF status, scheduled_at ON scheduled_posts
  FOR EACH ROW EXECUTE FUNCTION publishing_track_scheduled_post();

CREATE FUNCTION publishing_track_production_post() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publishing_track_job('production_post',
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
    TG_OP <> 'INSERT' AND OLD.status = 'scheduled', CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.publication_date END,
    TG_OP <> 'DELETE' AND NEW.status = 'scheduled', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.publication_date END);
  RETURN NULL;
END;
$$;
CREATE TRIGGER publishing_track_production_post
  AFTER INSERT OR DELETE OR UPDATE OF status, publication_date ON production_posts
  FOR EACH ROW EXECUTE FUNCTION publishing_track_production_post();

CREATE FUNCTION publishing_track_company_post() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publishing_track_job('company_post',
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
    TG_OP <> 'INSERT' AND OLD.status = 'pending', CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.scheduled_for END,
    TG_OP <> 'DELETE' AND NEW.status = 'pending', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.scheduled_for END);
  RETURN NULL;
END;
$$;
CREATE TRIGGER publishing_track_company_post
  AFTER INSERT OR DELETE OR UPDATE OF status, scheduled_for ON company_published_posts
  FOR EACH ROW EXECUTE FUNCTION publishing_track_company_post();

-- The seed's cron entry point (job 5, every 5 minutes): enqueues one publishing cycle (catch-up:
-- due posts without a job, posts left in 'publishing', due company posts). Returns the job id.
CREATE FUNCTION call_publish_scheduled() RETURNS bigint
LANGUAGE sql AS $$
  SELECT job_id FROM tributary.enqueue_job('publishing.cycle', '{}'::jsonb, 'publishing', 0, now(), 3,
                                           'publishing:cycle');
$$;
