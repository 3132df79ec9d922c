-- Supplier sync staging, append-only: every page of every stream is COPYed into
-- supplier_sync_items in the transaction that saves the stream's cursor (so a crash resumes at the
-- first page not saved and nothing is staged twice), with no conflict to resolve while reading;
-- the merge joins the streams' rows by product id once, at the end. Replaces supplier_sync_rows
-- (V080), whose per-page INSERT ... ON CONFLICT DO UPDATE rewrote a product's row once per stream.
CREATE TABLE supplier_sync_items (
  import_job_id  uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  -- whether the stream lists products to import (BigBuy's products, an AliExpress search)
  in_catalogue   boolean NOT NULL,
  external_id    text    NOT NULL,
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
  active         boolean
);
CREATE INDEX supplier_sync_items_job_idx ON supplier_sync_items (import_job_id);

-- a sync in flight during the upgrade keeps what it staged
INSERT INTO supplier_sync_items
       (import_job_id, in_catalogue, external_id, sku, name, description, category, price, cost_price,
        currency, stock_quantity, images, attributes, active)
SELECT import_job_id, in_catalogue, external_id, sku, name, description, category, price, cost_price,
       currency, stock_quantity, images, attributes, active
  FROM supplier_sync_rows;

DROP TABLE supplier_sync_rows;

-- The attributes different streams said of one product, merged (jsonb ||; strict, so nulls are skipped).
CREATE AGGREGATE supplier_jsonb_merge(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb);
