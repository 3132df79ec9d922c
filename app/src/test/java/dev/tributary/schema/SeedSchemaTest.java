package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Migrations.apply on an empty database creates every seed table, trigger and function. */
class SeedSchemaTest {
  static final List<String> SEED_TABLES =
      List.of(
          "profiles",
          "viral_posts_bank",
          "hook_types",
          "topics",
          "audiences",
          "sync_jobs",
          "profile_sync_status",
          "scheduled_posts",
          "production_posts",
          "published_posts",
          "post_batches",
          "company_pages",
          "company_auto_post_rules",
          "company_published_posts",
          "chat_sessions",
          "chat_messages",
          "unipile_accounts",
          "invitations",
          "ai_errors",
          "comment_patterns",
          "engagement_settings",
          "knowledge",
          "ressource_types",
          "ressources",
          "user_onboarding",
          "import_jobs",
          "suppliers",
          "imported_products",
          "orders",
          "marketplace_integrations",
          "faq_items",
          "embedding_sync_queue",
          "documentation_embeddings",
          "twitter_tweets",
          "twitter_engagement_history",
          "twitter_engagement_tracking",
          // what the functions need
          "engagement_counters",
          "post_engagements",
          "import_job_logs");

  /** table, trigger name, trigger function: the 24 triggers of seed 001 section 2 (S1.5). */
  static final List<List<String>> SEED_TRIGGERS =
      List.of(
          List.of("viral_posts_bank", "on_viral_post_insert", "trigger_process_new_post"),
          List.of(
              "viral_posts_bank", "on_viral_post_hook_extracted", "trigger_process_hook_extracted"),
          List.of("viral_posts_bank", "update_viral_post_timestamp", "update_viral_post_timestamp"),
          List.of("profiles", "on_profile_created_mark_sync", "mark_profile_for_sync"),
          List.of(
              "profiles",
              "on_profile_linkedin_updated_mark_sync",
              "mark_profile_for_sync_on_update"),
          List.of(
              "production_posts",
              "trg_production_post_update_batch",
              "trigger_update_batch_progress"),
          List.of("chat_messages", "trigger_auto_title_chat_session", "auto_title_chat_session"),
          List.of(
              "chat_messages",
              "trigger_update_chat_session_timestamp",
              "update_chat_session_timestamp"),
          List.of(
              "unipile_accounts",
              "on_unipile_connected_mark_invitation",
              "mark_invitation_accepted"),
          List.of(
              "unipile_accounts", "update_unipile_accounts_updated_at", "update_updated_at_column"),
          List.of("ai_errors", "trigger_set_error_ref", "set_error_ref"),
          List.of("audiences", "set_audiences_updated_at", "update_updated_at_column"),
          List.of(
              "comment_patterns", "update_comment_patterns_updated_at", "update_updated_at_column"),
          List.of(
              "company_auto_post_rules",
              "update_auto_post_rules_updated_at",
              "update_updated_at_column"),
          List.of("company_pages", "update_company_pages_updated_at", "update_updated_at_column"),
          List.of(
              "engagement_settings",
              "update_engagement_settings_updated_at",
              "update_updated_at_column"),
          List.of("knowledge", "set_knowledge_updated_at", "update_updated_at_column"),
          List.of("post_batches", "set_post_batches_updated_at", "update_updated_at_column"),
          List.of(
              "profile_sync_status",
              "update_profile_sync_status_timestamp",
              "update_updated_at_column"),
          List.of("ressource_types", "set_ressource_types_updated_at", "update_updated_at_column"),
          List.of("ressources", "set_ressources_updated_at", "update_updated_at_column"),
          List.of(
              "scheduled_posts", "update_scheduled_posts_updated_at", "update_updated_at_column"),
          List.of("user_onboarding", "user_onboarding_updated_at", "update_updated_at_column"));

  static final List<String> SEED_FUNCTIONS =
      List.of(
          "get_profiles_to_sync",
          "update_profile_stats",
          "get_posts_needing_embedding",
          "get_posts_needing_classification",
          "get_posts_needing_topic_classification",
          "get_posts_needing_audience_classification",
          "release_embedding_lock",
          "release_stale_embedding_locks",
          "get_eligible_engagers",
          "can_profile_engage",
          "increment_engagement_counter",
          "select_comment_pattern",
          "cleanup_stuck_scraping_states",
          "get_processing_status",
          "create_post_batch",
          "get_batch_with_posts",
          "update_batch_progress",
          "generate_error_ref",
          "generate_invitation_token",
          "get_hooks_with_classification",
          "mark_invitation_accepted",
          "mark_profile_for_sync",
          "update_updated_at_column");

  @Test
  void migrating_an_empty_database_creates_every_seed_table() throws SQLException {
    try (HikariDataSource empty = TestPostgres.freshDatabase()) {
      Migrations.Result result = Migrations.apply(empty);
      assertThat(result.applied()).isPositive();
      try (Connection c = empty.getConnection()) {
        List<String> tables =
            Rows.column(
                c,
                """
            SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'""");
        assertThat(tables).containsAll(SEED_TABLES);
      }
    }
  }

  @Test
  void every_seed_trigger_exists_on_its_table_with_its_function() {
    try (Rows db = Rows.fresh()) {
      for (List<String> t : SEED_TRIGGERS) {
        Long found =
            db.value(
                """
            SELECT count(*) FROM pg_trigger tg
              JOIN pg_class c ON c.oid = tg.tgrelid
              JOIN pg_proc p ON p.oid = tg.tgfoid
             WHERE NOT tg.tgisinternal AND c.relname = ? AND tg.tgname = ? AND p.proname = ?""",
                t.get(0),
                t.get(1),
                t.get(2));
        assertThat(found)
            .as("trigger %s on %s executing %s()", t.get(1), t.get(0), t.get(2))
            .isEqualTo(1L);
      }
      // seed 001 counts 24: these 23 names, on_unipile_connected_mark_invitation counted once per
      // event
      assertThat(SEED_TRIGGERS).hasSize(23);
    }
  }

  @Test
  void the_invitation_trigger_fires_on_insert_and_on_update() {
    try (Rows db = Rows.fresh()) {
      // seed 001 lists on_unipile_connected_mark_invitation twice (INSERT, UPDATE): one trigger,
      // both events
      String events =
          db.value(
              """
          SELECT string_agg(event_manipulation, ',' ORDER BY event_manipulation)
            FROM information_schema.triggers
           WHERE trigger_name = 'on_unipile_connected_mark_invitation'""");
      assertThat(events).isEqualTo("INSERT,UPDATE");
    }
  }

  @Test
  void every_seed_function_exists() {
    try (Rows db = Rows.fresh()) {
      List<String> functions =
          db.column(
              """
          SELECT proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public'""");
      assertThat(functions).containsAll(SEED_FUNCTIONS);
    }
  }
}
