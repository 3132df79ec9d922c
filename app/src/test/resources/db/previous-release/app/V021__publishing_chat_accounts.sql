-- Seed schema, part 2: publishing (S1.7, S1.13), connected accounts and invitations, chat, AI error
-- log, knowledge and resources, onboarding. Seed-named triggers come in V025.

-- ---------------------------------------------------------------------------------------------
-- Utilities the tables below use as defaults (S1.14)
-- ---------------------------------------------------------------------------------------------

-- 'ERR-' and six characters from A-Z0-9 (36^6, about 2.2 billion values): short enough to read out to
-- support, random enough that set_error_ref rarely needs a second draw.
CREATE OR REPLACE FUNCTION generate_error_ref() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet constant text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  ref text := 'ERR-';
BEGIN
  FOR i IN 1..6 LOOP
    ref := ref || substr(alphabet, 1 + floor(random() * 36)::int, 1);
  END LOOP;
  RETURN ref;
END;
$$;

-- 64 hex characters from two version-4 UUIDs: gen_random_uuid() draws from the server's strong
-- random source (PG13+ core, no pgcrypto), so the token is unguessable (244 random bits).
CREATE OR REPLACE FUNCTION generate_invitation_token() RETURNS text
LANGUAGE sql VOLATILE AS $$
  SELECT replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
$$;

-- ---------------------------------------------------------------------------------------------
-- Connected accounts (Unipile) and invitations
-- ---------------------------------------------------------------------------------------------
CREATE TABLE unipile_accounts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid,
  profile_id     uuid REFERENCES profiles (id) ON DELETE SET NULL,
  -- the account id Unipile gives the connected account
  account_id     text NOT NULL UNIQUE,
  provider       text NOT NULL DEFAULT 'LINKEDIN' CHECK (provider IN ('LINKEDIN', 'TWITTER', 'INSTAGRAM', 'WHATSAPP', 'MAIL')),
  status         text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'connected', 'disconnected', 'credentials_required', 'error')),
  email          text,
  display_name   text,
  connected_at   timestamptz,
  last_synced_at timestamptz,
  metadata       jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unipile_accounts_user_idx ON unipile_accounts (user_id);
CREATE INDEX unipile_accounts_profile_idx ON unipile_accounts (profile_id) WHERE status = 'connected';

CREATE TABLE invitations (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token              text NOT NULL UNIQUE DEFAULT generate_invitation_token(),
  email              text NOT NULL,
  -- who sent it, and the invitee once they have an account
  invited_by         uuid,
  user_id            uuid,
  -- the profile the invitee is expected to connect
  profile_id         uuid REFERENCES profiles (id) ON DELETE SET NULL,
  role               text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'expired', 'revoked')),
  expires_at         timestamptz NOT NULL DEFAULT now() + interval '7 days',
  accepted_at        timestamptz,
  unipile_account_id uuid REFERENCES unipile_accounts (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'accepted' OR accepted_at IS NOT NULL)
);
CREATE INDEX invitations_pending_email_idx ON invitations (lower(email)) WHERE status = 'pending';
CREATE INDEX invitations_pending_user_idx ON invitations (user_id) WHERE status = 'pending';
CREATE INDEX invitations_pending_profile_idx ON invitations (profile_id) WHERE status = 'pending';

-- ---------------------------------------------------------------------------------------------
-- Generated posts, batches, scheduling and publishing (S1.7, S1.13)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE post_batches (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid,
  name            text NOT NULL CHECK (btrim(name) <> ''),
  -- the request the batch was created from: [{author_id, count, topic_id, hook_type_id, ...}]
  author_configs  jsonb NOT NULL DEFAULT '[]',
  status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  total_posts     integer NOT NULL DEFAULT 0 CHECK (total_posts >= 0),
  completed_posts integer NOT NULL DEFAULT 0 CHECK (completed_posts >= 0),
  failed_posts    integer NOT NULL DEFAULT 0 CHECK (failed_posts >= 0),
  progress        integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  completed_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_batches_user_idx ON post_batches (user_id, created_at DESC);

-- Lifecycle: pending (waiting for generation) -> generating -> draft -> approved -> scheduled
-- -> publishing (claimed by a publisher) -> published; failed and archived are terminal.
CREATE TABLE production_posts (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id             uuid,
  author_id           uuid REFERENCES profiles (id) ON DELETE CASCADE,
  batch_id            uuid REFERENCES post_batches (id) ON DELETE SET NULL,
  batch_position      integer,
  title               text,
  content             text,
  hook                text,
  hook_type_id        uuid REFERENCES hook_types (id) ON DELETE SET NULL,
  topic_id            uuid REFERENCES topics (id) ON DELETE SET NULL,
  audience_id         uuid REFERENCES audiences (id) ON DELETE SET NULL,
  inspiration_post_id uuid REFERENCES viral_posts_bank (id) ON DELETE SET NULL,
  generation_config   jsonb NOT NULL DEFAULT '{}',
  -- attached media: [{url, type, name}]
  media               jsonb NOT NULL DEFAULT '[]',
  status              text NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('pending', 'generating', 'draft', 'approved', 'scheduled',
                                          'publishing', 'published', 'failed', 'archived')),
  publication_date    timestamptz,
  published_at        timestamptz,
  external_post_id    text,
  post_url            text,
  publish_attempts    integer NOT NULL DEFAULT 0,
  error_message       text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'scheduled' OR publication_date IS NOT NULL)
);
CREATE INDEX production_posts_batch_idx ON production_posts (batch_id, batch_position);
CREATE INDEX production_posts_author_idx ON production_posts (author_id, created_at DESC);
-- queue predicates: due for publishing, waiting for generation
CREATE INDEX production_posts_due_idx ON production_posts (publication_date) WHERE status = 'scheduled';
CREATE INDEX production_posts_to_generate_idx ON production_posts (created_at) WHERE status = 'pending';

CREATE TABLE scheduled_posts (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id            uuid,
  profile_id         uuid REFERENCES profiles (id) ON DELETE CASCADE,
  unipile_account_id uuid REFERENCES unipile_accounts (id) ON DELETE SET NULL,
  production_post_id uuid REFERENCES production_posts (id) ON DELETE SET NULL,
  content            text NOT NULL,
  media              jsonb NOT NULL DEFAULT '[]',
  scheduled_at       timestamptz NOT NULL,
  status             text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'publishing', 'published', 'failed', 'cancelled')),
  published_at       timestamptz,
  external_post_id   text,
  post_url           text,
  attempts           integer NOT NULL DEFAULT 0,
  error_message      text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_posts_due_idx ON scheduled_posts (scheduled_at) WHERE status = 'pending';
CREATE INDEX scheduled_posts_user_idx ON scheduled_posts (user_id, scheduled_at DESC);

CREATE TABLE published_posts (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id            uuid,
  profile_id         uuid REFERENCES profiles (id) ON DELETE SET NULL,
  unipile_account_id uuid REFERENCES unipile_accounts (id) ON DELETE SET NULL,
  -- where it came from; each source row is published at most once
  source             text NOT NULL CHECK (source IN ('scheduled_post', 'production_post', 'manual')),
  scheduled_post_id  uuid UNIQUE REFERENCES scheduled_posts (id) ON DELETE SET NULL,
  production_post_id uuid UNIQUE REFERENCES production_posts (id) ON DELETE SET NULL,
  content            text NOT NULL,
  media              jsonb NOT NULL DEFAULT '[]',
  external_post_id   text,
  post_url           text,
  published_at       timestamptz NOT NULL DEFAULT now(),
  likes              integer NOT NULL DEFAULT 0,
  comments           integer NOT NULL DEFAULT 0,
  reposts            integer NOT NULL DEFAULT 0,
  impressions        integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX published_posts_profile_idx ON published_posts (profile_id, published_at DESC);

CREATE TABLE company_pages (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id             uuid,
  unipile_account_id  uuid REFERENCES unipile_accounts (id) ON DELETE SET NULL,
  name                text NOT NULL,
  linkedin_company_id text,
  linkedin_url        text,
  logo_url            text,
  is_active           boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, linkedin_company_id)
);

-- When profile_id publishes, re-post on company_page_id after delay_minutes (0 = at once).
CREATE TABLE company_auto_post_rules (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid,
  company_page_id uuid NOT NULL REFERENCES company_pages (id) ON DELETE CASCADE,
  profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  is_enabled      boolean NOT NULL DEFAULT true,
  delay_minutes   integer NOT NULL DEFAULT 0 CHECK (delay_minutes >= 0),
  include_media   boolean NOT NULL DEFAULT true,
  content_prefix  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_page_id, profile_id)
);
CREATE INDEX company_auto_post_rules_profile_idx ON company_auto_post_rules (profile_id) WHERE is_enabled;

CREATE TABLE company_published_posts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_page_id   uuid NOT NULL REFERENCES company_pages (id) ON DELETE CASCADE,
  rule_id           uuid REFERENCES company_auto_post_rules (id) ON DELETE SET NULL,
  published_post_id uuid REFERENCES published_posts (id) ON DELETE CASCADE,
  content           text NOT NULL,
  media             jsonb NOT NULL DEFAULT '[]',
  status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'publishing', 'published', 'failed', 'cancelled')),
  scheduled_for     timestamptz NOT NULL DEFAULT now(),
  published_at      timestamptz,
  external_post_id  text,
  post_url          text,
  attempts          integer NOT NULL DEFAULT 0,
  error_message     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- a source post goes to a company page once
  UNIQUE (company_page_id, published_post_id)
);
CREATE INDEX company_published_posts_due_idx ON company_published_posts (scheduled_for) WHERE status = 'pending';

-- ---------------------------------------------------------------------------------------------
-- Chat
-- ---------------------------------------------------------------------------------------------
CREATE TABLE chat_sessions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid,
  profile_id      uuid REFERENCES profiles (id) ON DELETE SET NULL,
  title           text,
  message_count   integer NOT NULL DEFAULT 0,
  last_message_at timestamptz,
  archived        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_sessions_user_idx ON chat_sessions (user_id, updated_at DESC);

CREATE TABLE chat_messages (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
  content     text NOT NULL,
  metadata    jsonb NOT NULL DEFAULT '{}',
  tokens_used integer,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_session_idx ON chat_messages (session_id, created_at);

-- ---------------------------------------------------------------------------------------------
-- AI errors shown to users by a short reference
-- ---------------------------------------------------------------------------------------------
CREATE TABLE ai_errors (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- set by the trigger_set_error_ref trigger when not given
  user_error_ref text NOT NULL UNIQUE CHECK (user_error_ref ~ '^ERR-[A-Z0-9]{6}$'),
  user_id        uuid,
  source         text,
  provider       text,
  model          text,
  error_code     text,
  message        text NOT NULL,
  details        jsonb NOT NULL DEFAULT '{}',
  resolved       boolean NOT NULL DEFAULT false,
  resolved_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_errors_created_idx ON ai_errors (created_at DESC);
CREATE INDEX ai_errors_unresolved_idx ON ai_errors (created_at) WHERE NOT resolved;

-- ---------------------------------------------------------------------------------------------
-- Knowledge, resources, onboarding
-- ---------------------------------------------------------------------------------------------
CREATE TABLE knowledge (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid,
  profile_id uuid REFERENCES profiles (id) ON DELETE CASCADE,
  title      text NOT NULL,
  content    text NOT NULL,
  category   text,
  source_url text,
  metadata   jsonb NOT NULL DEFAULT '{}',
  is_active  boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_profile_idx ON knowledge (profile_id) WHERE is_active;

CREATE TABLE ressource_types (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL UNIQUE,
  description text,
  icon        text,
  sort_order  integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ressources (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid,
  type_id      uuid REFERENCES ressource_types (id) ON DELETE SET NULL,
  title        text NOT NULL,
  description  text,
  url          text,
  content      text,
  metadata     jsonb NOT NULL DEFAULT '{}',
  is_published boolean NOT NULL DEFAULT true,
  sort_order   integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ressources_type_idx ON ressources (type_id, sort_order) WHERE is_published;

CREATE TABLE user_onboarding (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL UNIQUE,
  current_step    text,
  completed_steps text[] NOT NULL DEFAULT '{}',
  data            jsonb NOT NULL DEFAULT '{}',
  is_completed    boolean NOT NULL DEFAULT false,
  completed_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
