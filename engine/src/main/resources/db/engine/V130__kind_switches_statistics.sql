-- A table that was never analysed is assumed by the planner to fill 10 pages, and the claim's
-- anti-join on it was then planned as a hash join over every available job (the claim went from
-- 2 ms to 14 ms on 40,000 jobs). Analysed while empty, it is known to be small; it stays small.
ANALYZE tributary.disabled_kinds;
