package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The default hook type / topic / audience catalogues and get_hooks_with_classification (S1.14).
 */
class CatalogueFunctionsTest {

  @Test
  void the_catalogues_come_with_described_defaults() {
    try (Rows db = Rows.fresh()) {
      assertThat(db.<String>column("SELECT name FROM hook_types"))
          .contains(
              "question",
              "bold_statement",
              "statistic",
              "story",
              "contrarian",
              "how_to",
              "list",
              "personal_confession",
              "curiosity_gap",
              "call_out");
      assertThat((Long) db.value("SELECT count(*) FROM topics")).isBetween(8L, 15L);
      assertThat((Long) db.value("SELECT count(*) FROM audiences")).isBetween(6L, 12L);
      assertThat(
              (Long)
                  db.value(
                      """
          SELECT count(*) FROM (SELECT description FROM hook_types UNION ALL SELECT description FROM topics
                                UNION ALL SELECT description FROM audiences) d
           WHERE description IS NULL OR description = ''"""))
          .isZero();
      assertThat((Long) db.value("SELECT count(*) FROM hook_types WHERE cardinality(examples) = 0"))
          .isZero();
    }
  }

  @Test
  void a_post_hook_comes_back_with_its_classification_names() {
    try (Rows db = Rows.fresh()) {
      UUID post =
          db.value(
              """
          INSERT INTO viral_posts_bank (content, hook, hook_type_id, topic_id, audience_id, classified_by)
          VALUES ('Body', '5 mistakes I made hiring', (SELECT id FROM hook_types WHERE name = 'list'),
                  (SELECT id FROM topics WHERE name = 'hiring'), (SELECT id FROM audiences WHERE name = 'founders'), 'local')
          RETURNING id""");
      db.update(
          "INSERT INTO viral_posts_bank (content, hook) VALUES ('Other', 'Unclassified hook')");
      db.update("INSERT INTO viral_posts_bank (content) VALUES ('No hook yet')");

      String row =
          db.value(
              """
          SELECT concat_ws('|', hook, hook_type_name, topic_name, audience_name, classified_by)
            FROM get_hooks_with_classification(?)""",
              post);
      assertThat(row).isEqualTo("5 mistakes I made hiring|list|hiring|founders|local");

      List<String> all = db.column("SELECT hook FROM get_hooks_with_classification()");
      assertThat(all).containsExactlyInAnyOrder("5 mistakes I made hiring", "Unclassified hook");
      assertThat(db.<String>column("SELECT hook FROM get_hooks_with_classification(NULL, 1)"))
          .hasSize(1);
      assertThat(
              db.<String>column(
                  "SELECT hook FROM get_hooks_with_classification(gen_random_uuid())"))
          .isEmpty();
    }
  }
}
