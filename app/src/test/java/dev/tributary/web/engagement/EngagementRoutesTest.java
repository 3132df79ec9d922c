package dev.tributary.web.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import dev.tributary.connectors.twitter.TwitterProvider;
import dev.tributary.pipelines.engagement.EngagementPolicy;
import dev.tributary.pipelines.engagement.EngagementService;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TestWeb;
import dev.tributary.testing.TwitterFake;
import dev.tributary.web.Hs256Token;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engagement routes on the running server, with real tokens and signatures. */
class EngagementRoutesTest {
  static final String SERVICE = "srk-test";
  static final String JWT = "jwt-secret-test";
  static final String Q_CURRENT = "sig_current_test";
  static final String Q_NEXT = "sig_next_test";
  static final String UPDATE_SECRET = "engagement-update-secret";
  static final String PUBLIC = "https://tributary.example";
  static final ObjectMapper JSON = new ObjectMapper();

  private final Rows rows = Rows.fresh();
  private final TwitterFake fake = new TwitterFake();
  private final HttpClient http = HttpClient.newHttpClient();
  private final WebServer web;
  private final UUID member = UUID.randomUUID();
  private final UUID owner = UUID.randomUUID();
  private final UUID stranger = UUID.randomUUID();
  private final UUID zone;
  private final UUID tweet;

  EngagementRoutesTest() {
    EngagementService service =
        new EngagementService(
            rows.dataSource(),
            Optional.of(
                TwitterClients.create(
                    TwitterClientConfig.of(
                            TwitterProvider.TWITTERAPI, TwitterFake.KEY, fake.baseUrl())
                        .withRetrying(
                            new Retrying(1, Duration.ofMillis(1), Duration.ofSeconds(1), d -> {})),
                    RateLimiter.NONE)),
            EngagementPolicy.defaults(),
            Clock.systemUTC());
    service.publishSettings();
    web =
        TestWeb.start(
            rows.dataSource(),
            Map.of(
                "SERVICE_ROLE_KEY", SERVICE,
                "JWT_SECRET", JWT,
                "QSTASH_CURRENT_SIGNING_KEY", Q_CURRENT,
                "QSTASH_NEXT_SIGNING_KEY", Q_NEXT,
                "ENGAGEMENT_UPDATE_SECRET", UPDATE_SECRET,
                "TRIBUTARY_PUBLIC_URL", PUBLIC),
            new EngagementRoutes(service));
    zone =
        rows.value(
            "INSERT INTO twitter_zones (user_id, name) VALUES (?, 'ai') RETURNING id", owner);
    rows.execute("INSERT INTO twitter_zone_members (zone_id, user_id) VALUES (?, ?)", zone, member);
    fake.put(TweetMetrics.counts("777", 5, 5, 50, 0, 100));
    tweet =
        rows.value(
            "INSERT INTO twitter_tweets (tweet_id, zone_id, like_count, metrics_updated_at)"
                + " VALUES ('777', ?, 20, now() - interval '1 hour') RETURNING id",
            zone);
  }

  @AfterEach
  void close() {
    web.close();
    fake.close();
    rows.close();
  }

  static String userToken(UUID user, String key, long expInSeconds) {
    long now = Instant.now().getEpochSecond();
    return Hs256Token.sign("{\"sub\":\"" + user + "\",\"exp\":" + (now + expInSeconds) + "}", key);
  }

  static String qstash(String key, String path, String body, long expInSeconds) throws Exception {
    long now = Instant.now().getEpochSecond();
    String hash =
        Base64.getUrlEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    return Hs256Token.sign(
        "{\"iss\":\"Upstash\",\"sub\":\""
            + PUBLIC
            + path
            + "\",\"exp\":"
            + (now + expInSeconds)
            + ",\"nbf\":"
            + (now - 10)
            + ",\"iat\":"
            + (now - 10)
            + ",\"jti\":\"jwt_1\",\"body\":\""
            + hash
            + "\"}",
        key);
  }

  private HttpResponse<String> call(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> asUser(String method, String path, String token) throws Exception {
    return call(method, path, null, Map.of("Authorization", "Bearer " + token));
  }

  private String refreshPath() {
    return "/api/twitter/tweets/" + tweet + "/refresh";
  }

  @Test
  void a_zone_member_refreshes_a_tweet_and_gets_metrics_deltas_and_tier() throws Exception {
    HttpResponse<String> r = asUser("POST", refreshPath(), userToken(member, JWT, 300));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode data = JSON.readTree(r.body()).path("data");
    assertThat(JSON.readTree(r.body()).path("success").asBoolean()).isTrue();
    assertThat(data.path("metrics").path("likes").asInt()).isEqualTo(50);
    assertThat(data.path("deltas").path("likes").asInt()).isEqualTo(30);
    assertThat(data.path("velocity").asDouble()).isGreaterThan(0);
    assertThat(data.path("tier").asText()).isNotEmpty();
    assertThat(data.path("cached").asBoolean()).isFalse();
    assertThat(data.has("next_update_at")).isTrue();

    HttpResponse<String> again = asUser("GET", refreshPath(), userToken(owner, JWT, 300));
    assertThat(JSON.readTree(again.body()).path("data").path("cached").asBoolean()).isTrue();
    assertThat(fake.calls()).isEqualTo(1);
    HttpResponse<String> forced =
        asUser("GET", refreshPath() + "?force=true", userToken(owner, JWT, 300));
    assertThat(JSON.readTree(forced.body()).path("data").path("cached").asBoolean()).isFalse();
    assertThat(fake.calls()).isEqualTo(2);
  }

  @Test
  void tokens_are_checked_expired_wrong_key_and_outsiders_refused() throws Exception {
    assertThat(call("POST", refreshPath(), null, Map.of()).statusCode()).isEqualTo(401);
    assertThat(asUser("POST", refreshPath(), userToken(member, JWT, -60)).statusCode())
        .isEqualTo(401);
    assertThat(asUser("POST", refreshPath(), userToken(member, "other-key", 300)).statusCode())
        .isEqualTo(401);
    HttpResponse<String> outsider = asUser("POST", refreshPath(), userToken(stranger, JWT, 300));
    assertThat(outsider.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(outsider.body()).has("error")).isTrue();
    assertThat(asUser("POST", refreshPath(), SERVICE).statusCode()).isEqualTo(200);
    assertThat(fake.calls()).isEqualTo(1);
  }

  @Test
  void a_malformed_id_is_400_and_an_unknown_tweet_404() throws Exception {
    String t = userToken(member, JWT, 300);
    assertThat(asUser("POST", "/api/twitter/tweets/not-a-uuid/refresh", t).statusCode())
        .isEqualTo(400);
    assertThat(
            asUser("POST", "/api/twitter/tweets/" + UUID.randomUUID() + "/refresh", t).statusCode())
        .isEqualTo(404);
    assertThat(fake.calls()).isZero();
  }

  @Test
  void the_batch_update_takes_qstash_current_and_next_keys_and_the_update_secret()
      throws Exception {
    String path = EngagementRoutes.UPDATE;
    String body = "{\"limit\":50}";
    rows.execute(
        "UPDATE twitter_engagement_tracking SET next_update_at = now() - interval '1 minute'");
    HttpResponse<String> r =
        call("POST", path, body, Map.of("Upstash-Signature", qstash(Q_CURRENT, path, body, 300)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    assertThat(j.path("processed").asInt()).isEqualTo(1);
    assertThat(j.path("successful").asInt()).isEqualTo(1);
    assertThat(j.path("provider_calls").asInt()).isEqualTo(1);
    assertThat(j.has("duration_ms")).isTrue();

    assertThat(
            call("POST", path, body, Map.of("Upstash-Signature", qstash(Q_NEXT, path, body, 300)))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            call("POST", path, null, Map.of("Authorization", "Bearer " + UPDATE_SECRET))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> due =
        call("GET", path, null, Map.of("Authorization", "Bearer " + UPDATE_SECRET));
    assertThat(due.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(due.body()).path("tracked").asInt()).isEqualTo(1);
    assertThat(JSON.readTree(due.body()).path("due").asInt()).isZero();
  }

  @Test
  void bad_qstash_signatures_are_refused() throws Exception {
    String path = EngagementRoutes.UPDATE;
    String body = "{\"limit\":50}";
    assertThat(
            call("POST", path, body, Map.of("Upstash-Signature", qstash("wrong", path, body, 300)))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    path,
                    body,
                    Map.of("Upstash-Signature", qstash(Q_CURRENT, path, body, -60)))
                .statusCode())
        .as("expired")
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    path,
                    body,
                    Map.of("Upstash-Signature", qstash(Q_CURRENT, "/elsewhere", body, 300)))
                .statusCode())
        .as("wrong sub")
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    path,
                    "{\"limit\":9999}",
                    Map.of("Upstash-Signature", qstash(Q_CURRENT, path, body, 300)))
                .statusCode())
        .as("tampered body")
        .isEqualTo(401);
    assertThat(
            call("POST", path, body, Map.of("Authorization", "Bearer " + TwitterFake.KEY))
                .statusCode())
        .as("the vendor key is no credential here")
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    path,
                    body,
                    Map.of("Authorization", "Bearer " + userToken(member, JWT, 300)))
                .statusCode())
        .as("a user may not run the batch")
        .isEqualTo(403);
    assertThat(fake.calls()).isZero();
  }

  @Test
  void bad_limits_and_bodies_are_400_and_change_nothing() throws Exception {
    Map<String, String> auth = Map.of("Authorization", "Bearer " + UPDATE_SECRET);
    for (String bad :
        new String[] {
          "{\"limit\":0}",
          "{\"limit\":10001}",
          "{\"limit\":\"10\"}",
          "not json",
          "{\"limit\":5,\"x\":1}"
        }) {
      HttpResponse<String> r = call("POST", EngagementRoutes.UPDATE, bad, auth);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isNotEmpty();
    }
    assertThat(rows.count("SELECT count(*) FROM twitter_engagement_history")).isZero();
  }

  @Test
  void adding_tweets_fetches_then_inserts_and_history_and_stats_answer() throws Exception {
    fake.put(TweetMetrics.counts("888", 1, 1, 30, 0, 0));
    fake.put(TweetMetrics.counts("889", 0, 0, 1, 0, 0));
    String body = "{\"tweet_ids\":[\"888\",\"889\",\"890\"],\"zone_id\":\"" + zone + "\"}";
    HttpResponse<String> r =
        call(
            "POST",
            EngagementRoutes.TWEETS,
            body,
            Map.of("Authorization", "Bearer " + userToken(member, JWT, 300)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode d = JSON.readTree(r.body()).path("data");
    assertThat(d.path("inserted").size()).isEqualTo(2);
    assertThat(d.path("notFound").get(0).asText()).isEqualTo("890");
    assertThat(
            rows.count("SELECT count(*) FROM twitter_engagement_tracking WHERE tracking_enabled"))
        .isEqualTo(2);
    assertThat(
            call(
                    "POST",
                    EngagementRoutes.TWEETS,
                    body,
                    Map.of("Authorization", "Bearer " + userToken(stranger, JWT, 300)))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(
                    "POST",
                    EngagementRoutes.TWEETS,
                    "{\"tweet_ids\":[\"12x\"],\"zone_id\":\"" + zone + "\"}",
                    Map.of("Authorization", "Bearer " + SERVICE))
                .statusCode())
        .isEqualTo(400);

    asUser("POST", refreshPath(), SERVICE);
    HttpResponse<String> h =
        asUser("GET", "/api/twitter/tweets/" + tweet + "/history", userToken(member, JWT, 300));
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(h.body()).path("data").size()).isEqualTo(1);
    HttpResponse<String> s = asUser("GET", EngagementRoutes.STATS, SERVICE);
    assertThat(s.statusCode()).isEqualTo(200);
    JsonNode stats = JSON.readTree(s.body());
    assertThat(stats.path("providerCallsToday").asInt()).isEqualTo(1);
    assertThat(stats.path("projectedCallsPerDay").asLong()).isPositive();
  }
}
