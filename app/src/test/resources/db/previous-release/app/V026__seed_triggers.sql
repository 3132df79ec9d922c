-- The 24 triggers of seed 001, section 2 (S1.5), under their seed names, plus updated_at
-- maintenance on the other tables that have the column.
--
-- The seed lists on_unipile_connected_mark_invitation twice (INSERT and UPDATE): PostgreSQL names a
-- trigger once per table, so it is one trigger firing on both events.

-- ---------------------------------------------------------------------------------------------
-- viral_posts_bank
-- ---------------------------------------------------------------------------------------------

-- A new post gets a needs_* flag for everything it still lacks; flags the inserter set stay set.
CREATE OR REPLACE FUNCTION trigger_process_new_post() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  has_hook    boolean := coalesce(btrim(NEW.hook), '') <> '';
  has_content boolean := coalesce(btrim(NEW.content), '') <> '';
BEGIN
  NEW.needs_hook_extraction         := NEW.needs_hook_extraction OR (NOT has_hook AND has_content);
  NEW.needs_embedding               := NEW.needs_embedding OR (NEW.embedding IS NULL AND (has_hook OR has_content));
  NEW.needs_hook_classification     := NEW.needs_hook_classification OR (has_hook AND NEW.hook_type_id IS NULL);
  NEW.needs_topic_classification    := NEW.needs_topic_classification OR (has_content AND NEW.topic_id IS NULL);
  NEW.needs_audience_classification := NEW.needs_audience_classification OR (has_content AND NEW.audience_id IS NULL);
  RETURN NEW;
END;
$$;

CREATE TRIGGER on_viral_post_insert
  BEFORE INSERT ON viral_posts_bank
  FOR EACH ROW EXECUTE FUNCTION trigger_process_new_post();

-- A hook that appears (or changes) ends hook extraction and asks for classification; a post whose
-- content changes under an unchanged embedding needs a new embedding.
CREATE OR REPLACE FUNCTION trigger_process_hook_extracted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(btrim(NEW.hook), '') <> '' AND NEW.hook IS DISTINCT FROM OLD.hook THEN
    NEW.needs_hook_extraction         := false;
    NEW.hook_extraction_locked_at     := NULL;
    NEW.needs_hook_classification     := true;
    NEW.needs_topic_classification    := NEW.needs_topic_classification OR NEW.topic_id IS NULL;
    NEW.needs_audience_classification := NEW.needs_audience_classification OR NEW.audience_id IS NULL;
  END IF;
  IF NEW.content IS DISTINCT FROM OLD.content AND NEW.embedding IS NOT DISTINCT FROM OLD.embedding THEN
    NEW.needs_embedding := true;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER on_viral_post_hook_extracted
  BEFORE UPDATE ON viral_posts_bank
  FOR EACH ROW EXECUTE FUNCTION trigger_process_hook_extracted();

CREATE OR REPLACE FUNCTION update_viral_post_timestamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER update_viral_post_timestamp
  BEFORE UPDATE ON viral_posts_bank
  FOR EACH ROW EXECUTE FUNCTION update_viral_post_timestamp();

-- ---------------------------------------------------------------------------------------------
-- profiles
-- ---------------------------------------------------------------------------------------------

-- A new profile is waiting for its first scrape and gets its profile_sync_status row. AFTER INSERT
-- because profile_sync_status references the new row.
CREATE OR REPLACE FUNCTION mark_profile_for_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.sync_status IS DISTINCT FROM 'pending' THEN
    UPDATE profiles SET sync_status = 'pending' WHERE id = NEW.id;
  END IF;
  INSERT INTO profile_sync_status (profile_id) VALUES (NEW.id)
  ON CONFLICT (profile_id) DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER on_profile_created_mark_sync
  AFTER INSERT ON profiles
  FOR EACH ROW EXECUTE FUNCTION mark_profile_for_sync();

-- A changed linkedin_id means a different person to scrape: back to 'pending', due at once, and the
-- old id's failures forgotten. Also stamps the start of a scrape (for cleanup_stuck_scraping_states)
-- and keeps profiles.updated_at, which the seed gives no trigger of its own.
CREATE OR REPLACE FUNCTION mark_profile_for_sync_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.linkedin_id IS DISTINCT FROM OLD.linkedin_id THEN
    NEW.sync_status := 'pending';
    INSERT INTO profile_sync_status (profile_id) VALUES (NEW.id)
    ON CONFLICT (profile_id) DO UPDATE
      SET last_scraped_at = NULL, consecutive_failures = 0, last_error = NULL;
  END IF;
  IF NEW.sync_status = 'scraping' AND OLD.sync_status IS DISTINCT FROM 'scraping' THEN
    NEW.sync_started_at := now();
  ELSIF NEW.sync_status <> 'scraping' THEN
    NEW.sync_started_at := NULL;
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER on_profile_linkedin_updated_mark_sync
  BEFORE UPDATE ON profiles
  FOR EACH ROW EXECUTE FUNCTION mark_profile_for_sync_on_update();

-- ---------------------------------------------------------------------------------------------
-- production_posts: keep the parent batch's counts. The seed fires on UPDATE; inserts and deletes
-- change the counts too, so all three events recount (an update that moves neither status nor
-- batch is skipped).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION trigger_update_batch_progress() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status
                      AND NEW.batch_id IS NOT DISTINCT FROM OLD.batch_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.batch_id IS NOT NULL THEN
    PERFORM update_batch_progress(OLD.batch_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.batch_id IS NOT NULL
     AND (TG_OP = 'INSERT' OR NEW.batch_id IS DISTINCT FROM OLD.batch_id) THEN
    PERFORM update_batch_progress(NEW.batch_id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER trg_production_post_update_batch
  AFTER INSERT OR UPDATE OR DELETE ON production_posts
  FOR EACH ROW EXECUTE FUNCTION trigger_update_batch_progress();

-- ---------------------------------------------------------------------------------------------
-- chat_messages
-- ---------------------------------------------------------------------------------------------

-- The first user message titles an untitled session: whitespace collapsed, at most 50 characters,
-- cut at a word boundary with '...' when longer.
CREATE OR REPLACE FUNCTION auto_title_chat_session() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_text  text := btrim(regexp_replace(NEW.content, '\s+', ' ', 'g'));
  v_title text;
  v_cut   text;
BEGIN
  IF NEW.role <> 'user' OR v_text = '' THEN
    RETURN NULL;
  END IF;
  IF length(v_text) <= 50 THEN
    v_title := v_text;
  ELSE
    v_cut := left(v_text, 50);
    -- back to the last space unless that would leave too little (one very long word)
    IF substr(v_text, 51, 1) <> ' ' AND strpos(v_cut, ' ') > 0
       AND length(substring(v_cut FROM '^(.*) ')) >= 20 THEN
      v_cut := substring(v_cut FROM '^(.*) ');
    END IF;
    v_title := rtrim(v_cut, ' .,;:!?-') || '...';
  END IF;
  UPDATE chat_sessions
     SET title = v_title
   WHERE id = NEW.session_id AND (title IS NULL OR btrim(title) = '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER trigger_auto_title_chat_session
  AFTER INSERT ON chat_messages
  FOR EACH ROW EXECUTE FUNCTION auto_title_chat_session();

CREATE OR REPLACE FUNCTION update_chat_session_timestamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE chat_sessions
     SET updated_at = now(),
         last_message_at = greatest(coalesce(last_message_at, NEW.created_at), NEW.created_at),
         message_count = message_count + 1
   WHERE id = NEW.session_id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER trigger_update_chat_session_timestamp
  AFTER INSERT ON chat_messages
  FOR EACH ROW EXECUTE FUNCTION update_chat_session_timestamp();

-- ---------------------------------------------------------------------------------------------
-- unipile_accounts
-- ---------------------------------------------------------------------------------------------

-- An account that becomes 'connected' accepts the pending, unexpired invitations of the same person:
-- same user id, same profile, or same email (case-insensitive).
CREATE OR REPLACE FUNCTION mark_invitation_accepted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'connected' OR (TG_OP = 'UPDATE' AND OLD.status = 'connected') THEN
    RETURN NULL;
  END IF;
  UPDATE invitations i
     SET status = 'accepted',
         accepted_at = now(),
         unipile_account_id = NEW.id,
         user_id = coalesce(i.user_id, NEW.user_id)
   WHERE i.status = 'pending'
     AND i.expires_at > now()
     AND ((NEW.user_id IS NOT NULL AND i.user_id = NEW.user_id)
       OR (NEW.profile_id IS NOT NULL AND i.profile_id = NEW.profile_id)
       OR (NEW.email IS NOT NULL AND lower(i.email) = lower(NEW.email)));
  RETURN NULL;
END;
$$;

CREATE TRIGGER on_unipile_connected_mark_invitation
  AFTER INSERT OR UPDATE ON unipile_accounts
  FOR EACH ROW EXECUTE FUNCTION mark_invitation_accepted();

CREATE TRIGGER update_unipile_accounts_updated_at
  BEFORE UPDATE ON unipile_accounts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- ai_errors
-- ---------------------------------------------------------------------------------------------

-- A readable reference (ERR-ABC123) unless the inserter gave one; drawn again on the rare collision.
CREATE OR REPLACE FUNCTION set_error_ref() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_ref text;
BEGIN
  IF NEW.user_error_ref IS NOT NULL THEN
    RETURN NEW;
  END IF;
  FOR attempt IN 1..20 LOOP
    v_ref := generate_error_ref();
    IF NOT EXISTS (SELECT 1 FROM ai_errors WHERE user_error_ref = v_ref) THEN
      NEW.user_error_ref := v_ref;
      RETURN NEW;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'set_error_ref: no free error reference after 20 draws';
END;
$$;

CREATE TRIGGER trigger_set_error_ref
  BEFORE INSERT ON ai_errors
  FOR EACH ROW EXECUTE FUNCTION set_error_ref();

-- ---------------------------------------------------------------------------------------------
-- updated_at: the seed's twelve (with update_unipile_accounts_updated_at above, thirteen)
-- ---------------------------------------------------------------------------------------------
CREATE TRIGGER set_audiences_updated_at BEFORE UPDATE ON audiences
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_comment_patterns_updated_at BEFORE UPDATE ON comment_patterns
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_auto_post_rules_updated_at BEFORE UPDATE ON company_auto_post_rules
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_company_pages_updated_at BEFORE UPDATE ON company_pages
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_engagement_settings_updated_at BEFORE UPDATE ON engagement_settings
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER set_knowledge_updated_at BEFORE UPDATE ON knowledge
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER set_post_batches_updated_at BEFORE UPDATE ON post_batches
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_profile_sync_status_timestamp BEFORE UPDATE ON profile_sync_status
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER set_ressource_types_updated_at BEFORE UPDATE ON ressource_types
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER set_ressources_updated_at BEFORE UPDATE ON ressources
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_scheduled_posts_updated_at BEFORE UPDATE ON scheduled_posts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER user_onboarding_updated_at BEFORE UPDATE ON user_onboarding
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- updated_at on the tables the seed does not list (not part of the 24)
-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['hook_types', 'topics', 'sync_jobs', 'faq_items', 'documentation_embeddings',
                           'production_posts', 'published_posts', 'company_published_posts', 'chat_sessions',
                           'invitations', 'suppliers', 'marketplace_integrations', 'import_jobs',
                           'imported_products', 'orders', 'twitter_zones', 'twitter_tweets',
                           'twitter_engagement_tracking', 'engagement_counters'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()',
                   'set_' || t || '_updated_at', t);
  END LOOP;
END;
$$;
