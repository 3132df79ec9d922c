package dev.tributary.web.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.testing.Await;
import dev.tributary.node.TributaryNode;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.testing.Rows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seeds' own scheduling SQL, copied verbatim from seeds 000 and 003 (test resources {@code
 * seeds/*.sql}), run against a serving node on PostgreSQL without pg_cron or pg_net. The only
 * change is what a migrating team changes: the project URL and the key placeholders.
 */
class SeedCronSqlTest {
  private static final String SERVICE_KEY = "seed-service-key";

  private final Rows db = Rows.fresh();
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(3, 2, 3, 1);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "sandbox-key");
  private TributaryNode node;

  @AfterEach
  void close() {
    if (node != null) {
      node.close();
    }
    sandbox.close();
    db.close();
  }

  private String seedSql(String resource) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/seeds/" + resource)) {
      String base = "http://127.0.0.1:" + node.port();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("https://your-project.supabase.co", base)
          .replace("https://[project].supabase.co", base)
          .replace("YOUR_SERVICE_ROLE_KEY", SERVICE_KEY)
          .replace("[service_key]", SERVICE_KEY);
    }
  }

  private void startNode() {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      db.profile(p.fullName(), p.publicId());
    }
    node =
        TributaryNode.start(
            TributaryConfig.from(
                Map.of(
                    "RAPIDAPI_KEY",
                    "sandbox-key",
                    "LINKEDIN_API_BASE_URL",
                    sandbox.baseUrl(),
                    "SERVICE_ROLE_KEY",
                    SERVICE_KEY)),
            db.dataSource(),
            new TributaryNode.Options("seed-sql-node", 2, 0));
  }

  @Test
  void seed_000s_weekly_profile_sync_sql_schedules_the_sync_and_a_run_calls_sync_profiles()
      throws Exception {
    startNode();
    assertThat(db.text("SELECT get_supabase_url()")).isEqualTo("http://localhost:" + node.port());
    long jobid = db.count(seedSql("000-weekly-profile-sync.sql"));

    // the seed's own checks: one job of that name (the node's built-in one was taken over)
    assertThat(db.count("SELECT count(*) FROM cron.job WHERE jobname = 'weekly-profile-sync'"))
        .isEqualTo(1);
    Map<String, Object> job = db.row("SELECT * FROM cron.job WHERE jobid = ?", jobid);
    assertThat(job).containsEntry("schedule", "0 3 * * 1").containsEntry("active", true);
    assertThat(job.get("command").toString()).contains("net.http_post");

    // Monday 03:00 is days away: run the tick now, as the console's "run now" does
    node.engine().schedules().runNow("weekly-profile-sync");
    Await.until(
        "the command ran",
        Duration.ofSeconds(30),
        () ->
            db.count(
                    "SELECT count(*) FROM cron.job_run_details WHERE jobid = ? AND status = 'succeeded'",
                    jobid)
                == 1);
    assertThat(db.text("SELECT return_message FROM cron.job_run_details WHERE jobid = ?", jobid))
        .isEqualTo("1 row");
    Await.until(
        "sync-profiles answered the net request",
        Duration.ofSeconds(60),
        () -> db.count("SELECT count(*) FROM net._http_response WHERE status_code = 200") == 1);
    String answer = db.text("SELECT content FROM net._http_response");
    assertThat(answer).contains("\"success\":true").contains("\"profiles_processed\":3");
    assertThat(db.count("SELECT count(*) FROM sync_jobs WHERE status = 'completed'")).isEqualTo(1);
    assertThat(db.all("SELECT * FROM cron.job_run_details ORDER BY start_time DESC LIMIT 10"))
        .hasSize(1);
  }

  @Test
  void seed_003s_process_embeddings_sql_calls_process_embedding_queue() throws Exception {
    startNode();
    long jobid = db.count(seedSql("003-process-embeddings.sql"));
    assertThat(db.text("SELECT schedule FROM cron.job WHERE jobid = ?", jobid))
        .isEqualTo("*/5 * * * *");
    node.engine().schedules().runNow("process-embeddings");
    Await.until(
        "process-embedding-queue answered",
        Duration.ofSeconds(30),
        () -> db.count("SELECT count(*) FROM net._http_response WHERE status_code = 200") == 1);
    assertThat(db.text("SELECT content FROM net._http_response"))
        .contains("\"action\":\"process\"");
  }

  @Test
  void the_seed_cron_functions_enqueue_the_sync_and_the_style_refresh_once() {
    startNode();
    long sync = db.count("SELECT trigger_profile_sync()");
    assertThat(db.count("SELECT trigger_profile_sync()")).isEqualTo(sync);
    long style = db.count("SELECT trigger_monthly_style_refresh()");
    assertThat(style).isNotEqualTo(sync);
    Await.until(
        "the triggered sync completes",
        Duration.ofSeconds(60),
        () -> db.count("SELECT count(*) FROM sync_jobs WHERE status = 'completed'") == 1);
    assertThat(db.column("SELECT jobname FROM cron.job ORDER BY jobname"))
        .contains("weekly-profile-sync", "monthly-style-refresh");
  }
}
