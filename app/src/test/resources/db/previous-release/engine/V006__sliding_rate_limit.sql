-- Queue rate limits become a sliding window: at most rate_limit job starts in ANY rate_interval_ms,
-- where the fixed window of V002 let up to twice that through across a window boundary (a provider
-- counting in its own windows saw the burst and answered 429).
--
-- The interval is cut into 20 buckets; bucket_counts[1] counts the starts in bucket bucket_newest,
-- bucket_counts[i] those in bucket_newest - (i - 1), for 21 buckets in all. A claim at time t may
-- start rate_limit minus everything counted in the 21 buckets up to t's own; they cover the whole
-- interval before t (and at most one bucket more), so no interval ever holds more than rate_limit
-- starts. The price of counting that extra bucket: a queue kept saturated starts rate_limit jobs per
-- 21/20 of the interval, 5% under the limit.
ALTER TABLE tributary.queues
  ADD COLUMN bucket_newest bigint    NOT NULL DEFAULT 0,
  ADD COLUMN bucket_counts integer[] NOT NULL DEFAULT array_fill(0, ARRAY[21])
    CHECK (array_length(bucket_counts, 1) = 21),
  DROP COLUMN window_index,
  DROP COLUMN window_count;
