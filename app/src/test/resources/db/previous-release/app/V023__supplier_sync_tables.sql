-- Seed schema, part 4: supplier sync (S2). import_jobs is the seed's job queue; its types and
-- statuses are exactly the seed's. Priorities, retries with backoff and the end-of-sync webhook
-- (the seed's wish list, S2.6) have their columns here.

CREATE TABLE suppliers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid,
  name            text NOT NULL,
  -- which connector serves this supplier
  provider        text NOT NULL CHECK (provider IN ('bigbuy', 'aliexpress', 'custom')),
  -- connector settings (never API keys: those come from the environment)
  settings        jsonb NOT NULL DEFAULT '{}',
  search_keywords text[] NOT NULL DEFAULT '{}',
  is_active       boolean NOT NULL DEFAULT true,
  last_sync_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_user_idx ON suppliers (user_id) WHERE is_active;

CREATE TABLE marketplace_integrations (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid,
  platform     text NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'prestashop', 'amazon', 'ebay', 'etsy', 'other')),
  shop_url     text,
  settings     jsonb NOT NULL DEFAULT '{}',
  is_active    boolean NOT NULL DEFAULT true,
  sync_enabled boolean NOT NULL DEFAULT true,
  last_sync_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_jobs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid,
  supplier_id     uuid REFERENCES suppliers (id) ON DELETE CASCADE,
  job_type        text NOT NULL CHECK (job_type IN ('supplier_api', 'inventory_update', 'price_update', 'order_sync')),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed')),
  -- lower runs first
  priority        integer NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts    integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  -- a retried job waits until then (exponential backoff)
  run_after       timestamptz NOT NULL DEFAULT now(),
  parameters      jsonb NOT NULL DEFAULT '{}',
  total_items     integer NOT NULL DEFAULT 0,
  processed_items integer NOT NULL DEFAULT 0,
  success_items   integer NOT NULL DEFAULT 0,
  failed_items    integer NOT NULL DEFAULT 0,
  errors          jsonb NOT NULL DEFAULT '[]',
  result          jsonb NOT NULL DEFAULT '{}',
  webhook_url     text,
  webhook_sent_at timestamptz,
  started_at      timestamptz,
  completed_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at)
);
CREATE INDEX import_jobs_pending_idx ON import_jobs (priority, run_after, created_at) WHERE status = 'pending';
CREATE INDEX import_jobs_running_idx ON import_jobs (started_at DESC) WHERE status = 'running';
CREATE INDEX import_jobs_finished_idx ON import_jobs (completed_at) WHERE status IN ('completed', 'failed');
CREATE INDEX import_jobs_created_idx ON import_jobs (created_at);

-- The sync's log lines ("delete logs older than 30 days", S2.4).
CREATE TABLE import_job_logs (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id     uuid REFERENCES import_jobs (id) ON DELETE SET NULL,
  level      text NOT NULL DEFAULT 'info' CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message    text NOT NULL,
  details    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_job_logs_created_idx ON import_job_logs (created_at);
CREATE INDEX import_job_logs_job_idx ON import_job_logs (job_id);

CREATE TABLE imported_products (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid,
  supplier_id    uuid NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  -- the supplier's product id
  external_id    text NOT NULL,
  sku            text,
  name           text NOT NULL,
  description    text,
  category       text,
  price          numeric(12, 2) CHECK (price >= 0),
  cost_price     numeric(12, 2) CHECK (cost_price >= 0),
  currency       text NOT NULL DEFAULT 'EUR',
  stock_quantity integer NOT NULL DEFAULT 0,
  images         jsonb NOT NULL DEFAULT '[]',
  attributes     jsonb NOT NULL DEFAULT '{}',
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'inactive', 'out_of_stock', 'discontinued')),
  -- performance score recomputed after each sync cycle
  ai_score       numeric(5, 2) CHECK (ai_score BETWEEN 0 AND 100),
  last_synced_at timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (supplier_id, external_id)
);
CREATE INDEX imported_products_user_idx ON imported_products (user_id);

CREATE TABLE orders (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                    uuid,
  supplier_id                uuid REFERENCES suppliers (id) ON DELETE SET NULL,
  marketplace_integration_id uuid REFERENCES marketplace_integrations (id) ON DELETE SET NULL,
  -- the marketplace's order id and the supplier's
  external_order_id          text,
  supplier_order_id          text,
  status                     text NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded')),
  tracking_number            text,
  carrier                    text,
  total_amount               numeric(12, 2),
  currency                   text NOT NULL DEFAULT 'EUR',
  items                      jsonb NOT NULL DEFAULT '[]',
  last_synced_at             timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_open_idx ON orders (supplier_id, last_synced_at NULLS FIRST)
  WHERE status IN ('pending', 'processing', 'shipped');
CREATE UNIQUE INDEX orders_supplier_order_idx ON orders (supplier_id, supplier_order_id) WHERE supplier_order_id IS NOT NULL;
