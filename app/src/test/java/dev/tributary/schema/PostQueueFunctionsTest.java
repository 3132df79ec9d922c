package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testing.Rows;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * S1.9: get_posts_needing_embedding / _classification / _topic_classification /
 * _audience_classification (and _hook_extraction), release_embedding_lock, release_post_lock,
 * release_stale_embedding_locks.
 */
class PostQueueFunctionsTest {

  private static List<UUID> posts(Rows db, int n) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          db.value(
              "INSERT INTO viral_posts_bank (content, hook, created_at) VALUES (?, 'A hook', now() - make_interval(mins => ?)) RETURNING id",
              "post " + i,
              n - i));
    }
    return ids;
  }

  @ParameterizedTest
  @CsvSource({
    "get_posts_needing_embedding, needs_embedding, embedding_locked_at",
    "get_posts_needing_classification, needs_hook_classification, hook_classification_locked_at",
    "get_posts_needing_topic_classification, needs_topic_classification, topic_classification_locked_at",
    "get_posts_needing_audience_classification, needs_audience_classification, audience_classification_locked_at",
    "get_posts_needing_hook_extraction, needs_hook_extraction, hook_extraction_locked_at"
  })
  void each_queue_claims_its_flagged_posts_oldest_first_and_stamps_them(
      String function, String flag, String lock) {
    try (Rows db = Rows.fresh()) {
      List<UUID> ids = posts(db, 4);
      db.update("UPDATE viral_posts_bank SET " + flag + " = true");
      db.update("UPDATE viral_posts_bank SET " + flag + " = false WHERE id = ?", ids.get(0));

      List<UUID> claimed = db.column("SELECT id FROM " + function + "(2) ORDER BY created_at");
      assertThat(claimed).containsExactly(ids.get(1), ids.get(2));
      assertThat(
              (Long)
                  db.value("SELECT count(*) FROM viral_posts_bank WHERE " + lock + " IS NOT NULL"))
          .isEqualTo(2L);
      // stamped rows are not handed out again; the unflagged one never is
      assertThat(db.<UUID>column("SELECT id FROM " + function + "(10)"))
          .containsExactly(ids.get(3));
      assertThat(db.<UUID>column("SELECT id FROM " + function + "(10)")).isEmpty();
    }
  }

  @Test
  void a_classification_claim_for_embedded_posts_only_skips_posts_still_to_embed() {
    try (Rows db = Rows.fresh()) {
      List<UUID> ids = posts(db, 3);
      db.update("UPDATE viral_posts_bank SET needs_topic_classification = true");
      db.update(
          "UPDATE viral_posts_bank SET needs_embedding = (id = ?)", ids.get(1)); // one to embed

      assertThat(
              db.<UUID>column(
                  "SELECT id FROM claim_posts_needing('topic_classification', 10, NULL, true)"
                      + " ORDER BY created_at"))
          .containsExactly(ids.get(0), ids.get(2));
      // the seed's function, the three-argument form, still takes it
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_topic_classification(10)"))
          .containsExactly(ids.get(1));
      assertThatThrownBy(
              () -> db.column("SELECT id FROM claim_posts_needing('embedding', 10, NULL, true)"))
          .hasMessageContaining("does not wait for embeddings");
    }
  }

  @Test
  void two_open_transactions_never_receive_the_same_post() throws Exception {
    try (Rows db = Rows.fresh()) {
      posts(db, 10);
      db.update("UPDATE viral_posts_bank SET needs_embedding = true");
      try (Connection first = db.dataSource().getConnection();
          Connection second = db.dataSource().getConnection()) {
        first.setAutoCommit(false);
        second.setAutoCommit(false);
        List<UUID> a = Rows.column(first, "SELECT id FROM get_posts_needing_embedding(6)");
        // the first transaction is still open: its rows are locked, the second skips them
        List<UUID> b = Rows.column(second, "SELECT id FROM get_posts_needing_embedding(10)");
        assertThat(a).hasSize(6);
        assertThat(b).hasSize(4).doesNotContainAnyElementsOf(a);
        first.commit();
        second.commit();
      }
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(10)")).isEmpty();
    }
  }

  @Test
  void many_concurrent_workers_claim_every_post_exactly_once() throws Exception {
    int total = 300;
    try (Rows db = Rows.fresh()) {
      db.update(
          "INSERT INTO viral_posts_bank (content) SELECT 'post ' || g FROM generate_series(1, ?) g",
          total);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<List<UUID>>> futures = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
          Callable<List<UUID>> worker =
              () -> {
                List<UUID> mine = new ArrayList<>();
                try (Connection c = db.dataSource().getConnection()) {
                  while (true) {
                    List<UUID> batch =
                        Rows.column(c, "SELECT id FROM get_posts_needing_embedding(7)");
                    if (batch.isEmpty()) {
                      return mine;
                    }
                    mine.addAll(batch);
                  }
                }
              };
          futures.add(pool.submit(worker));
        }
        List<UUID> all = new ArrayList<>();
        for (Future<List<UUID>> f : futures) {
          all.addAll(f.get());
        }
        Set<UUID> distinct = new HashSet<>(all);
        assertThat(all).hasSize(total);
        assertThat(distinct).hasSize(total);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void a_released_lock_makes_the_post_claimable_again() {
    try (Rows db = Rows.fresh()) {
      UUID post = posts(db, 1).get(0);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(5)"))
          .containsExactly(post);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(5)")).isEmpty();

      db.value("SELECT release_embedding_lock(?)::text", post);
      assertThat(
              (Object)
                  db.value("SELECT embedding_locked_at FROM viral_posts_bank WHERE id = ?", post))
          .isNull();
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(5)"))
          .containsExactly(post);
    }
  }

  @Test
  void release_post_lock_releases_any_queue_and_rejects_unknown_ones() {
    try (Rows db = Rows.fresh()) {
      UUID post = posts(db, 1).get(0);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_topic_classification(5)"))
          .containsExactly(post);
      db.value("SELECT release_post_lock(?, 'topic_classification')::text", post);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_topic_classification(5)"))
          .containsExactly(post);
      assertThatThrownBy(() -> db.value("SELECT release_post_lock(?, 'likes')::text", post))
          .hasMessageContaining("unknown post queue");
    }
  }

  @Test
  void a_stale_claim_is_handed_out_again_and_released_by_the_sweeper() {
    try (Rows db = Rows.fresh()) {
      List<UUID> ids = posts(db, 3);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(3)")).hasSize(3);
      // the worker holding the first post died an hour ago
      db.update(
          "UPDATE viral_posts_bank SET embedding_locked_at = now() - interval '1 hour' WHERE id = ?",
          ids.get(0));
      db.update(
          "UPDATE viral_posts_bank SET topic_classification_locked_at = now() - interval '1 hour' WHERE id = ?",
          ids.get(1));

      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(3)"))
          .containsExactly(ids.get(0));

      db.update(
          "UPDATE viral_posts_bank SET embedding_locked_at = now() - interval '1 hour' WHERE id = ?",
          ids.get(2));
      assertThat((Integer) db.value("SELECT release_stale_embedding_locks()")).isEqualTo(2);
      assertThat(
              db.<UUID>column("SELECT id FROM viral_posts_bank WHERE embedding_locked_at IS NULL"))
          .containsExactly(ids.get(2));
      assertThat(
              (Long)
                  db.value(
                      "SELECT count(*) FROM viral_posts_bank WHERE topic_classification_locked_at IS NOT NULL"))
          .isZero();
      assertThat((Integer) db.value("SELECT release_stale_embedding_locks()")).isZero();
      // a custom timeout: everything claimed is older than zero seconds
      assertThat((Integer) db.value("SELECT release_stale_embedding_locks(interval '-1 second')"))
          .isEqualTo(2);
    }
  }

  @Test
  void a_worker_that_finishes_clears_the_flag_and_the_post_leaves_the_queue() {
    try (Rows db = Rows.fresh()) {
      UUID post = posts(db, 1).get(0);
      db.column("SELECT id FROM get_posts_needing_embedding(1)");
      db.update(
          "UPDATE viral_posts_bank SET embedding = '{0.5}', embedding_model = 'm', embedded_at = now(), needs_embedding = false WHERE id = ?",
          post);
      db.value("SELECT release_embedding_lock(?)::text", post);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(5)")).isEmpty();
      // an operator asking for a re-embedding is all it takes to queue it again
      db.update("UPDATE viral_posts_bank SET needs_embedding = true WHERE id = ?", post);
      assertThat(db.<UUID>column("SELECT id FROM get_posts_needing_embedding(5)"))
          .containsExactly(post);
    }
  }
}
