-- Seed schema, part 1: the tables the profile sync (S0), the workers (S1) and the vector sync (S3)
-- share. Names and enum values are the seeds'; see spec/features.md. Triggers and SQL functions
-- come in later migrations (V022 and up), so this file only holds tables, constraints and indexes.
--
-- Embeddings are real[] with the model id beside each vector: pgvector is not assumed.

-- The one generic updated_at trigger function (seed name). Tables with a seed-named trigger of their
-- own get it in V022; the function lives here so every later migration can use it.
CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Catalogues the classifiers choose from
-- ---------------------------------------------------------------------------------------------
CREATE TABLE hook_types (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  description     text,
  examples        text[] NOT NULL DEFAULT '{}',
  embedding       real[],
  embedding_model text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (embedding IS NULL OR embedding_model IS NOT NULL)
);

CREATE TABLE topics (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  description     text,
  examples        text[] NOT NULL DEFAULT '{}',
  embedding       real[],
  embedding_model text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (embedding IS NULL OR embedding_model IS NOT NULL)
);

CREATE TABLE audiences (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
  description     text,
  examples        text[] NOT NULL DEFAULT '{}',
  embedding       real[],
  embedding_model text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (embedding IS NULL OR embedding_model IS NOT NULL)
);

INSERT INTO hook_types (name, description, examples) VALUES
  ('question', 'Opens with a direct question that makes the reader answer in their head.',
    ARRAY['What would you do with 10 extra hours a week?', 'Why do most product launches fail?']),
  ('bold_statement', 'A short, confident claim stated as fact, without hedging.',
    ARRAY['Cold email is not dead. Lazy cold email is.', 'Your resume does not matter anymore.']),
  ('statistic', 'Leads with a number or a data point that surprises.',
    ARRAY['87% of founders underprice their first product.', 'We grew from 0 to 12,000 users in 90 days.']),
  ('story', 'Starts a narrative: a moment, a place, a person, something that happened.',
    ARRAY['Three years ago I was fired on a Tuesday morning.', 'My first client paid me in pizza.']),
  ('contrarian', 'Goes against a widely held belief or common advice.',
    ARRAY['Stop posting every day.', 'Networking events are a waste of time. Here is what works instead.']),
  ('how_to', 'Promises a method or a practical way to get a result.',
    ARRAY['How to write a cold email that gets replies:', 'How I plan a week of content in one hour.']),
  ('list', 'Announces a numbered list of lessons, tools, mistakes or tips.',
    ARRAY['7 tools I use every single day:', '5 mistakes I made hiring my first engineer.']),
  ('personal_confession', 'Admits a failure, a fear or something vulnerable about the author.',
    ARRAY['I almost quit last month.', 'I have a confession: I never read the books I recommend.']),
  ('curiosity_gap', 'Teases information without giving it, so the reader has to continue.',
    ARRAY['The one habit that doubled my output (it is not waking up early).', 'Nobody talks about this part of fundraising.']),
  ('call_out', 'Addresses a specific group of readers directly.',
    ARRAY['Founders, read this before your next board meeting.', 'If you are a junior developer, this is for you.']);

INSERT INTO topics (name, description) VALUES
  ('entrepreneurship', 'Starting and running a company: founders, fundraising, early-stage decisions.'),
  ('leadership', 'Managing people and teams, decisions, culture, delegation.'),
  ('career', 'Job search, promotions, changing careers, professional growth.'),
  ('sales', 'Prospecting, closing, negotiation, pipelines and sales teams.'),
  ('marketing', 'Brand, positioning, growth, campaigns and content marketing.'),
  ('personal_branding', 'Building an audience and a reputation, writing and posting online.'),
  ('productivity', 'Habits, focus, time management, tools and routines.'),
  ('technology', 'Software, AI, engineering and the tech industry.'),
  ('finance', 'Money, investing, pricing, revenue and business finance.'),
  ('mindset', 'Motivation, resilience, mental health and personal development.'),
  ('hiring', 'Recruiting, interviewing, onboarding and building teams.');

INSERT INTO audiences (name, description) VALUES
  ('founders', 'People who started or are starting a company.'),
  ('executives', 'C-level and senior leaders of established companies.'),
  ('managers', 'People who manage a team and its day-to-day work.'),
  ('job_seekers', 'People looking for a job or changing careers.'),
  ('freelancers', 'Independent consultants, freelancers and solo business owners.'),
  ('sales_professionals', 'Account executives, SDRs and sales leaders.'),
  ('marketers', 'Marketing, growth and content professionals.'),
  ('developers', 'Software engineers and technical people.');

-- ---------------------------------------------------------------------------------------------
-- Profiles and their sync state (S0.1, S0.5, S0.7)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE profiles (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- owner of the profile in the app (an authenticated user's id); no users table in this schema
  user_id              uuid,
  full_name            text,
  first_name           text,
  last_name            text,
  headline             text,
  linkedin_id          text,
  linkedin_url         text,
  avatar_url           text,
  type                 text NOT NULL DEFAULT 'external_influencer'
                         CHECK (type IN ('external_influencer', 'internal', 'client', 'prospect')),
  sync_enabled         boolean NOT NULL DEFAULT true,
  sync_status          text NOT NULL DEFAULT 'pending'
                         CHECK (sync_status IN ('pending', 'scraping', 'synced', 'failed')),
  -- when the status last moved to 'scraping': lets cleanup_stuck_scraping_states find stuck ones
  sync_started_at      timestamptz,
  last_sync_at         timestamptz,
  posts_count          integer NOT NULL DEFAULT 0 CHECK (posts_count >= 0),
  avg_engagement       numeric NOT NULL DEFAULT 0,
  writing_style_prompt text,
  style_analysis       jsonb,
  style_analyzed_by    text,
  style_analyzed_at    timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profiles_user_id_idx ON profiles (user_id);
CREATE INDEX profiles_linkedin_id_idx ON profiles (linkedin_id);
CREATE INDEX profiles_type_idx ON profiles (type);
-- queue predicates: profiles waiting for a scrape, profiles stuck in 'scraping'
CREATE INDEX profiles_sync_pending_idx ON profiles (created_at) WHERE sync_status = 'pending';
CREATE INDEX profiles_sync_scraping_idx ON profiles (sync_started_at) WHERE sync_status = 'scraping';
-- queue predicate of the profile-completion worker: profiles without a style yet
CREATE INDEX profiles_needing_style_idx ON profiles (created_at) WHERE writing_style_prompt IS NULL;

CREATE TABLE profile_sync_status (
  profile_id           uuid PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
  last_scraped_at      timestamptz,
  last_attempt_at      timestamptz,
  sync_priority        integer NOT NULL DEFAULT 2 CHECK (sync_priority BETWEEN 1 AND 3),
  consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  last_error           text,
  last_posts_scraped   integer NOT NULL DEFAULT 0,
  last_posts_new       integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
-- get_profiles_to_sync walks this order
CREATE INDEX profile_sync_status_due_idx
  ON profile_sync_status (sync_priority, last_scraped_at NULLS FIRST)
  WHERE consecutive_failures < 5;
CREATE INDEX profile_sync_status_failing_idx
  ON profile_sync_status (consecutive_failures) WHERE consecutive_failures > 0;

-- ---------------------------------------------------------------------------------------------
-- The bank of scraped posts and its enrichment queues (S0.2-S0.4, S1.1, S1.9)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE viral_posts_bank (
  id                                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- a post outlives its author's profile in the bank
  author_id                          uuid REFERENCES profiles (id) ON DELETE SET NULL,
  post_url                           text UNIQUE,
  external_post_id                   text,
  content                            text NOT NULL DEFAULT '',
  hook                               text,
  likes                              integer NOT NULL DEFAULT 0 CHECK (likes >= 0),
  comments                           integer NOT NULL DEFAULT 0 CHECK (comments >= 0),
  reposts                            integer NOT NULL DEFAULT 0 CHECK (reposts >= 0),
  posted_at                          timestamptz,
  media                              jsonb NOT NULL DEFAULT '[]',
  embedding                          real[],
  embedding_model                    text,
  embedded_at                        timestamptz,
  hook_type_id                       uuid REFERENCES hook_types (id) ON DELETE SET NULL,
  topic_id                           uuid REFERENCES topics (id) ON DELETE SET NULL,
  audience_id                        uuid REFERENCES audiences (id) ON DELETE SET NULL,
  -- which provider (e.g. 'openai:gpt-4o-mini', 'local') made the last classification
  classified_by                      text,
  classified_at                      timestamptz,
  needs_hook_extraction              boolean NOT NULL DEFAULT false,
  needs_embedding                    boolean NOT NULL DEFAULT false,
  needs_hook_classification          boolean NOT NULL DEFAULT false,
  needs_topic_classification         boolean NOT NULL DEFAULT false,
  needs_audience_classification      boolean NOT NULL DEFAULT false,
  -- claim stamps of the SKIP LOCKED queue functions: a claimed row is skipped until its stamp is
  -- released or goes stale
  hook_extraction_locked_at          timestamptz,
  embedding_locked_at                timestamptz,
  hook_classification_locked_at      timestamptz,
  topic_classification_locked_at     timestamptz,
  audience_classification_locked_at  timestamptz,
  created_at                         timestamptz NOT NULL DEFAULT now(),
  updated_at                         timestamptz NOT NULL DEFAULT now(),
  CHECK (embedding IS NULL OR embedding_model IS NOT NULL)
);
CREATE INDEX viral_posts_bank_author_idx ON viral_posts_bank (author_id, posted_at DESC);
CREATE INDEX viral_posts_bank_external_post_id_idx ON viral_posts_bank (external_post_id);
CREATE INDEX viral_posts_bank_hook_type_idx ON viral_posts_bank (hook_type_id);
CREATE INDEX viral_posts_bank_topic_idx ON viral_posts_bank (topic_id);
CREATE INDEX viral_posts_bank_audience_idx ON viral_posts_bank (audience_id);
-- one partial index per queue predicate
CREATE INDEX viral_posts_bank_needs_hook_extraction_idx
  ON viral_posts_bank (created_at) WHERE needs_hook_extraction = true;
CREATE INDEX viral_posts_bank_needs_embedding_idx
  ON viral_posts_bank (created_at) WHERE needs_embedding = true;
CREATE INDEX viral_posts_bank_needs_hook_classification_idx
  ON viral_posts_bank (created_at) WHERE needs_hook_classification = true;
CREATE INDEX viral_posts_bank_needs_topic_classification_idx
  ON viral_posts_bank (created_at) WHERE needs_topic_classification = true;
CREATE INDEX viral_posts_bank_needs_audience_classification_idx
  ON viral_posts_bank (created_at) WHERE needs_audience_classification = true;
CREATE INDEX viral_posts_bank_embedding_locked_idx
  ON viral_posts_bank (embedding_locked_at) WHERE embedding_locked_at IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Sync run history (S0.6)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE sync_jobs (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_type             text NOT NULL DEFAULT 'full_cascade'
                         CHECK (job_type IN ('profile_scrape', 'embedding_update', 'hook_classification', 'full_cascade')),
  status               text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'running', 'completed', 'failed', 'partial')),
  profiles_processed   integer NOT NULL DEFAULT 0,
  successful_profiles  integer NOT NULL DEFAULT 0,
  posts_scraped        integer NOT NULL DEFAULT 0,
  posts_new            integer NOT NULL DEFAULT 0,
  embeddings_updated   integer NOT NULL DEFAULT 0,
  hooks_classified     integer NOT NULL DEFAULT 0,
  -- the request that started the run, e.g. {max_profiles, generate_embeddings, classify_hooks}
  parameters           jsonb NOT NULL DEFAULT '{}',
  results              jsonb NOT NULL DEFAULT '[]',
  errors               jsonb NOT NULL DEFAULT '[]',
  error_message        text,
  triggered_by         text,
  started_at           timestamptz,
  completed_at         timestamptz,
  duration_seconds     numeric,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_jobs_created_idx ON sync_jobs (created_at DESC);
CREATE INDEX sync_jobs_active_idx ON sync_jobs (started_at) WHERE status IN ('pending', 'running');

-- ---------------------------------------------------------------------------------------------
-- Relational <-> vector sync (S3)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE faq_items (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  question     text NOT NULL,
  answer       text NOT NULL,
  category     text,
  is_published boolean NOT NULL DEFAULT true,
  sort_order   integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX faq_items_published_idx ON faq_items (category, sort_order) WHERE is_published = true;

CREATE TABLE documentation_embeddings (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_table text NOT NULL,
  source_id    text NOT NULL,
  chunk_index  integer NOT NULL DEFAULT 0 CHECK (chunk_index >= 0),
  content      text NOT NULL,
  content_hash text,
  embedding    real[] NOT NULL,
  model        text NOT NULL,
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_table, source_id, chunk_index, model)
);
CREATE INDEX documentation_embeddings_source_idx ON documentation_embeddings (source_table, source_id);

CREATE TABLE embedding_sync_queue (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_table text NOT NULL,
  source_id    text NOT NULL,
  action       text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  content      text,
  status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  retry_count  integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  error        text,
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- when a worker took the item: 'processing' items older than a threshold are stuck
  started_at   timestamptz,
  processed_at timestamptz,
  -- the seed's ON CONFLICT target
  UNIQUE (source_table, source_id, action, status)
);
CREATE INDEX embedding_sync_queue_pending_idx ON embedding_sync_queue (created_at) WHERE status = 'pending';
CREATE INDEX embedding_sync_queue_processing_idx ON embedding_sync_queue (started_at) WHERE status = 'processing';
CREATE INDEX embedding_sync_queue_failed_idx ON embedding_sync_queue (retry_count) WHERE status = 'failed';
CREATE INDEX embedding_sync_queue_completed_idx ON embedding_sync_queue (processed_at) WHERE status = 'completed';
