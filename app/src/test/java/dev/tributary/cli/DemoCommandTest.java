package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.Rows;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tributary demo} end to end in a child JVM, twice on one database. */
class DemoCommandTest {
  private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
  private static final Pattern POSTS =
      Pattern.compile(
          "posts: (\\d+) scraped · (\\d+) new · (\\d+) already known \\((\\d+) with refreshed counters\\) · (\\d+) reshares skipped");

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final Map<String, String> env =
      Map.of("DATABASE_URL", db.getJdbcUrl(), "OPENAI_API_KEY", "must-not-be-used");

  @AfterEach
  void close() {
    db.close();
  }

  private static long[] posts(String out) {
    Matcher m = POSTS.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    long[] n = new long[5];
    for (int i = 0; i < 5; i++) {
      n[i] = Long.parseLong(m.group(i + 1));
    }
    return n;
  }

  @Test
  void the_demo_runs_the_whole_cascade_offline_and_a_second_run_meets_known_posts()
      throws Exception {
    var first = CliProcess.run(RUN_LIMIT, env, "demo");

    assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
    String out = first.stdout();
    assertThat(out).startsWith("Tributary demo — SYNTHETIC DATA").doesNotContain("\r");
    assertThat(out)
        .contains("9 profiles (9 added now, 0 already in the database), synthetic week 1")
        .contains("AI provider 'local' (local/all-minilm-l6-v2-q)")
        .contains("profiles: 9 processed, 9 successful");
    assertThat(out)
        .contains("SYNTHETIC supplier sandbox at http://")
        .contains("3000 products in BigBuy's format, catalogue round 0")
        .containsPattern(
            "catalogue sync \\(full, first\\) as engine import job \\S+: 3000 inserted, 0 updated, 0 unchanged")
        .contains("10% of the products get a new price and stock (300 products)")
        .containsPattern(
            "resync \\(incremental\\) as engine import job \\S+: 0 inserted, 300 updated, 2700 unchanged");
    assertThat(
            sql.count(
                "SELECT count(*) FROM suppliers WHERE is_active AND settings @> '{\"synthetic\": true}'"))
        .as("the synthetic supplier is off once the demo ends")
        .isZero();
    assertThat(out)
        .contains("Tweet engagement — SYNTHETIC Twitter sandbox at http://127.0.0.1:")
        .containsPattern("tweet 1990000000000000004 VIRAL");
    long[] week1 = posts(out);
    assertThat(week1[1]).isPositive().isEqualTo(sql.count("SELECT count(*) FROM viral_posts_bank"));
    assertThat(week1[2]).isZero();
    assertThat(week1[4]).as("the sandbox's reshares are dropped").isPositive();
    assertThat(week1[0]).isEqualTo(week1[1] + week1[4]);
    for (String worker :
        new String[] {
          "worker_extract_hooks_v2", "worker_generate_embeddings_v2", "worker_complete_profiles_v2"
        }) {
      assertThat(out).containsPattern(worker + "\\s+[1-9]\\d*\\s+[1-9]\\d*\\s+0\\s+\\d+\\.\\d s");
    }
    // with the local models the embedding pass classifies; the classifiers' own jobs find little
    for (String worker :
        new String[] {
          "worker_classify_hooks_v2", "worker_classify_topics_v2", "worker_classify_audiences_v2"
        }) {
      assertThat(out).containsPattern(worker + "\\s+\\d+\\s+\\d+\\s+0\\s+\\d+\\.\\d s");
    }
    assertThat(out)
        .containsPattern(
            "in the embedding pass \\(local models, one inference per post\\): \\d+ hooks stored,"
                + " [1-9]\\d* hook types, [1-9]\\d* topics, [1-9]\\d* audiences");
    long textPosts = sql.count("SELECT count(*) FROM viral_posts_bank WHERE btrim(content) <> ''");
    assertThat(
            sql.count(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding IS NOT NULL AND topic_id IS NOT NULL"
                    + " AND audience_id IS NOT NULL AND hook_type_id IS NOT NULL"))
        .isEqualTo(textPosts);
    assertThat(out)
        .contains("embeddings: " + textPosts + " (local/all-minilm-l6-v2-q, 384 dimensions)")
        .containsPattern("top hook types: \\w+ \\(\\d+\\)")
        .containsPattern("top topics: \\w+ \\(\\d+\\)")
        .containsPattern("top audiences: \\w+ \\(\\d+\\)")
        .contains(
            "8 SYNTHETIC profiles have one (by local:text-statistics), 8 analysed in this run")
        .containsPattern("Time: \\d+\\.\\d s from enqueue to drained \\(scrape \\d+\\.\\d s")
        .containsPattern(
            "Semantic search over the SYNTHETIC posts .*\\n  0\\.\\d\\d  \\w+ Synthetic — \"");
    assertThat(sql.count("SELECT count(*) FROM task_execution_logs_v2 WHERE status <> 'completed'"))
        .isZero();
    assertThat(
            sql.count(
                "SELECT count(*) FROM tributary.schedules WHERE name = 'weekly-profile-sync'"))
        .as("the demo leaves no weekly sync behind")
        .isZero();
    assertThat(sql.count("SELECT count(*) FROM get_profiles_to_sync(100)"))
        .as("a real node on this database will not scrape the synthetic profiles")
        .isZero();

    assertPublished(out, 3);

    var second = CliProcess.run(RUN_LIMIT, env, "demo");

    assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
    String again = second.stdout();
    assertThat(again)
        .contains("9 profiles (0 added now, 9 already in the database), synthetic week 2")
        .contains("0 analysed in this run")
        .contains("catalogue round 2")
        .containsPattern(
            "catalogue sync \\(full\\) as engine import job \\S+: 0 inserted, 300 updated, 2700 unchanged")
        .containsPattern(
            "resync \\(incremental\\) as engine import job \\S+: 0 inserted, 300 updated, 2700 unchanged");
    assertThat(sql.count("SELECT count(*) FROM imported_products")).isEqualTo(3000);
    long[] week2 = posts(again);
    assertThat(week2[1])
        .as("each posting profile shows 3 new posts, reshares dropped")
        .isBetween(1L, 24L);
    assertThat(week2[2]).as("week 1's posts come back as known").isEqualTo(week1[1]);
    assertThat(week2[3]).as("their counters grew").isPositive();
    assertThat(sql.count("SELECT count(*) FROM profiles")).isEqualTo(9);
    assertThat(sql.count("SELECT count(*) FROM viral_posts_bank")).isEqualTo(week1[1] + week2[1]);
    assertPublished(again, 6);
    assertThat(sql.count("SELECT count(DISTINCT post_url) FROM viral_posts_bank"))
        .isEqualTo(week1[1] + week2[1]);
    assertThat(
            sql.count(
                "SELECT count(*) FROM viral_posts_bank WHERE needs_embedding OR needs_hook_extraction"
                    + " OR needs_hook_classification OR needs_topic_classification OR needs_audience_classification"))
        .isZero();
  }

  /** The publishing step: posts due seconds ahead, one lost answer, a company rule; once each. */
  private void assertPublished(String out, long publishedSoFar) {
    assertThat(out)
        .containsPattern(
            "\\[6/6\\] publishing: 3 SYNTHETIC posts due in 2-4 s on a SYNTHETIC Unipile sandbox")
        .containsPattern(
            "post 1  published, sent \\d+\\.\\d s after its time, created 1× at the sandbox")
        .containsPattern(
            "post 2  published, sent \\d+\\.\\d s after its time; its answer was lost, found among"
                + " the account's posts \\d+\\.\\d s after its time and not sent again, created 1×")
        .containsPattern(
            "post 3  published, sent \\d+\\.\\d s after its time, created 1× at the sandbox")
        .contains("company page: 3 re-posts published")
        .contains(
            "once each: 6 rows published, 6 posts at the sandbox from 6 create calls, 0 duplicates");
    assertThat(sql.count("SELECT count(*) FROM scheduled_posts WHERE status = 'published'"))
        .isEqualTo(publishedSoFar);
    assertThat(sql.count("SELECT count(*) FROM company_published_posts WHERE status = 'published'"))
        .isEqualTo(publishedSoFar);
    assertThat(sql.count("SELECT count(*) FROM unipile_accounts WHERE status = 'connected'"))
        .as("a real node on this database never posts from the demo's accounts")
        .isZero();
    assertThat(
            sql.count("SELECT count(*) FROM tributary.schedules WHERE name = 'publish-scheduled'"))
        .isZero();
  }

  @Test
  void the_demo_refuses_a_database_holding_profiles_its_sandbox_does_not_know() throws Exception {
    sql.execute(
        "INSERT INTO profiles (full_name, linkedin_id, type) VALUES ('Someone Real', 'someone-real',"
            + " 'external_influencer')");

    var r = CliProcess.run(RUN_LIMIT, env, "demo");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains(
            "1 profile(s) due for sync that the demo's synthetic sandbox does not know"
                + " (someone-real)")
        .contains("TRIBUTARY_DATA_DIR=./.tributary-demo");
    assertThat(sql.count("SELECT count(*) FROM profiles")).isEqualTo(1);
    assertThat(sql.count("SELECT consecutive_failures FROM profile_sync_status")).isZero();
  }
}
