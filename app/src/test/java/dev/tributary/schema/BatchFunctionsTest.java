package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testing.Rows;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * S1.13: create_post_batch, get_batch_with_posts, update_batch_progress and
 * trg_production_post_update_batch.
 */
class BatchFunctionsTest {

  private static String batch(Rows db, UUID id) {
    return db.value(
        "SELECT concat_ws(' ', status, total_posts, completed_posts, failed_posts, progress) FROM post_batches WHERE id = ?",
        id);
  }

  @Test
  void creating_a_batch_makes_one_pending_post_per_requested_post_in_order() {
    try (Rows db = Rows.fresh()) {
      UUID alice = db.profile("Alice", "alice", "internal");
      UUID bob = db.profile("Bob", "bob", "internal");
      UUID batch =
          db.value(
              """
          SELECT create_post_batch('Week 12', jsonb_build_array(
                   jsonb_build_object('author_id', ?::text, 'count', 2, 'topic_id', (SELECT id FROM topics WHERE name = 'sales'), 'tone', 'direct'),
                   jsonb_build_object('author_id', ?::text)))""",
              alice,
              bob);

      assertThat(batch(db, batch)).isEqualTo("pending 3 0 0 0");
      List<UUID> authors =
          db.column(
              "SELECT author_id FROM production_posts WHERE batch_id = ? ORDER BY batch_position",
              batch);
      assertThat(authors).containsExactly(alice, alice, bob);
      assertThat(
              db.<String>column(
                  "SELECT DISTINCT status FROM production_posts WHERE batch_id = ?", batch))
          .containsExactly("pending");
      assertThat(
              (String)
                  db.value(
                      "SELECT generation_config->>'tone' FROM production_posts WHERE batch_id = ? AND batch_position = 1",
                      batch))
          .isEqualTo("direct");
      assertThat(
              (Long)
                  db.value(
                      "SELECT count(*) FROM production_posts WHERE batch_id = ? AND topic_id IS NOT NULL",
                      batch))
          .isEqualTo(2L);
    }
  }

  @Test
  void a_batch_request_with_bad_configs_is_refused_whole() {
    try (Rows db = Rows.fresh()) {
      assertThatThrownBy(() -> db.value("SELECT create_post_batch('x', '[]'::jsonb)"))
          .hasMessageContaining("non-empty JSON array");
      assertThatThrownBy(
              () ->
                  db.value(
                      "SELECT create_post_batch('x', jsonb_build_array(jsonb_build_object('author_id', gen_random_uuid())))"))
          .hasMessageContaining("no profile with id");
      UUID alice = db.profile("Alice", "alice", "internal");
      assertThatThrownBy(
              () ->
                  db.value(
                      "SELECT create_post_batch('x', jsonb_build_array(jsonb_build_object('author_id', ?::text, 'count', 0)))",
                      alice))
          .hasMessageContaining("count must be between 1 and 100");
      assertThat((Long) db.value("SELECT count(*) FROM post_batches")).isZero();
    }
  }

  @Test
  void updating_a_post_recomputes_its_batch_progress() {
    try (Rows db = Rows.fresh()) {
      UUID alice = db.profile("Alice", "alice", "internal");
      UUID batch =
          db.value(
              "SELECT create_post_batch('B', jsonb_build_array(jsonb_build_object('author_id', ?::text, 'count', 4)))",
              alice);
      List<UUID> posts =
          db.column(
              "SELECT id FROM production_posts WHERE batch_id = ? ORDER BY batch_position", batch);

      db.update("UPDATE production_posts SET status = 'generating' WHERE id = ?", posts.get(0));
      assertThat(batch(db, batch)).isEqualTo("processing 4 0 0 0");
      db.update(
          "UPDATE production_posts SET status = 'draft', content = 'Text' WHERE id = ?",
          posts.get(0));
      assertThat(batch(db, batch)).isEqualTo("processing 4 1 0 25");
      db.update("UPDATE production_posts SET status = 'failed' WHERE id = ?", posts.get(1));
      assertThat(batch(db, batch)).isEqualTo("processing 4 1 1 50");
      db.update(
          "UPDATE production_posts SET status = 'draft' WHERE id IN (?, ?)",
          posts.get(2),
          posts.get(3));
      assertThat(batch(db, batch)).isEqualTo("completed 4 3 1 100");
      assertThat((Object) db.value("SELECT completed_at FROM post_batches WHERE id = ?", batch))
          .isNotNull();
      // deleting a post and moving one out of the batch also recount
      db.update("DELETE FROM production_posts WHERE id = ?", posts.get(1));
      assertThat(batch(db, batch)).isEqualTo("completed 3 3 0 100");
      db.update("UPDATE production_posts SET batch_id = NULL WHERE id = ?", posts.get(3));
      assertThat(batch(db, batch)).isEqualTo("completed 2 2 0 100");
    }
  }

  @Test
  void a_batch_whose_posts_all_failed_is_failed_and_a_cancelled_one_stays_cancelled() {
    try (Rows db = Rows.fresh()) {
      UUID alice = db.profile("Alice", "alice", "internal");
      UUID failed =
          db.value(
              "SELECT create_post_batch('F', jsonb_build_array(jsonb_build_object('author_id', ?::text, 'count', 2)))",
              alice);
      db.update("UPDATE production_posts SET status = 'failed' WHERE batch_id = ?", failed);
      assertThat(batch(db, failed)).isEqualTo("failed 2 0 2 100");

      UUID cancelled =
          db.value(
              "SELECT create_post_batch('C', jsonb_build_array(jsonb_build_object('author_id', ?::text, 'count', 2)))",
              alice);
      db.update("UPDATE post_batches SET status = 'cancelled' WHERE id = ?", cancelled);
      db.update("UPDATE production_posts SET status = 'draft' WHERE batch_id = ?", cancelled);
      assertThat(batch(db, cancelled)).isEqualTo("cancelled 2 2 0 100");
    }
  }

  @Test
  void update_batch_progress_repairs_counts_written_behind_its_back() {
    try (Rows db = Rows.fresh()) {
      UUID alice = db.profile("Alice", "alice", "internal");
      UUID batch =
          db.value(
              "SELECT create_post_batch('B', jsonb_build_array(jsonb_build_object('author_id', ?::text, 'count', 2)))",
              alice);
      db.update("UPDATE post_batches SET total_posts = 99, progress = 50 WHERE id = ?", batch);
      assertThat((Integer) db.value("SELECT (update_batch_progress(?)).total_posts", batch))
          .isEqualTo(2);
      assertThat(batch(db, batch)).isEqualTo("pending 2 0 0 0");
    }
  }

  @Test
  void a_batch_comes_back_with_its_posts_in_order_and_their_author_names() {
    try (Rows db = Rows.fresh()) {
      UUID alice = db.profile("Alice", "alice", "internal");
      UUID bob = db.profile("Bob", "bob", "internal");
      UUID batch =
          db.value(
              "SELECT create_post_batch('Launch', jsonb_build_array(jsonb_build_object('author_id', ?::text), jsonb_build_object('author_id', ?::text, 'count', 2)))",
              bob,
              alice);

      assertThat((String) db.value("SELECT get_batch_with_posts(?)->>'name'", batch))
          .isEqualTo("Launch");
      assertThat(
              db.<String>column(
                  "SELECT p->>'author_name' FROM jsonb_array_elements(get_batch_with_posts(?)->'posts') p",
                  batch))
          .containsExactly("Bob", "Alice", "Alice");
      assertThat((Object) db.value("SELECT get_batch_with_posts(gen_random_uuid())")).isNull();
    }
  }
}
