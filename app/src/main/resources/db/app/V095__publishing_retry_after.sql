-- A refusal before creation (429, 503 no_client_session) may say when to come back (Retry-After).
-- The refused attempt keeps that time: no node sends the post again before it, whichever path
-- (its job, the catch-up cycle) comes first.
ALTER TABLE publishing_attempts ADD COLUMN retry_not_before timestamptz;
