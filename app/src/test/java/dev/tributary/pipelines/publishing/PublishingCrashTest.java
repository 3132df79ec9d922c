package dev.tributary.pipelines.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.PublishingSettings;
import dev.tributary.db.Migrations;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.QueueConfig;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.sandbox.UnipileSandbox;
import dev.tributary.sandbox.UnipileSandbox.Fault;
import dev.tributary.testing.Rows;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publishing node's JVM killed with SIGKILL after Unipile created the post and before the node
 * wrote the outcome: a new node finds the post among the account's posts and marks it published,
 * without sending it again.
 */
class PublishingCrashTest {
  static final String KEY = "unipile-key-for-the-crash-test-0123";
  static final String TEXT = "Written just before the node died";

  final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  final Rows rows = new Rows(db);
  final UnipileSandbox sandbox = UnipileSandbox.start(KEY);
  Process child;
  Engine survivor;

  @AfterEach
  void close() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (survivor != null) {
      survivor.close();
    }
    sandbox.close();
    db.close();
  }

  @Test
  void a_node_killed_between_the_create_call_and_its_write_is_reconciled_by_a_new_node_once()
      throws Exception {
    UUID profile = rows.profile("Grace Crash", "grace-crash", "internal");
    sandbox.account("acc-crash", "ACoCRASH");
    UUID account =
        rows.value(
            "INSERT INTO unipile_accounts (profile_id, account_id, status)"
                + " VALUES (?, 'acc-crash', 'connected') RETURNING id",
            profile);
    // the sandbox creates the post, then holds the answer: the node is killed while it waits
    sandbox.slowFor(Duration.ofMinutes(5)).failOnce(TEXT, Fault.CREATED_TOO_SLOW);
    UUID post =
        rows.value(
            "INSERT INTO scheduled_posts (profile_id, unipile_account_id, content, scheduled_at)"
                + " VALUES (?, ?, ?, ?) RETURNING id",
            profile,
            account,
            TEXT,
            Timestamp.from(Instant.now()));

    child = startWorker();
    Await.until(
        "the sandbox holds the post created by the doomed node",
        Duration.ofSeconds(60),
        () -> sandbox.createdWithText(TEXT) == 1 || !child.isAlive());
    assertThat(child.isAlive()).as("the worker JVM still runs").isTrue();
    child.destroyForcibly(); // SIGKILL: no shutdown hook, the answer is never read nor written
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(status(post)).isEqualTo("publishing");
    assertThat(rows.row("SELECT state, node FROM publishing_attempts WHERE source_id = ?", post))
        .containsEntry("state", "sending")
        .containsEntry("node", "doomed");

    SettableClock clock = new SettableClock(Instant.now());
    PublishingSettings settings =
        new PublishingSettings(
            Optional.of(KEY),
            Optional.of(sandbox.baseUrl()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            1024 * 1024,
            2,
            PublishingSettings.DEFAULT_CYCLE_CRON);
    PublishingModule module = PublishingModule.create(settings, db, clock, "survivor");
    EngineBuilder b =
        TestEngines.builder(db, clock, "survivor").queue(QueueConfig.of(PublishingJobs.QUEUE, 2));
    module.register(b);
    survivor = b.build();
    module.jobs().jobs(survivor.jobs());
    survivor.start();
    // past the dead node's lease and past the time its answer could still have come
    clock.advance(Duration.ofMinutes(1));

    Await.until("the new node reconciles the post", () -> status(post).equals("published"));

    assertThat(sandbox.createdWithText(TEXT)).as("created once at the provider").isEqualTo(1);
    assertThat(sandbox.createCalls()).as("never sent again").isEqualTo(1);
    assertThat(
            rows.row(
                "SELECT state, reconciled, external_post_id FROM publishing_attempts"
                    + " WHERE source_id = ?",
                post))
        .containsEntry("state", "created")
        .containsEntry("reconciled", true)
        .containsEntry("external_post_id", sandbox.posts().get(0).id());
    assertThat(rows.text("SELECT external_post_id FROM scheduled_posts WHERE id = ?", post))
        .isEqualTo(sandbox.posts().get(0).id());
    assertThat(rows.count("SELECT count(*) FROM published_posts WHERE scheduled_post_id = ?", post))
        .isEqualTo(1);
  }

  private String status(UUID post) {
    return rows.text("SELECT status FROM scheduled_posts WHERE id = ?", post);
  }

  private Process startWorker() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx192m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    PublishingWorkerMain.class.getName(),
                    db.getJdbcUrl(),
                    sandbox.baseUrl(),
                    KEY))
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              // reads the child's output to its end, so the child never blocks on a full pipe
              StringBuilder seen = new StringBuilder();
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.equals("READY")) {
                    ready.complete(line);
                  }
                  seen.append(line).append('\n');
                }
              } catch (Exception e) {
                seen.append("child output failed: ").append(e);
              }
              ready.complete("child exited:\n" + seen);
            });
    assertThat(ready.get(60, TimeUnit.SECONDS)).isEqualTo("READY");
    return p;
  }
}
