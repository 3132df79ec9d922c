package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Profile sync: on_profile_created_mark_sync, on_profile_linkedin_updated_mark_sync,
 * get_profiles_to_sync (S0.1), update_profile_stats (S0.5), cleanup_stuck_scraping_states and
 * get_processing_status (S1.12).
 */
class ProfileSyncTest {

  private static void fail(Rows db, UUID profile) {
    db.update(
        """
        UPDATE profile_sync_status SET consecutive_failures = consecutive_failures + 1, last_error = 'HTTP 500'
         WHERE profile_id = ?""",
        profile);
  }

  private static List<UUID> due(Rows db) {
    return db.column("SELECT profile_id FROM get_profiles_to_sync(50)");
  }

  @Test
  void a_new_profile_is_pending_and_gets_a_sync_status_row() {
    try (Rows db = Rows.fresh()) {
      UUID id =
          db.value(
              "INSERT INTO profiles (full_name, linkedin_id, sync_status) VALUES ('A', 'a', 'synced') RETURNING id");
      assertThat((String) db.value("SELECT sync_status FROM profiles WHERE id = ?", id))
          .isEqualTo("pending");
      assertThat(
              (Integer)
                  db.value(
                      "SELECT sync_priority FROM profile_sync_status WHERE profile_id = ?", id))
          .isEqualTo(2);
      assertThat(
              (Integer)
                  db.value(
                      "SELECT consecutive_failures FROM profile_sync_status WHERE profile_id = ?",
                      id))
          .isZero();
    }
  }

  @Test
  void a_changed_linkedin_id_marks_the_profile_for_a_fresh_sync() {
    try (Rows db = Rows.fresh()) {
      UUID id = db.profile("A", "old-id", "external_influencer");
      db.update("UPDATE profiles SET sync_status = 'synced' WHERE id = ?", id);
      db.update(
          "UPDATE profile_sync_status SET last_scraped_at = now(), consecutive_failures = 3, last_error = 'x' WHERE profile_id = ?",
          id);
      assertThat(due(db)).doesNotContain(id);

      db.update("UPDATE profiles SET linkedin_id = 'new-id' WHERE id = ?", id);

      assertThat((String) db.value("SELECT sync_status FROM profiles WHERE id = ?", id))
          .isEqualTo("pending");
      assertThat(
              (Object)
                  db.value(
                      "SELECT last_scraped_at FROM profile_sync_status WHERE profile_id = ?", id))
          .isNull();
      assertThat(
              (Integer)
                  db.value(
                      "SELECT consecutive_failures FROM profile_sync_status WHERE profile_id = ?",
                      id))
          .isZero();
      assertThat(due(db)).containsExactly(id);
    }
  }

  @Test
  void other_profile_updates_keep_the_sync_state_and_move_updated_at() {
    try (Rows db = Rows.fresh()) {
      UUID id =
          db.value(
              "INSERT INTO profiles (full_name, linkedin_id, updated_at) VALUES ('A', 'a', '2000-01-01') RETURNING id");
      db.update("UPDATE profiles SET sync_status = 'synced' WHERE id = ?", id);
      db.update("UPDATE profiles SET full_name = 'B' WHERE id = ?", id);
      assertThat((String) db.value("SELECT sync_status FROM profiles WHERE id = ?", id))
          .isEqualTo("synced");
      assertThat(
              (Boolean)
                  db.value(
                      "SELECT updated_at > now() - interval '1 hour' FROM profiles WHERE id = ?",
                      id))
          .isTrue();
    }
  }

  @Test
  void profiles_to_sync_are_due_external_influencers_with_a_linkedin_id_in_priority_order() {
    try (Rows db = Rows.fresh()) {
      UUID low = db.profile("Low", "low", "external_influencer");
      UUID high = db.profile("High", "high", "external_influencer");
      UUID highOld = db.profile("High old", "high-old", "external_influencer");
      UUID fresh = db.profile("Fresh", "fresh", "external_influencer");
      UUID internal = db.profile("Internal", "internal", "internal");
      UUID noLinkedin = db.profile("No id", null, "external_influencer");
      UUID disabled = db.profile("Disabled", "disabled", "external_influencer");
      db.update("UPDATE profile_sync_status SET sync_priority = 3 WHERE profile_id = ?", low);
      db.update(
          "UPDATE profile_sync_status SET sync_priority = 1 WHERE profile_id IN (?, ?)",
          high,
          highOld);
      db.update(
          "UPDATE profile_sync_status SET last_scraped_at = now() - interval '8 days' WHERE profile_id = ?",
          highOld);
      db.update(
          "UPDATE profile_sync_status SET last_scraped_at = now() - interval '6 days' WHERE profile_id = ?",
          fresh);
      db.update("UPDATE profiles SET sync_enabled = false WHERE id = ?", disabled);

      assertThat(due(db)).containsExactly(high, highOld, low);
      assertThat(due(db)).doesNotContain(fresh, internal, noLinkedin, disabled);
      assertThat(db.<UUID>column("SELECT profile_id FROM get_profiles_to_sync(2)"))
          .containsExactly(high, highOld);
    }
  }

  @Test
  void the_fifth_consecutive_failure_takes_a_profile_out_of_the_sync_until_reset() {
    try (Rows db = Rows.fresh()) {
      UUID id = db.profile("Flaky", "flaky", "external_influencer");
      for (int i = 1; i <= 4; i++) {
        fail(db, id);
        assertThat(due(db)).as("after %d failures", i).containsExactly(id);
      }
      fail(db, id);
      assertThat(due(db)).isEmpty();

      // the seed's troubleshooting recipe brings it back
      db.update(
          "UPDATE profile_sync_status SET consecutive_failures = 0, last_error = NULL WHERE profile_id = ?",
          id);
      assertThat(due(db)).containsExactly(id);
    }
  }

  @Test
  void profile_stats_count_posts_and_average_likes_plus_comments() {
    try (Rows db = Rows.fresh()) {
      UUID id = db.profile("A", "a", "external_influencer");
      UUID other = db.profile("B", "b", "external_influencer");
      db.update(
          "INSERT INTO viral_posts_bank (author_id, content, likes, comments) VALUES (?, 'x', 10, 5), (?, 'y', 3, 2), (?, 'z', 100, 100)",
          id,
          id,
          other);

      assertThat((Integer) db.value("SELECT update_profile_stats(?)", id)).isEqualTo(1);
      assertThat((Integer) db.value("SELECT posts_count FROM profiles WHERE id = ?", id))
          .isEqualTo(2);
      assertThat((BigDecimal) db.value("SELECT avg_engagement FROM profiles WHERE id = ?", id))
          .isEqualByComparingTo("10");
      assertThat((Integer) db.value("SELECT posts_count FROM profiles WHERE id = ?", other))
          .isZero();

      assertThat((Integer) db.value("SELECT update_profile_stats(NULL)")).isEqualTo(1);
      assertThat((Integer) db.value("SELECT posts_count FROM profiles WHERE id = ?", other))
          .isEqualTo(1);
      assertThat((BigDecimal) db.value("SELECT avg_engagement FROM profiles WHERE id = ?", other))
          .isEqualByComparingTo("200");
      // nothing changed since: nothing updated
      assertThat((Integer) db.value("SELECT update_profile_stats()")).isZero();
    }
  }

  @Test
  void a_profile_stuck_in_scraping_goes_back_to_pending_and_counts_a_failure() {
    try (Rows db = Rows.fresh()) {
      UUID stuck = db.profile("Stuck", "stuck", "external_influencer");
      UUID running = db.profile("Running", "running", "external_influencer");
      db.update("UPDATE profiles SET sync_status = 'scraping' WHERE id IN (?, ?)", stuck, running);
      assertThat((Object) db.value("SELECT sync_started_at FROM profiles WHERE id = ?", stuck))
          .isNotNull();
      // backdate the start of one scrape (the BEFORE UPDATE trigger stamps it only on entering
      // 'scraping')
      db.update(
          "UPDATE profiles SET sync_started_at = now() - interval '2 hours' WHERE id = ?", stuck);

      assertThat((Integer) db.value("SELECT cleanup_stuck_scraping_states()")).isEqualTo(1);

      assertThat((String) db.value("SELECT sync_status FROM profiles WHERE id = ?", stuck))
          .isEqualTo("pending");
      assertThat((String) db.value("SELECT sync_status FROM profiles WHERE id = ?", running))
          .isEqualTo("scraping");
      assertThat(
              (Integer)
                  db.value(
                      "SELECT consecutive_failures FROM profile_sync_status WHERE profile_id = ?",
                      stuck))
          .isEqualTo(1);
      assertThat(
              (String)
                  db.value(
                      "SELECT last_error FROM profile_sync_status WHERE profile_id = ?", stuck))
          .contains("did not finish");
      assertThat((Integer) db.value("SELECT cleanup_stuck_scraping_states()")).isZero();
    }
  }

  @Test
  void processing_status_counts_what_is_left_to_do() {
    try (Rows db = Rows.fresh()) {
      UUID a = db.profile("A", "a", "external_influencer");
      db.post(a, "First line\nrest");
      db.value(
          "INSERT INTO viral_posts_bank (content, hook, embedding, embedding_model) VALUES ('b', 'h', '{1}', 'm') RETURNING id");
      db.update("INSERT INTO sync_jobs (job_type, status) VALUES ('full_cascade', 'running')");
      db.update("UPDATE profiles SET sync_status = 'scraping' WHERE id = ?", a);

      String status = db.value("SELECT get_processing_status()::text");
      assertThat(status)
          .contains(
              "\"total\": 2",
              "\"needs_embedding\": 1",
              "\"needs_hook_extraction\": 1",
              "\"needs_hook_classification\": 1",
              "\"with_embedding\": 1",
              "\"scraping\": 1",
              "\"running_sync_jobs\": 1",
              "\"profiles_due_for_sync\": 1",
              "\"last_sync_job\": {");
    }
  }

  @Test
  void the_sync_status_row_keeps_its_updated_at_current() {
    try (Rows db = Rows.fresh()) {
      UUID id = db.profile("A", "a", "external_influencer");
      db.update("DELETE FROM profile_sync_status WHERE profile_id = ?", id);
      db.update(
          "INSERT INTO profile_sync_status (profile_id, updated_at) VALUES (?, '2000-01-01')", id);
      db.update("UPDATE profile_sync_status SET last_scraped_at = now() WHERE profile_id = ?", id);
      assertThat(
              (Boolean)
                  db.value(
                      "SELECT updated_at > '2020-01-01' FROM profile_sync_status WHERE profile_id = ?",
                      id))
          .isTrue();
    }
  }
}
