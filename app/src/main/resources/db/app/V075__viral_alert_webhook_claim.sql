-- A viral alert's webhook is sent under a short claim: two deliveries of one alert racing (two nodes,
-- a job run again after a lost lease) cannot both POST it. The claim ends when the POST is answered
-- (sent: webhook_sent_at; failed: cleared for the job's retry) or, if the sender died, after it lapses.
ALTER TABLE twitter_viral_alerts ADD COLUMN webhook_claimed_until timestamptz;
