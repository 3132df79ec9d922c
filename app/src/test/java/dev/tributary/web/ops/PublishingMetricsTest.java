package dev.tributary.web.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.Engine;
import dev.tributary.engine.testing.Await;
import dev.tributary.pipelines.publishing.PublishingModule;
import dev.tributary.pipelines.publishing.PublishingWorld;
import dev.tributary.sandbox.UnipileSandbox.Fault;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publishing counters and lateness in {@code /metrics}, on the running server. */
class PublishingMetricsTest {
  final PublishingWorld w = new PublishingWorld();
  WebServer web;

  @AfterEach
  void close() {
    if (web != null) {
      web.close();
    }
    w.close();
  }

  @Test
  void metrics_count_published_reconciled_and_failed_posts_and_their_lateness() throws Exception {
    PublishingModule module = w.node("node-a");
    Engine engine = w.engines.get(0);
    web =
        TestWeb.start(
            w.rows.dataSource(),
            Map.of("SERVICE_ROLE_KEY", "service-key-for-metrics-tests"),
            new OrchestratorRoutes(
                w.rows.dataSource(), w.clock, engine.metrics(), module.metrics(), false));
    UUID profile = w.profile("Radia Perlman");
    UUID account = w.account(profile, "acc-rp", "ACoRP");

    UUID onTime =
        w.scheduledPost(profile, account, "Three seconds late", w.clock.instant().plusSeconds(30));
    w.clock.advance(Duration.ofSeconds(33));
    Await.until("the post is published", () -> w.status(onTime).equals("published"));

    w.sandbox.failOnce("Answer lost", Fault.CREATED_ANSWER_DROPPED);
    UUID lost = w.scheduledPost(profile, account, "Answer lost", w.clock.instant());
    Await.until(
        "the outcome is unknown",
        () ->
            w.rows.count(
                    "SELECT count(*) FROM publishing_attempts WHERE source_id = ? AND state = 'unknown'",
                    lost)
                == 1);
    w.clock.advance(w.checkAfter().plusSeconds(1));
    Await.until("the post is reconciled", () -> w.status(lost).equals("published"));

    UUID other = w.profile("Disconnected Dan");
    UUID gone = w.account(other, "acc-dan", "ACoDAN");
    w.sandbox.disconnect("acc-dan");
    UUID failed = w.scheduledPost(other, gone, "Never out", w.clock.instant());
    Await.until("the post failed", () -> w.status(failed).equals("failed"));

    String metrics = metrics();
    assertThat(metrics)
        .contains("# TYPE tributary_publishing_published_total counter")
        .contains("tributary_publishing_published_total{source=\"scheduled_post\"} 1\n")
        .contains("tributary_publishing_reconciled_total{source=\"scheduled_post\"} 1\n")
        .contains("tributary_publishing_failed_total{source=\"scheduled_post\"} 1\n")
        .contains("# TYPE tributary_publishing_lateness_seconds histogram")
        .contains("tributary_publishing_lateness_seconds_bucket{le=\"1\"} 1\n")
        .contains("tributary_publishing_lateness_seconds_bucket{le=\"5\"} 2\n")
        .contains("tributary_publishing_lateness_seconds_count 2\n")
        .contains("tributary_publishing_lateness_seconds_sum 3\n");
  }

  private String metrics() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
