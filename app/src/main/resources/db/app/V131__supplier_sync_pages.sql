-- Supplier sync staging, one row per page: each page of each stream is kept in a compact binary form
-- (the pipeline's StagedItem layout, format byte first) in the transaction that saves the stream's
-- cursor, so a crash resumes at the first page not saved and nothing is staged twice (the primary
-- key refuses it). The run joins the streams' items by product id in memory as it stages them, and
-- reads back only the pages an earlier run of the same job staged (staged_by: the run's own id).
-- Replaces supplier_sync_items (V085), one row per item per stream, whose COPY and GROUP BY were most
-- of a sync's database time.
CREATE TABLE supplier_sync_pages (
  import_job_id uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  stream        text    NOT NULL,
  page          integer NOT NULL,
  -- whether the stream lists products to import (BigBuy's products, an AliExpress search)
  in_catalogue  boolean NOT NULL,
  staged_by     uuid    NOT NULL,
  item_count    integer NOT NULL,
  items         bytea   NOT NULL,
  staged_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (import_job_id, stream, page)
);
-- the pages are written once and read at most once: compressing them costs more than it saves
ALTER TABLE supplier_sync_pages ALTER COLUMN items SET STORAGE EXTERNAL;

-- A sync in flight during the upgrade staged its rows in the old layout: it reads its streams again
-- from the first page (its counters restart with it).
UPDATE import_jobs
   SET sync_state = sync_state - 'streams', processed_items = 0, success_items = 0, failed_items = 0
 WHERE status IN ('pending', 'running')
   AND id IN (SELECT DISTINCT import_job_id FROM supplier_sync_items);

DROP TABLE supplier_sync_items;
DROP AGGREGATE supplier_jsonb_merge(jsonb);
