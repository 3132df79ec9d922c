package dev.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.CascadeWorker;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.web.WebServer;
import dev.tributary.web.enrichment.WorkerRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node serving HTTP: the worker endpoints and the profile operations API are wired and reach the
 * engine.
 */
class NodeRoutesTest {
  private static final String SERVICE_KEY = "node-service-key";
  private static final String SCHEDULER_SECRET = "node-scheduler-secret";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(5, 2, 3, 1);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "sandbox-key");
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    http.close();
    sandbox.close();
    db.close();
  }

  private String text(String sql, Object... args) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> post(TributaryNode node, String path, String header, String value)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_six_worker_endpoints_and_a_triggered_sync_run_on_a_serving_node() throws Exception {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      text(
          "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (?, ?, 'external_influencer') RETURNING id",
          p.fullName(),
          p.publicId());
    }
    TributaryConfig config =
        TributaryConfig.from(
            Map.of(
                "RAPIDAPI_KEY",
                "sandbox-key",
                "LINKEDIN_API_BASE_URL",
                sandbox.baseUrl(),
                "SERVICE_ROLE_KEY",
                SERVICE_KEY,
                "SCHEDULER_SECRET",
                SCHEDULER_SECRET));
    try (TributaryNode node =
        TributaryNode.start(config, db, new TributaryNode.Options("node-http", 2, 0))) {
      for (CascadeWorker w : node.profiles().workers()) {
        HttpResponse<String> r =
            post(node, WorkerRoutes.path(w.name()), "X-Scheduler-Secret", SCHEDULER_SECRET);
        assertThat(r.statusCode()).as(w.name() + ": " + r.body()).isEqualTo(200);
        assertThat(WebServer.JSON.readTree(r.body()).get("worker").asText()).isEqualTo(w.name());
      }

      HttpResponse<String> trigger =
          post(node, "/api/profiles/sync", "Authorization", "Bearer " + SERVICE_KEY);
      assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(202);
      long jobId = WebServer.JSON.readTree(trigger.body()).get("job_id").asLong();

      Await.until(
          "the triggered sync completes",
          Duration.ofSeconds(60),
          () ->
              "completed"
                  .equals(
                      text("SELECT status FROM sync_jobs WHERE triggered_by = ?", "job:" + jobId)));
      JsonNode stats =
          WebServer.JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:" + node.port() + "/api/profiles/sync/stats"))
                          .header("Authorization", "Bearer " + SERVICE_KEY)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(stats.get("profiles_needing_sync").asInt()).isZero();
      assertThat(stats.get("last_sync_date").isNull()).isFalse();
    }
  }
}
