-- Profile sync pipeline (V040-V049): the queue of the profile-completion worker (S1.1) and the
-- monthly style refresh (S1.8).
--
-- needs_style_analysis is the truth about a profile that wants its style (re)analysed, like the
-- needs_* flags of viral_posts_bank: the refresh sets it, an operator may set it, the worker clears
-- it. A profile with no writing_style_prompt yet is in the queue without the flag. style_locked_at
-- is the worker's claim stamp (same scheme as the post queues: skipped until released or stale).
ALTER TABLE profiles
  ADD COLUMN needs_style_analysis boolean NOT NULL DEFAULT false,
  ADD COLUMN style_locked_at      timestamptz;

CREATE INDEX profiles_needs_style_analysis_idx ON profiles (created_at) WHERE needs_style_analysis = true;
