package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.sql.Timestamp;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** on_viral_post_insert, on_viral_post_hook_extracted and update_viral_post_timestamp. */
class PostTriggersTest {

  private static String flags(Rows db, UUID post) {
    return db.value(
        """
        SELECT concat_ws(',',
                 CASE WHEN needs_hook_extraction THEN 'hook_extraction' END,
                 CASE WHEN needs_embedding THEN 'embedding' END,
                 CASE WHEN needs_hook_classification THEN 'hook_classification' END,
                 CASE WHEN needs_topic_classification THEN 'topic_classification' END,
                 CASE WHEN needs_audience_classification THEN 'audience_classification' END)
          FROM viral_posts_bank WHERE id = ?""",
        post);
  }

  @Test
  void a_new_post_without_hook_needs_extraction_embedding_and_topic_and_audience_classification() {
    try (Rows db = Rows.fresh()) {
      UUID post = db.post(null, "I was fired on a Tuesday.\nHere is what it taught me.");
      assertThat(flags(db, post))
          .isEqualTo("hook_extraction,embedding,topic_classification,audience_classification");
    }
  }

  @Test
  void a_new_post_with_a_hook_needs_hook_classification_but_no_extraction() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              "INSERT INTO viral_posts_bank (content, hook) VALUES ('Body of the post', 'Stop posting every day.') RETURNING id");
      assertThat(flags(db, post))
          .isEqualTo("embedding,hook_classification,topic_classification,audience_classification");
    }
  }

  @Test
  void a_new_post_that_is_already_enriched_needs_nothing() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              """
          INSERT INTO viral_posts_bank (content, hook, embedding, embedding_model, hook_type_id, topic_id, audience_id)
          VALUES ('Body', 'Hook', '{0.1,0.2}', 'test-model',
                  (SELECT id FROM hook_types WHERE name = 'question'),
                  (SELECT id FROM topics WHERE name = 'sales'),
                  (SELECT id FROM audiences WHERE name = 'founders'))
          RETURNING id""");
      assertThat(flags(db, post)).isEmpty();
    }
  }

  @Test
  void a_flag_the_inserter_sets_stays_set() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              """
          INSERT INTO viral_posts_bank (content, embedding, embedding_model, needs_embedding)
          VALUES ('Body', '{0.1}', 'old-model', true) RETURNING id""");
      assertThat(flags(db, post)).contains("embedding");
    }
  }

  @Test
  void an_extracted_hook_ends_extraction_and_asks_for_classification() {
    try (Rows db = Rows.fresh()) {
      UUID post = db.post(null, "Stop posting every day.\nDo this instead.");
      db.update(
          "UPDATE viral_posts_bank SET needs_topic_classification = false, topic_id = (SELECT id FROM topics WHERE name = 'marketing'), hook_extraction_locked_at = now() WHERE id = ?",
          post);
      db.update("UPDATE viral_posts_bank SET hook = 'Stop posting every day.' WHERE id = ?", post);
      assertThat(flags(db, post))
          .isEqualTo("embedding,hook_classification,audience_classification");
      assertThat(
              (Object)
                  db.value(
                      "SELECT hook_extraction_locked_at FROM viral_posts_bank WHERE id = ?", post))
          .isNull();
    }
  }

  @Test
  void an_update_that_does_not_touch_the_hook_leaves_the_flags_alone() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              "INSERT INTO viral_posts_bank (content, hook) VALUES ('Body', 'Hook') RETURNING id");
      db.update("UPDATE viral_posts_bank SET needs_hook_classification = false WHERE id = ?", post);
      db.update("UPDATE viral_posts_bank SET likes = 42 WHERE id = ?", post);
      assertThat(flags(db, post)).doesNotContain("hook_classification");
      // clearing the hook is not an extraction either
      db.update("UPDATE viral_posts_bank SET hook = '' WHERE id = ?", post);
      assertThat(flags(db, post)).doesNotContain("hook_classification");
    }
  }

  @Test
  void changed_content_under_an_old_embedding_needs_a_new_embedding() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              """
          INSERT INTO viral_posts_bank (content, hook, embedding, embedding_model)
          VALUES ('Body', 'Hook', '{0.1}', 'm') RETURNING id""");
      assertThat(flags(db, post)).doesNotContain("embedding");
      db.update("UPDATE viral_posts_bank SET content = 'Edited body' WHERE id = ?", post);
      assertThat(flags(db, post)).contains("embedding");
      // the embedding worker writing the vector together with the content does not re-flag it
      db.update("UPDATE viral_posts_bank SET needs_embedding = false WHERE id = ?", post);
      db.update(
          "UPDATE viral_posts_bank SET content = 'Body 3', embedding = '{0.3}' WHERE id = ?", post);
      assertThat(flags(db, post)).doesNotContain("embedding");
    }
  }

  @Test
  void any_update_moves_updated_at() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              "INSERT INTO viral_posts_bank (content, updated_at) VALUES ('Body', '2000-01-01') RETURNING id");
      db.update("UPDATE viral_posts_bank SET likes = 1 WHERE id = ?", post);
      Timestamp updated = db.value("SELECT updated_at FROM viral_posts_bank WHERE id = ?", post);
      assertThat(updated.toInstant()).isAfter(java.time.Instant.parse("2020-01-01T00:00:00Z"));
    }
  }

  @Test
  void the_embedding_norm_follows_the_embedding_and_nothing_else() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              "INSERT INTO viral_posts_bank (content, embedding, embedding_model)"
                  + " VALUES ('Body', ARRAY[3, 4]::real[], 'test/2d') RETURNING id");
      assertThat(
              (Double) db.value("SELECT embedding_norm FROM viral_posts_bank WHERE id = ?", post))
          .isEqualTo(5.0);
      db.update("UPDATE viral_posts_bank SET embedding = ARRAY[6, 8]::real[] WHERE id = ?", post);
      assertThat(
              (Double) db.value("SELECT embedding_norm FROM viral_posts_bank WHERE id = ?", post))
          .isEqualTo(10.0);
      db.update("UPDATE viral_posts_bank SET embedding_norm = 1, likes = 3 WHERE id = ?", post);
      assertThat(
              (Double) db.value("SELECT embedding_norm FROM viral_posts_bank WHERE id = ?", post))
          .as("written by hand: recomputed")
          .isEqualTo(10.0);
      db.update(
          "UPDATE viral_posts_bank SET embedding = NULL, embedding_model = NULL WHERE id = ?",
          post);
      assertThat(
              (Double) db.value("SELECT embedding_norm FROM viral_posts_bank WHERE id = ?", post))
          .isNull();
    }
  }
}
