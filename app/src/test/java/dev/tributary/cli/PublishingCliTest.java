package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.Rows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tributary publishing …} in a child JVM against a real database. */
class PublishingCliTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final Map<String, String> env = Map.of("DATABASE_URL", db.getJdbcUrl());

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void due_posts_are_listed_cancelled_and_a_failed_one_is_retried() throws Exception {
    UUID due =
        sql.value(
            "INSERT INTO scheduled_posts (content, scheduled_at) VALUES ('Due CLI post', ?) RETURNING id",
            Timestamp.from(Instant.now().minusSeconds(5)));
    UUID failed =
        sql.value(
            "INSERT INTO scheduled_posts (content, scheduled_at, status, error_message)"
                + " VALUES ('Failed CLI post', now(), 'failed', 'HTTP 422 invalid_post') RETURNING id");

    var list = CliProcess.run(env, "publishing", "due");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout())
        .contains(due.toString())
        .contains("Due CLI post")
        .contains("1 post(s)");

    var failures = CliProcess.run(env, "publishing", "list", "--status", "failed");
    assertThat(failures.stdout()).contains("HTTP 422 invalid_post");

    var cancel = CliProcess.run(env, "publishing", "cancel", "scheduled_post", due.toString());
    assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
    assertThat(sql.text("SELECT status FROM scheduled_posts WHERE id = ?", due))
        .isEqualTo("cancelled");

    var retry = CliProcess.run(env, "publishing", "retry", "scheduled_post", failed.toString());
    assertThat(retry.exitCode()).as(retry.stderr()).isZero();
    assertThat(sql.text("SELECT status FROM scheduled_posts WHERE id = ?", failed))
        .isEqualTo("publishing");
    assertThat(
            sql.count(
                "SELECT count(*) FROM tributary.jobs WHERE kind = 'publishing.publish' AND state = 'available'"))
        .isEqualTo(1);

    var again = CliProcess.run(env, "publishing", "retry", "scheduled_post", failed.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("cannot be retried");
    assertThat(CliProcess.run(env, "publishing", "cancel", "nonsense", due.toString()).exitCode())
        .isEqualTo(2);
  }
}
