package dev.tributary.web.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.ClassificationWorker;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.pipelines.enrichment.HookExtractionWorker;
import dev.tributary.pipelines.profiles.ProfileScraper;
import dev.tributary.pipelines.profiles.ProfileSync;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileSyncRoutesTest {
  private static final AiProviders AI = AiProviders.local(new LocalOnnxEmbedder());
  private static final String SERVICE_KEY = "service-role-key-for-tests";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(7, 2, 6, 2);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, null);
  private final RapidApiLinkedInClient client =
      new RapidApiLinkedInClient(
          LinkedInClientConfig.builder().apiKey("any").baseUrl(sandbox.baseUrl()).build());
  private final ProfileSync sync =
      new ProfileSync(
          db,
          new ProfileScraper(db, client, Retrying.none()),
          new HookExtractionWorker(db),
          new EmbeddingWorker(db, AI.embedder()),
          ClassificationWorker.hooks(db, AI.hookClassifier()),
          ProfileSync.Options.DEFAULTS);
  private final WebServer server =
      TestWeb.start(db, Map.of("SERVICE_ROLE_KEY", SERVICE_KEY), new ProfileSyncRoutes(sync));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    http.close();
    client.close();
    sandbox.close();
    db.close();
  }

  private HttpResponse<String> post(String authorization, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + ProfileSyncRoutes.PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return WebServer.JSON.readTree(r.body());
  }

  @Test
  void a_sync_with_the_service_key_answers_the_seed_json() throws Exception {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      rows.profile(p.fullName(), p.publicId());
    }

    HttpResponse<String> r =
        post(
            "Bearer " + SERVICE_KEY,
            "{\"max_profiles\": 20, \"generate_embeddings\": true, \"classify_hooks\": true}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    List<String> fields = new java.util.ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      fields.add(it.next());
    }
    assertThat(fields)
        .containsExactly(
            "success",
            "job_id",
            "duration_seconds",
            "profiles_processed",
            "successful_profiles",
            "posts_scraped",
            "posts_new",
            "embeddings_updated",
            "hooks_classified",
            "results");
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("profiles_processed").asInt()).isEqualTo(3);
    assertThat(body.get("successful_profiles").asInt()).isEqualTo(3);
    assertThat(body.get("posts_new").asInt()).isPositive();
    assertThat(body.get("results")).hasSize(3);
    assertThat(rows.row("SELECT triggered_by FROM sync_jobs"))
        .containsEntry("triggered_by", "http:" + ProfileSyncRoutes.PATH);
  }

  @Test
  void an_empty_body_means_the_defaults() throws Exception {
    HttpResponse<String> r = post("Bearer " + SERVICE_KEY, "");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("profiles_processed").asInt()).isZero();
    assertThat(rows.row("SELECT parameters::text AS p FROM sync_jobs").get("p").toString())
        .contains("\"max_profiles\": 50")
        .contains("\"generate_embeddings\": true");
  }

  @Test
  void a_missing_or_wrong_key_is_401_and_runs_nothing() throws Exception {
    for (String auth :
        new String[] {
          null,
          "",
          "Bearer wrong",
          "Basic " + SERVICE_KEY,
          SERVICE_KEY,
          "Bearer " + SERVICE_KEY + "x"
        }) {
      HttpResponse<String> r = post(auth, "{}");
      assertThat(r.statusCode()).as("Authorization: %s", auth).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
      assertThat(json(r).get("message").asText()).isNotBlank().doesNotContain(SERVICE_KEY);
    }
    assertThat(rows.count("SELECT count(*) FROM sync_jobs")).isZero();
  }

  @Test
  void bad_bodies_are_400_with_a_message_naming_the_problem() throws Exception {
    String[][] cases = {
      {"{not json", "not valid JSON"},
      {"[1, 2]", "JSON object"},
      {"{\"max_profiles\": 0}", "max_profiles"},
      {"{\"max_profiles\": 100000}", "max_profiles"},
      {"{\"max_profiles\": 2.5}", "max_profiles"},
      {"{\"max_profiles\": \"20\"}", "max_profiles"},
      {"{\"generate_embeddings\": \"yes\"}", "generate_embeddings"},
      {"{\"classify_hooks\": 1}", "classify_hooks"},
      {"{\"max_profile\": 20}", "unknown field 'max_profile'"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = post("Bearer " + SERVICE_KEY, c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(json(r).get("error").asText()).isEqualTo("bad_request");
      assertThat(json(r).get("message").asText()).as(c[0]).contains(c[1]);
    }
    assertThat(rows.count("SELECT count(*) FROM sync_jobs")).isZero();
  }
}
