package dev.tributary.connectors.linkedin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.Retrying;
import dev.tributary.sandbox.RapidApiWire;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RapidApiLinkedInClientTest {
  private static final String KEY = "rk-test-0123456789-secret";

  /** The captured response of spec/external-apis.md §1: one original post and one reshare. */
  static final String CAPTURED_PAGE =
      """
      {"data":[
        {"attributes":[],"images":[],"num_comments":0,"num_likes":1,"num_reactions":1,"num_reposts":0,
         "post_url":"https://www.linkedin.com/feed/update/urn:li:activity:7451139979067449344/",
         "posted":"2026-04-18 05:30:06",
         "poster":{"first":"Ada","headline":"Operations lead | B2B software","last":"Example",
                   "linkedin_url":"https://www.linkedin.com/in/ada-example","public_id":"ada-example",
                   "urn":"ACoAAExample0000000000000000000000001"},
         "poster_linkedin_url":"https://www.linkedin.com/in/ada-example","reshared":false,
         "text":"Most teams measure the wrong thing. Here is what we changed. ...","time":"4 hours ago",
         "urn":"7451139979067449344"},
        {"attributes":[{"company_id":"89709678","name":"Acme","public_id":"acme","type":"company"}],
         "images":[{"url":"https://media.licdn.com/dms/image/v2/x"}],
         "num_appreciations":2,"num_comments":43,"num_empathy":3,"num_interests":2,"num_likes":53,
         "num_reactions":60,"num_reposts":3,
         "post_url":"https://www.linkedin.com/feed/update/urn:li:activity:7445373195962064897/",
         "posted":"2026-04-02 07:34:58",
         "poster":{"first":"Sam","headline":"Founder @Acme | ...","last":"Sample",
                   "linkedin_url":"https://www.linkedin.com/in/sam-sample","public_id":"sam-sample",
                   "urn":"ACoAAExample0000000000000000000000002"},
         "poster_linkedin_url":"https://www.linkedin.com/in/sam-sample",
         "repost_stats":{"num_comments":43,"num_likes":53,"num_reactions":60,"num_reposts":3},
         "repost_urn":"7445473093063671809","reposted":"2026-04-02 14:11:55","reshared":true,
         "resharer_comment":"So happy to see ...","text":"I turned 3,000 LinkedIn engagements into pipeline. ...",
         "time":"2 weeks ago","urn":"7445373195962064897"}],
       "message":"ok","paging":{"count":50,"pagination_token":"dXJuOmxp...Njc=","start":0}}
      """;

  private final FakeHttpServer fake = new FakeHttpServer();
  private final List<RapidApiLinkedInClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(RapidApiLinkedInClient::close);
    fake.close();
  }

  private RapidApiLinkedInClient client(Duration requestTimeout) {
    RapidApiLinkedInClient c =
        new RapidApiLinkedInClient(
            LinkedInClientConfig.builder()
                .apiKey(KEY)
                .baseUrl(fake.baseUrl())
                .requestTimeout(requestTimeout)
                .build());
    clients.add(c);
    return c;
  }

  private RapidApiLinkedInClient client() {
    return client(Duration.ofSeconds(5));
  }

  @Test
  void asks_page_one_with_the_key_and_host_headers_and_reads_the_captured_posts() {
    fake.enqueue(Reply.json(200, CAPTURED_PAGE));

    List<LinkedInPost> posts = client().fetchPosts("ada-example");

    var req = fake.requests().get(0);
    assertThat(req.method()).isEqualTo("GET");
    assertThat(req.path()).isEqualTo("/get-profile-posts");
    assertThat(req.query())
        .containsEntry("linkedin_url", "https://www.linkedin.com/in/ada-example/")
        .containsEntry("type", "posts")
        .doesNotContainKeys("start", "pagination_token");
    assertThat(req.header("x-rapidapi-key")).isEqualTo(KEY);
    assertThat(req.header("x-rapidapi-host"))
        .isEqualTo("fresh-linkedin-profile-data.p.rapidapi.com");
    assertThat(posts).hasSize(2);
    LinkedInPost original = posts.get(0);
    assertThat(original.urn()).isEqualTo("7451139979067449344");
    assertThat(original.postUrl())
        .isEqualTo("https://www.linkedin.com/feed/update/urn:li:activity:7451139979067449344/");
    assertThat(original.text()).startsWith("Most teams measure the wrong thing.");
    assertThat(original.reshared()).isFalse();
    assertThat(original.likes()).isEqualTo(1);
    assertThat(original.comments()).isZero();
    assertThat(original.reactions()).isEqualTo(1);
    assertThat(original.postedAt()).isEqualTo(Instant.parse("2026-04-18T05:30:06Z"));
    assertThat(original.authorPublicId()).isEqualTo("ada-example");
    assertThat(original.authorName()).isEqualTo("Ada Example");
    LinkedInPost reshare = posts.get(1);
    assertThat(reshare.reshared()).isTrue();
    assertThat(reshare.likes()).isEqualTo(53);
    assertThat(reshare.comments()).isEqualTo(43);
    assertThat(reshare.reposts()).isEqualTo(3);
    assertThat(reshare.engagement()).isEqualTo(96);
  }

  @Test
  void
      posts_with_missing_fields_are_read_with_defaults_and_posts_without_identity_are_counted_unreadable() {
    String body =
        """
        {"data":[
          {"urn":"7000000000000000001"},
          {"post_url":"https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000002/","text":null,
           "num_likes":"12","num_comments":-4,"posted":"yesterday"},
          {"text":"no url and no urn: nothing to dedupe on"},
          "not an object"],
         "message":"ok","paging":{"count":50,"start":0}}
        """;
    PostsPage page = RapidApiLinkedInClient.parsePage(body, 0);

    assertThat(page.received()).isEqualTo(4);
    assertThat(page.unreadable()).isEqualTo(2);
    assertThat(page.paginationToken()).isEmpty();
    assertThat(page.hasNext()).isFalse();
    LinkedInPost onlyUrn = page.posts().get(0);
    assertThat(onlyUrn.postUrl())
        .isEqualTo("https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001/");
    assertThat(onlyUrn.text()).isEmpty();
    assertThat(onlyUrn.reshared()).isFalse();
    assertThat(onlyUrn.likes()).isZero();
    assertThat(onlyUrn.postedAt()).isNull();
    LinkedInPost odd = page.posts().get(1);
    assertThat(odd.text()).isEmpty();
    assertThat(odd.likes()).isEqualTo(12);
    assertThat(odd.comments()).isZero();
    assertThat(odd.postedAt()).isNull();
  }

  @Test
  void a_rejected_key_is_a_final_error_that_never_shows_the_key() {
    fake.enqueue(Reply.json(401, RapidApiWire.INVALID_KEY));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.retryable()).isFalse();
    assertThat(e.vendor()).isEqualTo(RapidApiLinkedInClient.VENDOR);
    assertThat(e.getMessage()).contains("401").contains("Invalid API key").doesNotContain(KEY);
    assertThat(e.body()).doesNotContain(KEY);
  }

  @Test
  void not_subscribed_is_a_final_error() {
    fake.enqueue(Reply.json(403, RapidApiWire.NOT_SUBSCRIBED));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));

    assertThat(e.status()).isEqualTo(403);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("not subscribed");
  }

  @Test
  void an_unknown_profile_is_a_final_not_found_and_a_profile_without_posts_is_an_empty_list() {
    fake.enqueue(
        Reply.json(404, "{\"message\":\"Profile not found\"}"),
        Reply.json(200, "{\"data\":[],\"message\":\"ok\",\"paging\":{\"count\":50,\"start\":0}}"));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("nobody-here"));
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.retryable()).isFalse();

    assertThat(client().fetchPosts("quiet-person")).isEmpty();
  }

  @Test
  void rate_limit_429_is_retryable_and_carries_the_retry_after_wait() {
    fake.enqueue(
        Reply.json(429, RapidApiWire.RATE_LIMITED).withHeader("Retry-After", "7"),
        Reply.json(429, RapidApiWire.MONTHLY_QUOTA));

    ConnectorException withWait =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));
    assertThat(withWait.status()).isEqualTo(429);
    assertThat(withWait.retryable()).isTrue();
    assertThat(withWait.retryAfter()).contains(Duration.ofSeconds(7));

    ConnectorException withoutWait =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));
    assertThat(withoutWait.retryable()).isTrue();
    assertThat(withoutWait.retryAfter()).isEmpty();
    assertThat(withoutWait.getMessage()).contains("MONTHLY quota");
  }

  @Test
  void retrying_waits_what_retry_after_says_then_succeeds() {
    fake.enqueue(
        Reply.json(429, RapidApiWire.RATE_LIMITED).withHeader("Retry-After", "2"),
        Reply.json(503, "<html>upstream unavailable</html>"),
        Reply.json(200, CAPTURED_PAGE));
    List<Duration> waits = new ArrayList<>();
    Retrying retrying = new Retrying(3, Duration.ofMillis(500), Duration.ofSeconds(30), waits::add);

    List<LinkedInPost> posts = retrying.call(() -> client().fetchPosts("ada-example"));

    assertThat(posts).hasSize(2);
    assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertThat(fake.requests()).hasSize(3);
  }

  @Test
  void retrying_gives_up_at_once_when_the_wait_asked_is_longer_than_allowed() {
    fake.enqueue(Reply.json(429, RapidApiWire.MONTHLY_QUOTA).withHeader("Retry-After", "86400"));
    List<Duration> waits = new ArrayList<>();
    Retrying retrying = new Retrying(3, Duration.ofMillis(500), Duration.ofSeconds(30), waits::add);

    assertThatThrownBy(() -> retrying.call(() -> client().fetchPosts("ada-example")))
        .isInstanceOf(ConnectorException.class);
    assertThat(waits).isEmpty();
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void server_errors_are_retryable() {
    fake.enqueue(Reply.json(502, "<html><body>Bad gateway</body></html>"));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));

    assertThat(e.status()).isEqualTo(502);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void no_answer_within_the_request_timeout_is_a_retryable_error_without_status() {
    fake.enqueue(Reply.hang());

    ConnectorException e =
        catchThrowableOfType(
            ConnectorException.class,
            () -> client(Duration.ofMillis(300)).fetchPosts("ada-example"));

    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("no answer within");
  }

  @Test
  void a_body_that_is_not_json_is_a_clear_final_error() {
    fake.enqueue(Reply.json(200, "<html>Service temporarily moved</html>"));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("not valid JSON");
    assertThat(e.body()).contains("Service temporarily moved");
  }

  @Test
  void a_200_whose_message_is_not_ok_is_a_final_error_with_the_providers_words() {
    fake.enqueue(Reply.json(200, "{\"message\":\"Couldn't find the profile\",\"data\":null}"));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().fetchPosts("ada-example"));

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("Couldn't find the profile");
  }

  @Test
  void more_pages_follow_the_pagination_token_and_stop_at_a_short_page() {
    StringBuilder full = new StringBuilder("{\"data\":[");
    for (int i = 0; i < 50; i++) {
      full.append(i == 0 ? "" : ",")
          .append("{\"urn\":\"71000000000000000")
          .append(String.format("%02d", i))
          .append("\",\"text\":\"p\"}");
    }
    full.append(
        "],\"message\":\"ok\",\"paging\":{\"count\":50,\"pagination_token\":\"TOKEN-2\",\"start\":0}}");
    fake.enqueue(
        Reply.json(200, full.toString()),
        Reply.json(
            200,
            "{\"data\":[{\"urn\":\"7200000000000000000\"}],\"message\":\"ok\",\"paging\":{\"count\":50,\"pagination_token\":\"TOKEN-3\",\"start\":50}}"));

    List<LinkedInPost> posts = client().fetchPosts("ada-example", 5);

    assertThat(posts).hasSize(51);
    assertThat(fake.requests()).hasSize(2);
    assertThat(fake.requests().get(1).query())
        .containsEntry("start", "50")
        .containsEntry("pagination_token", "TOKEN-2");
  }

  @Test
  void a_malformed_linkedin_id_is_refused_before_any_request() {
    ConnectorException e =
        catchThrowableOfType(
            ConnectorException.class,
            () -> client().fetchPosts("https://evil.example.com/in/x?y=1"));

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("malformed linkedin_id");
    assertThat(fake.requests()).isEmpty();
    assertThat(LinkedInProfileUrl.of("https://www.linkedin.com/in/alexhormozi/?trk=x"))
        .isEqualTo("https://www.linkedin.com/in/alexhormozi/");
    assertThat(LinkedInProfileUrl.publicId("a b")).isEmpty();
    assertThat(LinkedInProfileUrl.publicId("")).isEmpty();
  }

  @Test
  void the_config_builder_rejects_bad_values_and_never_prints_the_key() {
    assertThatThrownBy(() -> LinkedInClientConfig.builder().build())
        .hasMessageContaining("RAPIDAPI_KEY");
    assertThatThrownBy(() -> LinkedInClientConfig.builder().apiKey("k").baseUrl("ftp://x").build())
        .hasMessageContaining("LINKEDIN_API_BASE_URL");
    assertThatThrownBy(() -> LinkedInClientConfig.builder().apiKey("k").maxPages(0).build())
        .hasMessageContaining("maxPages");
    assertThatThrownBy(
            () -> LinkedInClientConfig.builder().apiKey("k").requestTimeout(Duration.ZERO).build())
        .hasMessageContaining("request timeout");
    LinkedInClientConfig c =
        LinkedInClientConfig.builder().apiKey(KEY).baseUrl("http://localhost:9/").build();
    assertThat(c.baseUrl().toString()).isEqualTo("http://localhost:9");
    assertThat(c.toString()).doesNotContain(KEY);
    assertThatThrownBy(
            () ->
                LinkedInClientConfig.from(
                    dev.tributary.config.TributaryConfig.from(
                            java.util.Map.of("RAPIDAPI_KEY", "k", "LINKEDIN_MAX_PAGES", "99"))
                        .linkedin()))
        .isInstanceOf(dev.tributary.config.StartupException.class)
        .hasMessageContaining("LINKEDIN_MAX_PAGES");
    assertThatThrownBy(
            () ->
                LinkedInClientConfig.from(
                    dev.tributary.config.TributaryConfig.from(
                            java.util.Map.of("RAPIDAPI_KEY", "k", "LINKEDIN_API_BASE_URL", "nope"))
                        .linkedin()))
        .isInstanceOf(dev.tributary.config.StartupException.class)
        .hasMessageContaining("LINKEDIN_API_BASE_URL");
  }
}
