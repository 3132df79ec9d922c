package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.Rows;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tributary profiles …} in a child JVM against a real database. */
class ProfilesCliTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final Map<String, String> env = Map.of("DATABASE_URL", db.getJdbcUrl());

  @AfterEach
  void close() {
    db.close();
  }

  private UUID profile(String name, String linkedinId) {
    return UUID.fromString(
        sql.text(
            "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (?, ?,"
                + " 'external_influencer') RETURNING id::text",
            name,
            linkedinId));
  }

  @Test
  void stats_and_pending_print_the_seeds_monitoring_numbers() throws Exception {
    UUID author = profile("Synthetic One", "synthetic-one");
    profile("Synthetic Two", "synthetic-two");
    sql.execute(
        "INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES (?::uuid,"
            + " 'https://example.invalid/1', 'Synthetic text')",
        author.toString());

    var stats = CliProcess.run(env, "profiles", "stats");
    assertThat(stats.exitCode()).as(stats.stderr()).isZero();
    assertThat(stats.stdout())
        .contains("total profiles:          2")
        .contains("profiles needing sync:   2")
        .contains("posts without embedding: 1")
        .contains("last sync:               never")
        .contains("sync running:            no");

    var pending = CliProcess.run(env, "profiles", "pending");
    assertThat(pending.exitCode()).isZero();
    assertThat(pending.stdout())
        .containsPattern("pending_embeddings\\s+1\\b")
        .containsPattern("pending_hook_extraction\\s+1\\b")
        .containsPattern("profiles_without_style\\s+2\\b");
  }

  @Test
  void a_failing_profile_is_listed_then_reset_and_forced_back_into_the_sync() throws Exception {
    UUID id = profile("Broken Synthetic", "synthetic-broken");
    sql.execute(
        "UPDATE profile_sync_status SET consecutive_failures = 5, last_error = 'HTTP 404: profile not found',"
            + " last_attempt_at = now(), last_scraped_at = now() WHERE profile_id = ?::uuid",
        id.toString());

    var failing = CliProcess.run(env, "profiles", "failing");
    assertThat(failing.exitCode()).isZero();
    assertThat(failing.stdout())
        .contains(id.toString())
        .contains("synthetic-broken")
        .contains("HTTP 404: profile not found")
        .contains("1 failing profile(s)")
        .contains("tributary profiles reset ID");

    var reset = CliProcess.run(env, "profiles", "reset", id.toString());
    assertThat(reset.exitCode()).as(reset.stderr()).isZero();
    assertThat(reset.stdout()).contains("profile " + id + " reset");
    assertThat(
            sql.text(
                "SELECT consecutive_failures || ':' || coalesce(last_error, 'none') FROM profile_sync_status"
                    + " WHERE profile_id = ?::uuid",
                id.toString()))
        .isEqualTo("0:none");
    assertThat(CliProcess.run(env, "profiles", "failing").stdout())
        .contains("0 failing profile(s)");

    var resync = CliProcess.run(env, "profiles", "resync", id.toString());
    assertThat(resync.exitCode()).isZero();
    assertThat(
            sql.text(
                "SELECT coalesce(last_scraped_at::text, 'due') FROM profile_sync_status WHERE profile_id = ?::uuid",
                id.toString()))
        .isEqualTo("due");
  }

  @Test
  void a_malformed_id_exits_2_and_an_unknown_profile_1() throws Exception {
    var bad = CliProcess.run(env, "profiles", "reset", "42");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("tributary: profile id must be a UUID");

    UUID unknown = UUID.randomUUID();
    var missing = CliProcess.run(env, "profiles", "resync", unknown.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("tributary: no profile " + unknown);
  }

  @Test
  void jobs_lists_the_recent_sync_runs() throws Exception {
    sql.execute(
        "INSERT INTO sync_jobs (job_type, status, profiles_processed, posts_new, started_at, duration_seconds)"
            + " VALUES ('full_cascade', 'partial', 3, 12, now(), 4.2)");
    var jobs = CliProcess.run(env, "profiles", "jobs");
    assertThat(jobs.exitCode()).isZero();
    assertThat(jobs.stdout())
        .contains("full_cascade")
        .contains("partial")
        .contains("4.2s")
        .contains("1 sync run(s)");
  }
}
