package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's synthetic example rows load on the seed schema, and loading them twice adds nothing. */
class DemoRowsTest {
  private static final String COUNTS = """
      SELECT concat_ws(' ', (SELECT count(*) FROM profiles), (SELECT count(*) FROM viral_posts_bank),
                       (SELECT count(*) FROM faq_items), (SELECT count(*) FROM twitter_tweets),
                       (SELECT count(*) FROM twitter_engagement_tracking), (SELECT count(*) FROM profile_sync_status))""";

  private static String exampleRows() throws IOException {
    try (InputStream in = DemoRowsTest.class.getResourceAsStream("/demo/example-rows.sql")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void example_rows_load_twice_without_adding_anything_the_second_time() throws IOException {
    try (Sql db = Sql.fresh()) {
      String sql = exampleRows();
      db.update(sql);
      String first = db.one(COUNTS);
      db.update(sql);
      assertThat((String) db.one(COUNTS)).isEqualTo(first).isEqualTo("3 4 2 1 1 3");
    }
  }

  @Test
  void example_rows_are_labelled_synthetic_and_queued_for_enrichment() throws IOException {
    try (Sql db = Sql.fresh()) {
      db.update(exampleRows());
      List<String> names = db.column("SELECT full_name FROM profiles");
      assertThat(names).allMatch(n -> n.startsWith("Synthetic"));
      assertThat((Long) db.one("SELECT count(*) FROM viral_posts_bank WHERE needs_embedding")).isEqualTo(4L);
      assertThat((Long) db.one("SELECT count(*) FROM get_profiles_to_sync(10)")).isEqualTo(2L);
    }
  }
}
