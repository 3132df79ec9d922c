package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.testing.Rows;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tributary sync-profiles} in a child JVM, scraping the local LinkedIn sandbox. */
class SyncProfilesCliTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(11, 2, 5, 1);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "sandbox-key");
  private final Map<String, String> env =
      Map.of(
          "DATABASE_URL",
          db.getJdbcUrl(),
          "RAPIDAPI_KEY",
          "sandbox-key",
          "LINKEDIN_API_BASE_URL",
          sandbox.baseUrl());

  @AfterEach
  void close() {
    sandbox.close();
    db.close();
  }

  @Test
  void without_a_rapidapi_key_it_stops_naming_the_variable() throws Exception {
    var r = CliProcess.run(Map.of("DATABASE_URL", db.getJdbcUrl()), "sync-profiles");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("RAPIDAPI_KEY").doesNotContain("Exception");
    assertThat(sql.count("SELECT count(*) FROM sync_jobs")).isZero();
  }

  @Test
  void a_run_prints_one_line_per_profile_off_a_terminal_then_the_seeds_summary() throws Exception {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      sql.execute(
          "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (?, ?, 'external_influencer')",
          p.fullName(),
          p.publicId());
    }
    sql.execute(
        "INSERT INTO profiles (full_name, linkedin_id, type) VALUES ('Gone Synthetic', 'synthetic-gone',"
            + " 'external_influencer')");

    var r = CliProcess.run(env, "sync-profiles", "--max-profiles", "10");

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    String out = r.stdout();
    assertThat(out).doesNotContain("\r").contains("4 profile(s) due for sync");
    assertThat(out)
        .containsPattern("\\[\\d/4\\] synced\\s+synthetic-ada-01\\s+\\d+ scraped, \\d+ new");
    assertThat(out)
        .containsPattern("\\[\\d/4\\] failed\\s+synthetic-gone\\s+failed \\(1 in a row\\)");
    assertThat(out).contains("embedding new posts").contains("extracting and classifying hooks");
    long inserted = sql.count("SELECT count(*) FROM viral_posts_bank");
    assertThat(inserted).isPositive();
    assertThat(out)
        .containsPattern("sync job [0-9a-f-]{36}: partial in")
        .contains("profiles processed:  4 (3 successful)")
        .contains("posts new:           " + inserted + " ")
        .contains("embeddings updated:  " + inserted)
        .contains("! synthetic-gone:");
    assertThat(sql.text("SELECT status || ':' || triggered_by FROM sync_jobs"))
        .isEqualTo("partial:cli:sync-profiles");

    // the synced profiles are not due for a week; the failed one is retried, fails again, and a run
    // whose every profile failed is the seed's success: false
    var again = CliProcess.run(env, "sync-profiles", "--no-embeddings", "--no-hook-classification");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stdout())
        .contains("1 profile(s) due for sync")
        .contains("failed (2 in a row)")
        .contains("posts new:           0")
        .contains(": failed in")
        .doesNotContain("embedding new posts");
  }

  @Test
  void a_bad_max_profiles_is_refused() throws Exception {
    var r = CliProcess.run(env, "sync-profiles", "--max-profiles", "0");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--max-profiles").contains("from 1 to 1000");
  }
}
