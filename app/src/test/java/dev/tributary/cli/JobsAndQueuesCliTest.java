package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.Rows;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary jobs …} and {@code tributary queues …} in a child JVM against a real database.
 */
class JobsAndQueuesCliTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final Jobs jobs = new Jobs(db);
  private final Map<String, String> env = Map.of("DATABASE_URL", db.getJdbcUrl());

  @AfterEach
  void close() {
    db.close();
  }

  private String state(long id) {
    return sql.text("SELECT state FROM tributary.jobs WHERE id = ?", id);
  }

  @Test
  void jobs_are_listed_shown_cancelled_and_retried() throws Exception {
    long id =
        jobs.enqueue(
                "synthetic_report",
                Map.of("account", "synthetic-42"),
                EnqueueOptions.DEFAULTS.queue("reports").uniqueKey("report:synthetic-42"))
            .jobId();
    jobs.enqueue("synthetic_other", Map.of(), EnqueueOptions.DEFAULTS.queue("other"));

    var list = CliProcess.run(env, "jobs", "list", "--queue", "reports");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout())
        .contains("synthetic_report")
        .contains("available")
        .doesNotContain("synthetic_other")
        .contains("1 job(s)");

    var show = CliProcess.run(env, "jobs", "show", String.valueOf(id));
    assertThat(show.exitCode()).isZero();
    assertThat(show.stdout())
        .contains("kind:         synthetic_report")
        .contains("queue:        reports")
        .contains("unique key:   report:synthetic-42")
        .contains("synthetic-42");

    var cancel = CliProcess.run(env, "jobs", "cancel", String.valueOf(id));
    assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
    assertThat(cancel.stdout()).contains("job " + id + " cancelled");
    assertThat(state(id)).isEqualTo("cancelled");
    assertThat(CliProcess.run(env, "jobs", "list", "--state", "cancelled").stdout())
        .contains("synthetic_report");

    var cancelAgain = CliProcess.run(env, "jobs", "cancel", String.valueOf(id));
    assertThat(cancelAgain.exitCode()).isEqualTo(1);
    assertThat(cancelAgain.stderr()).contains("cannot be cancelled in its current state");

    var retry = CliProcess.run(env, "jobs", "retry", String.valueOf(id));
    assertThat(retry.exitCode()).as(retry.stderr()).isZero();
    assertThat(state(id)).isEqualTo("available");
  }

  @Test
  void unknown_jobs_and_states_are_clear_errors() throws Exception {
    var missing = CliProcess.run(env, "jobs", "show", "999999");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("tributary: no job 999999");

    var badState = CliProcess.run(env, "jobs", "list", "--state", "sleeping");
    assertThat(badState.exitCode()).isEqualTo(2);
    assertThat(badState.stderr()).contains("unknown state 'sleeping'");
  }

  @Test
  void queues_are_listed_paused_and_resumed_for_every_node() throws Exception {
    jobs.enqueue("synthetic_report", Map.of(), EnqueueOptions.DEFAULTS.queue("reports"));

    var pause = CliProcess.run(env, "queues", "pause", "reports");
    assertThat(pause.exitCode()).as(pause.stderr()).isZero();
    assertThat(pause.stdout()).contains("queue reports paused");
    assertThat(sql.text("SELECT paused::text FROM tributary.queues WHERE name = 'reports'"))
        .isEqualTo("true");

    var list = CliProcess.run(env, "queues", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.stdout()).containsPattern("reports\\s+yes\\s+-\\s+1\\s+0\\s+0\\s+0");

    var resume = CliProcess.run(env, "queues", "resume", "reports");
    assertThat(resume.exitCode()).isZero();
    assertThat(sql.text("SELECT paused::text FROM tributary.queues WHERE name = 'reports'"))
        .isEqualTo("false");
    assertThat(CliProcess.run(env, "queues", "list").stdout()).containsPattern("reports\\s+no\\s+");
  }
}
