package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.node.TributaryNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary serve} in a child JVM stopped with SIGTERM while the cascade runs: the node
 * gives its jobs back on the way out, nothing is left {@code running}, and another node finishes
 * every post.
 */
class SigtermTest {
  private static final String AUTHOR = "00000000-0000-0000-0000-0000000000c1";
  private static final String FLAGGED =
      """
      SELECT count(*) FROM viral_posts_bank
       WHERE needs_hook_extraction OR needs_embedding OR needs_hook_classification
          OR needs_topic_classification OR needs_audience_classification""";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private Process child;

  @AfterEach
  void close() {
    if (child != null) {
      child.destroyForcibly();
    }
    db.close();
  }

  @Test
  void a_node_stopped_with_sigterm_mid_work_loses_nothing_and_leaves_nothing_running()
      throws Exception {
    execute(
        "INSERT INTO profiles (id, full_name, linkedin_id, type) VALUES ('"
            + AUTHOR
            + "', 'Synthetic Sigterm', 'synthetic-sigterm', 'internal')");
    child = startServe();
    CompletableFuture<String> serving = awaitLine(child, "tributary serving on");
    assertThat(serving.get(120, TimeUnit.SECONDS)).startsWith("tributary serving on");

    int posts = 240;
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < posts; i++) {
      values
          .append(values.isEmpty() ? "" : ", ")
          .append("('" + AUTHOR + "', 'https://example.invalid/sigterm/")
          .append(i)
          .append("', 'Lesson ")
          .append(i)
          .append(" about pricing and hiring.\nWe charged more and hired slower; both worked.')");
    }
    execute("INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES " + values);
    Await.until(
        () -> "a job of the child running: " + jobStates(),
        Duration.ofSeconds(60),
        Duration.ofMillis(20),
        () -> count("SELECT count(*) FROM tributary.jobs WHERE state = 'running'") > 0);

    child.destroy(); // SIGTERM: the shutdown hook stops the web server, then the engine
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child exits").isTrue();

    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE state = 'running'"))
        .as("jobs left running: " + jobStates())
        .isZero();
    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE locked_by IS NOT NULL"))
        .as("jobs still leased to the stopped node")
        .isZero();
    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE state = 'dead'")).isZero();

    try (TributaryNode node =
        TributaryNode.start(
            TributaryConfig.from(Map.of()), db, new TributaryNode.Options("after", 2, null))) {
      Await.until(
          () -> "the second node to finish the cascade: " + jobStates(),
          Duration.ofSeconds(120),
          Duration.ofMillis(50),
          () -> count(FLAGGED) == 0);
    }
    assertThat(
            count(
                "SELECT count(*) FROM viral_posts_bank WHERE hook IS NOT NULL AND embedding IS NOT NULL"
                    + " AND topic_id IS NOT NULL AND audience_id IS NOT NULL"))
        .isEqualTo(posts);
  }

  private Process startServe() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Dlogback.configurationFile=logback.xml",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "serve",
            "--port",
            "0",
            "--node-id",
            "sigterm-child"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.equals("DATABASE_URL")
                    || k.startsWith("TRIBUTARY_")
                    || k.startsWith("RAPIDAPI_")
                    || k.startsWith("OPENAI_"));
    pb.environment().put("DATABASE_URL", db.getJdbcUrl());
    return pb.start();
  }

  /** Reads the child's output to its end (so it never blocks on a full pipe), noting one line. */
  private static CompletableFuture<String> awaitLine(Process p, String prefix) {
    CompletableFuture<String> found = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              StringBuilder seen = new StringBuilder();
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith(prefix)) {
                    found.complete(line);
                  } else if (!found.isDone()) {
                    seen.append(line).append('\n');
                  }
                }
              } catch (Exception e) {
                found.completeExceptionally(e);
              }
              found.complete("child ended before '" + prefix + "':\n" + seen);
            },
            "sigterm-child-output");
    reader.setDaemon(true);
    reader.start();
    return found;
  }

  private String jobStates() {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(kind || ':' || state || '=' || n, ', ') FROM"
                    + " (SELECT kind, state, count(*) n FROM tributary.jobs GROUP BY 1, 2) x")) {
      rs.next();
      return String.valueOf(rs.getString(1));
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private long count(String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void execute(String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
