-- Supplier sync (S2) on the engine. import_jobs stays the seed's queue table: a row inserted by
-- anyone (SQL, the API, a schedule) wakes an engine job at once; the job runs the sync, keeps its
-- cursor in sync_state after every page, and on a retryable failure sets the row back to 'pending'
-- with run_after in the future (backoff, or a rate-limit reset), which enqueues the next engine job.

ALTER TABLE import_jobs
  -- per stream: {page, status, items, failed, error, wait_until}; plus the merge's progress
  ADD COLUMN sync_state    jsonb NOT NULL DEFAULT '{}',
  -- the engine job that holds the row while it is 'running'
  ADD COLUMN engine_job_id bigint,
  ADD COLUMN last_error    text;

-- What the streams of a running sync have read so far, one row per product, joined by id across
-- streams (every BigBuy endpoint orders its items differently). Written one statement per page; a
-- page read twice (after a crash) writes the same values again.
CREATE TABLE supplier_sync_rows (
  import_job_id  uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  external_id    text    NOT NULL,
  in_catalogue   boolean NOT NULL DEFAULT false,
  sku            text,
  name           text,
  description    text,
  category       text,
  price          numeric(12, 2),
  cost_price     numeric(12, 2),
  currency       text,
  stock_quantity integer,
  images         jsonb,
  attributes     jsonb,
  active         boolean,
  PRIMARY KEY (import_job_id, external_id)
);

-- Per-endpoint quotas as the vendor's X-RateLimit-* headers last reported them, shared by every node.
CREATE TABLE supplier_endpoint_quotas (
  endpoint   text PRIMARY KEY,
  remaining  integer     NOT NULL,
  reset_at   timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A pending import job gets an engine job due at its run_after, deduplicated per (job, run_after):
-- the INSERT, a retry's new run_after and the hourly catch-up all land on one engine job.
CREATE FUNCTION import_job_engine_key(p_id uuid, p_run_after timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'import_job:' || p_id || ':' || floor(extract(epoch FROM p_run_after) * 1000)::bigint
$$;

CREATE FUNCTION enqueue_import_job() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'pending'
     AND (TG_OP = 'INSERT' OR OLD.status <> 'pending' OR OLD.run_after <> NEW.run_after) THEN
    PERFORM tributary.enqueue_job('supplier.import', jsonb_build_object('import_job_id', NEW.id),
                                  'suppliers', NEW.priority - 1, NEW.run_after, 5,
                                  import_job_engine_key(NEW.id, NEW.run_after));
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER import_jobs_enqueue AFTER INSERT OR UPDATE OF status, run_after ON import_jobs
  FOR EACH ROW EXECUTE FUNCTION enqueue_import_job();

CREATE INDEX imported_products_supplier_idx ON imported_products (supplier_id, status);
CREATE INDEX orders_supplier_idx ON orders (supplier_id) WHERE supplier_order_id IS NOT NULL;
