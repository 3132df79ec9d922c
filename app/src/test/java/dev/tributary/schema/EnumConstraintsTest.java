package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every enum the seeds list is a CHECK constraint: bad values are refused, the seed's values
 * accepted.
 */
class EnumConstraintsTest {
  private static final String CHECK_VIOLATION = "23514";
  private static Rows parents;

  @BeforeAll
  static void parentRows() {
    parents = Rows.fresh();
    parents.profile("P", "p", "internal");
    parents.update("INSERT INTO twitter_tweets (tweet_id) VALUES ('1')");
    parents.update("INSERT INTO company_pages (name) VALUES ('c')");
    parents.update("INSERT INTO chat_sessions DEFAULT VALUES");
    parents.update("INSERT INTO suppliers (name, provider) VALUES ('s', 'bigbuy')");
    parents.update("INSERT INTO twitter_zones (name) VALUES ('z')");
  }

  @AfterAll
  static void close() {
    parents.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "INSERT INTO profiles (type) VALUES ('celebrity')",
        "INSERT INTO profiles (sync_status) VALUES ('done')",
        "INSERT INTO profile_sync_status (profile_id, sync_priority) VALUES ((SELECT id FROM profiles LIMIT 1), 4)",
        "INSERT INTO sync_jobs (job_type) VALUES ('style_refresh')",
        "INSERT INTO sync_jobs (status) VALUES ('cancelled')",
        "INSERT INTO import_jobs (job_type) VALUES ('catalog_dump')",
        "INSERT INTO import_jobs (job_type, status) VALUES ('order_sync', 'paused')",
        "INSERT INTO import_jobs (job_type, priority) VALUES ('order_sync', 0)",
        "INSERT INTO import_job_logs (message, level) VALUES ('m', 'fatal')",
        "INSERT INTO embedding_sync_queue (source_table, source_id, action) VALUES ('faq_items', '1', 'upsert')",
        "INSERT INTO embedding_sync_queue (source_table, source_id, action, status) VALUES ('faq_items', '1', 'insert', 'stuck')",
        "INSERT INTO twitter_engagement_tracking (tweet_db_id, tier) VALUES ((SELECT id FROM twitter_tweets LIMIT 1), 'lukewarm')",
        "INSERT INTO twitter_engagement_history (tweet_id, tier) VALUES ((SELECT id FROM twitter_tweets LIMIT 1), 'boiling')",
        "INSERT INTO twitter_tweets (tweet_id) VALUES ('not-a-number')",
        "INSERT INTO scheduled_posts (content, scheduled_at, status) VALUES ('c', now(), 'queued')",
        "INSERT INTO production_posts (status) VALUES ('sent')",
        "INSERT INTO production_posts (status) VALUES ('scheduled')",
        "INSERT INTO company_published_posts (company_page_id, content, status) VALUES ((SELECT id FROM company_pages LIMIT 1), 'c', 'queued')",
        "INSERT INTO post_batches (name, status) VALUES ('b', 'running')",
        "INSERT INTO post_batches (name, progress) VALUES ('b', 101)",
        "INSERT INTO unipile_accounts (account_id, status) VALUES ('a', 'online')",
        "INSERT INTO unipile_accounts (account_id, provider) VALUES ('a', 'MYSPACE')",
        "INSERT INTO invitations (email, status) VALUES ('e', 'opened')",
        "INSERT INTO invitations (email, role) VALUES ('e', 'god')",
        "INSERT INTO invitations (email, status) VALUES ('e', 'accepted')",
        "INSERT INTO chat_messages (session_id, role, content) VALUES ((SELECT id FROM chat_sessions LIMIT 1), 'bot', 'c')",
        "INSERT INTO ai_errors (message, user_error_ref) VALUES ('m', 'ERR-abc123')",
        "INSERT INTO engagement_counters (profile_id, counter_date, action_type) VALUES ((SELECT id FROM profiles LIMIT 1), current_date, 'share')",
        "INSERT INTO post_engagements (engager_profile_id, external_post_id, action_type) VALUES ((SELECT id FROM profiles LIMIT 1), 'p', 'share')",
        "INSERT INTO post_engagements (engager_profile_id, external_post_id, action_type, status) VALUES ((SELECT id FROM profiles LIMIT 1), 'p', 'like', 'maybe')",
        "INSERT INTO engagement_settings (profile_id, daily_like_limit) VALUES ((SELECT id FROM profiles LIMIT 1), -1)",
        "INSERT INTO suppliers (name, provider) VALUES ('s', 'alibaba')",
        "INSERT INTO imported_products (supplier_id, external_id, name, status) VALUES ((SELECT id FROM suppliers LIMIT 1), 'x', 'n', 'sold')",
        "INSERT INTO orders (status) VALUES ('lost')",
        "INSERT INTO marketplace_integrations (platform) VALUES ('myspace')",
        "INSERT INTO twitter_zone_members (zone_id, user_id, role) VALUES ((SELECT id FROM twitter_zones LIMIT 1), gen_random_uuid(), 'king')",
        "INSERT INTO viral_posts_bank (content, embedding) VALUES ('c', '{1}')",
        "INSERT INTO viral_posts_bank (content, likes) VALUES ('c', -1)",
        "INSERT INTO published_posts (source, content) VALUES ('imported', 'c')",
        "INSERT INTO company_auto_post_rules (company_page_id, profile_id, delay_minutes) VALUES ((SELECT id FROM company_pages LIMIT 1), (SELECT id FROM profiles LIMIT 1), -5)",
        "INSERT INTO imported_products (supplier_id, external_id, name, ai_score) VALUES ((SELECT id FROM suppliers LIMIT 1), 'x', 'n', 150)",
        "INSERT INTO twitter_tweets (tweet_id, like_count) VALUES ('2', -1)",
        "INSERT INTO hook_types (name) VALUES ('  ')"
      })
  void a_bad_value_is_refused(String insert) {
    // every statement fails, so one database with a parent row of each kind serves them all
    SQLException e = parents.failure(insert);
    assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(CHECK_VIOLATION);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "sync_jobs job_type, 'INSERT INTO sync_jobs (job_type) SELECT unnest(ARRAY[''profile_scrape'',''embedding_update'',''hook_classification'',''full_cascade''])', 4",
    "sync_jobs status, 'INSERT INTO sync_jobs (status) SELECT unnest(ARRAY[''pending'',''running'',''completed'',''failed'',''partial''])', 5",
    "import_jobs job_type, 'INSERT INTO import_jobs (job_type) SELECT unnest(ARRAY[''supplier_api'',''inventory_update'',''price_update'',''order_sync''])', 4",
    "import_jobs status, 'INSERT INTO import_jobs (job_type, status) SELECT ''order_sync'', unnest(ARRAY[''pending'',''running'',''completed'',''failed''])', 4",
    "embedding_sync_queue, 'INSERT INTO embedding_sync_queue (source_table, source_id, action, status) SELECT ''t'', ''1'', a, s FROM unnest(ARRAY[''insert'',''update'',''delete'']) a, unnest(ARRAY[''pending'',''processing'',''completed'',''failed'']) s', 12",
    "twitter tiers, 'INSERT INTO twitter_engagement_history (tweet_id, tier) SELECT (SELECT id FROM twitter_tweets), unnest(ARRAY[''ultra_hot'',''hot'',''warm'',''cold''])', 4",
    "scheduled_posts status, 'INSERT INTO scheduled_posts (content, scheduled_at, status) SELECT ''c'', now(), unnest(ARRAY[''pending'',''publishing'',''published'',''failed'',''cancelled''])', 5",
    "production_posts status, 'INSERT INTO production_posts (status, publication_date) SELECT unnest(ARRAY[''pending'',''generating'',''draft'',''approved'',''scheduled'',''publishing'',''published'',''failed'',''archived'']), now()', 9",
    "profiles type, 'INSERT INTO profiles (type) SELECT unnest(ARRAY[''external_influencer'',''internal'',''client'',''prospect''])', 4"
  })
  void every_seed_value_is_accepted(String what, String insert, int rows) {
    try (Rows db = Rows.fresh()) {
      db.update("INSERT INTO twitter_tweets (tweet_id) VALUES ('1')");
      assertThat(db.update(insert)).isEqualTo(rows);
    }
  }

  @Test
  void the_sync_queue_deduplicates_on_the_seeds_conflict_target() {
    try (Rows db = Rows.fresh()) {
      String enqueue =
          """
          INSERT INTO embedding_sync_queue (source_table, source_id, action, content)
          VALUES ('faq_items', '123', 'update', 'Q + A')
          ON CONFLICT (source_table, source_id, action, status) DO UPDATE SET created_at = now()""";
      db.update(enqueue);
      db.update(enqueue);
      assertThat((Long) db.value("SELECT count(*) FROM embedding_sync_queue")).isEqualTo(1L);
    }
  }

  @Test
  void documentation_embeddings_keep_one_vector_per_source_chunk_and_model() {
    try (Rows db = Rows.fresh()) {
      String upsert =
          """
          INSERT INTO documentation_embeddings (source_table, source_id, chunk_index, content, embedding, model)
          VALUES ('faq_items', '123', 0, ?, '{0.1,0.2}', 'all-minilm-l6-v2')
          ON CONFLICT (source_table, source_id, chunk_index, model) DO UPDATE SET content = excluded.content""";
      db.update(upsert, "v1");
      db.update(upsert, "v2");
      db.update(
          "INSERT INTO documentation_embeddings (source_table, source_id, chunk_index, content, embedding, model) VALUES ('faq_items', '123', 1, 'c', '{1}', 'all-minilm-l6-v2')");
      assertThat(
              db.<String>column(
                  "SELECT content FROM documentation_embeddings ORDER BY chunk_index"))
          .containsExactly("v2", "c");
      assertThat(
              db.failure(
                      "INSERT INTO documentation_embeddings (source_table, source_id, content, embedding, model) VALUES ('faq_items', '123', 'dup', '{1}', 'all-minilm-l6-v2')")
                  .getSQLState())
          .isEqualTo("23505");
    }
  }
}
