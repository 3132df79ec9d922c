package dev.tributary.web.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.Jobs;
import dev.tributary.pipelines.publishing.PublishingModule;
import dev.tributary.pipelines.publishing.PublishingWorld;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublishingRoutesTest {
  static final String SERVICE = "service-key-for-publishing-tests";
  static final String SCHEDULER = "scheduler-secret-for-publishing-tests";

  final PublishingWorld w = new PublishingWorld();
  final PublishingModule module =
      PublishingModule.create(w.settings, w.rows.dataSource(), w.clock, "web-node");
  final Jobs jobs = new Jobs(w.rows.dataSource(), w.clock, null);
  final WebServer web =
      TestWeb.start(
          w.rows.dataSource(),
          Map.of("SERVICE_ROLE_KEY", SERVICE, "SCHEDULER_SECRET", SCHEDULER),
          new PublishingRoutes(module, jobs));
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    web.close();
    w.close();
  }

  @Test
  void the_seed_cycle_needs_the_scheduler_secret_and_answers_the_counts() throws Exception {
    UUID profile = w.profile("Ada Cycle");
    UUID account = w.account(profile, "acc-cycle", "ACoCYCLE");
    UUID post = w.scheduledPost(profile, account, "Cycle route post", w.clock.instant());

    assertThat(call("POST", PublishingRoutes.CYCLE_PATH, Map.of(), null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> r =
        call("POST", PublishingRoutes.CYCLE_PATH, Map.of("X-Scheduler-Secret", SCHEDULER), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"processed\":1")
        .contains("\"published\":1")
        .contains("\"failed\":0");
    assertThat(w.status(post)).isEqualTo("published");
    assertThat(w.sandbox.createdWithText("Cycle route post")).isEqualTo(1);
  }

  @Test
  void scheduling_a_post_checks_its_input_and_gives_it_a_job_at_its_time() throws Exception {
    UUID profile = w.profile("Ada Route");
    UUID account = w.account(profile, "acc-route", "ACoROUTE");
    String at = w.clock.instant().plusSeconds(3600).toString();

    String[][] bad = {
      {"{\"content\":\"x\",\"scheduled_at\":\"" + at + "\"}", "400"},
      {
        "{\"unipile_account_id\":\""
            + account
            + "\",\"content\":\"\",\"scheduled_at\":\""
            + at
            + "\"}",
        "400"
      },
      {
        "{\"unipile_account_id\":\""
            + account
            + "\",\"content\":\""
            + "x".repeat(3001)
            + "\",\"scheduled_at\":\""
            + at
            + "\"}",
        "400"
      },
      {
        "{\"unipile_account_id\":\""
            + account
            + "\",\"content\":\"x\",\"scheduled_at\":\""
            + at
            + "\",\"extra\":1}",
        "400"
      },
      {
        "{\"unipile_account_id\":\""
            + account
            + "\",\"content\":\"x\",\"scheduled_at\":\""
            + at
            + "\",\"media\":[{\"url\":\"ftp://x/y.png\"}]}",
        "400"
      },
      {
        "{\"unipile_account_id\":\""
            + account
            + "\",\"content\":\"x\",\"scheduled_at\":\"2020-01-01T00:00:00Z\"}",
        "422"
      },
      {
        "{\"unipile_account_id\":\""
            + UUID.randomUUID()
            + "\",\"content\":\"x\",\"scheduled_at\":\""
            + at
            + "\"}",
        "422"
      },
    };
    for (String[] b : bad) {
      HttpResponse<String> r = call("POST", "/api/publishing/scheduled-posts", bearer(), b[0]);
      assertThat(r.statusCode()).as(b[0]).isEqualTo(Integer.parseInt(b[1]));
      assertThat(r.body()).contains("\"message\"");
    }
    assertThat(w.rows.count("SELECT count(*) FROM scheduled_posts")).isZero();

    HttpResponse<String> ok =
        call(
            "POST",
            "/api/publishing/scheduled-posts",
            bearer(),
            "{\"unipile_account_id\":\""
                + account
                + "\",\"content\":\"Route post\",\"scheduled_at\":\""
                + at
                + "\"}");
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM tributary.jobs WHERE kind = 'publishing.publish' AND state = 'available' AND run_at = ?::timestamptz",
                at))
        .isEqualTo(1);
    assertThat(call("POST", "/api/publishing/scheduled-posts", Map.of(), "{}").statusCode())
        .isEqualTo(401);
  }

  @Test
  void cancel_and_retry_answer_409_when_the_post_is_not_in_a_state_for_it() throws Exception {
    UUID profile = w.profile("Ada Ops");
    UUID account = w.account(profile, "acc-ops", "ACoOPS");
    UUID post = w.scheduledPost(profile, account, "Ops post", w.clock.instant().plusSeconds(60));

    assertThat(
            call("POST", "/api/publishing/posts/scheduled_post/" + post + "/retry", bearer(), null)
                .statusCode())
        .isEqualTo(409);
    assertThat(
            call("POST", "/api/publishing/posts/scheduled_post/" + post + "/cancel", bearer(), null)
                .statusCode())
        .isEqualTo(200);
    assertThat(w.status(post)).isEqualTo("cancelled");
    assertThat(w.rows.count("SELECT count(*) FROM tributary.jobs WHERE state = 'available'"))
        .isZero();
    assertThat(
            call("POST", "/api/publishing/posts/nonsense/" + post + "/cancel", bearer(), null)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void the_status_shows_due_published_and_failed_posts_with_their_errors() throws Exception {
    UUID profile = w.profile("Ada Status");
    UUID account = w.account(profile, "acc-status", "ACoSTATUS");
    w.scheduledPost(profile, account, "Status ok", w.clock.instant());
    w.scheduledPost(profile, account, "x".repeat(3001), w.clock.instant());
    w.scheduledPost(profile, account, "Later", w.clock.instant().plusSeconds(600));
    module.cycle().run(100, o -> {});

    HttpResponse<String> r = call("GET", "/api/publishing/status", bearer(), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"publishedToday\":1")
        .contains("\"failed\":1")
        .contains("\"waiting\":1")
        .contains("3001 characters")
        .contains("acc-status");
    assertThat(call("GET", "/api/publishing/status", Map.of(), null).statusCode()).isEqualTo(401);
  }

  private Map<String, String> bearer() {
    return Map.of("Authorization", "Bearer " + SERVICE);
  }

  private HttpResponse<String> call(
      String method, String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
