package dev.tributary.connectors.unipile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tributary.connectors.unipile.UnipileException.Outcome;
import dev.tributary.sandbox.UnipileSandbox;
import dev.tributary.sandbox.UnipileSandbox.Fault;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnipileClientTest {
  static final String KEY = "unipile-test-key-1234567890";

  UnipileSandbox sandbox;
  UnipileClient client;

  @BeforeEach
  void start() {
    sandbox = UnipileSandbox.start(KEY).account("acc-1", "ACoAAA111");
    client =
        new UnipileClient(
            UnipileClientConfig.of(sandbox.baseUrl(), KEY)
                .withRequestTimeout(Duration.ofMillis(800)));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void a_post_is_created_as_multipart_with_its_attachments_and_read_back() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
    String id =
        client.createPost(
            new PostDraft(
                "acc-1",
                "Hello, LinkedIn — éàü",
                List.of(new Attachment("a.png", "image/png", png)),
                null));

    assertThat(sandbox.posts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo(id);
              assertThat(p.text()).isEqualTo("Hello, LinkedIn — éàü");
              assertThat(p.attachments()).isEqualTo(1);
              assertThat(p.author()).isEqualTo("ACoAAA111");
            });
    UnipilePost read = client.getPost("acc-1", id);
    assertThat(read.text()).isEqualTo("Hello, LinkedIn — éàü");
    assertThat(read.shareUrl()).contains(id);
    assertThat(read.publishedAt()).isNotNull();
  }

  @Test
  void the_recent_posts_of_an_account_are_listed_newest_first() {
    client.createPost(PostDraft.of("acc-1", "first"));
    client.createPost(PostDraft.of("acc-1", "second"));

    List<UnipilePost> posts = client.listPosts("acc-1", client.ownProviderId("acc-1"), false, 10);

    assertThat(posts).extracting(UnipilePost::text).containsExactly("second", "first");
  }

  @Test
  void a_created_post_whose_answer_is_dropped_has_an_unknown_outcome() {
    sandbox.failNext(Fault.CREATED_ANSWER_DROPPED);
    UnipileException e = createFails("dropped");
    assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.status()).isZero();
    assertThat(sandbox.createdWithText("dropped")).isEqualTo(1);
  }

  @Test
  void a_500_or_504_after_creation_has_an_unknown_outcome() {
    sandbox.failNext(Fault.CREATED_THEN_500, Fault.CREATED_THEN_504);
    UnipileException e500 = createFails("five hundred");
    UnipileException e504 = createFails("five oh four");
    assertThat(e500.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e500.problemType()).isEqualTo("unexpected_error");
    assertThat(e504.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e504.status()).isEqualTo(504);
  }

  @Test
  void an_answer_slower_than_the_timeout_has_an_unknown_outcome() {
    sandbox.slowFor(Duration.ofSeconds(5)).failNext(Fault.CREATED_TOO_SLOW);
    UnipileException e = createFails("slow");
    assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(e.getMessage()).contains("no answer within");
  }

  @Test
  void a_429_or_503_no_client_session_is_a_refusal_before_creation() {
    sandbox.failNext(Fault.REFUSED_429, Fault.REFUSED_503);
    UnipileException e429 = createFails("busy");
    UnipileException e503 = createFails("busy");
    assertThat(e429.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(e429.problemType()).isEqualTo("too_many_requests");
    assertThat(e503.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(e503.problemType()).isEqualTo("no_client_session");
    assertThat(sandbox.createdWithText("busy")).isZero();
  }

  @Test
  void a_disconnected_account_is_final_and_says_so() {
    sandbox.disconnect("acc-1");
    UnipileException e = createFails("hello");
    assertThat(e.outcome()).isEqualTo(Outcome.FINAL);
    assertThat(e.disconnectedAccount()).isTrue();
    assertThat(e.getMessage()).contains("401 disconnected_account").contains("disconnected");
  }

  @Test
  void an_unknown_account_is_a_final_422() {
    UnipileException e =
        catchThrowableOfType(
            UnipileException.class, () -> client.createPost(PostDraft.of("nobody", "x")));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.outcome()).isEqualTo(Outcome.FINAL);
  }

  @Test
  void a_wrong_key_is_final_and_the_key_is_never_in_the_message() {
    UnipileClient wrong =
        new UnipileClient(UnipileClientConfig.of(sandbox.baseUrl(), "wrong-secret-key-999"));
    UnipileException e =
        catchThrowableOfType(
            UnipileException.class, () -> wrong.createPost(PostDraft.of("acc-1", "x")));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.problemType()).isEqualTo("invalid_credentials");
    assertThat(e.getMessage() + e.body()).doesNotContain("wrong-secret-key-999");
  }

  @Test
  void a_429_with_retry_after_carries_the_wait() {
    try (FakeHttpServer fake = new FakeHttpServer()) {
      fake.enqueue(
          Reply.json(
                  429,
                  "{\"status\":429,\"type\":\"errors/too_many_requests\",\"title\":\"Too many\"}")
              .withHeader("Retry-After", "7"));
      UnipileClient c = new UnipileClient(UnipileClientConfig.of(fake.baseUrl(), KEY));
      UnipileException e =
          catchThrowableOfType(UnipileException.class, () -> c.createPost(PostDraft.of("a", "x")));
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
      assertThat(fake.requests().get(0).header("X-API-KEY")).isEqualTo(KEY);
      assertThat(fake.requests().get(0).header("Content-Type")).startsWith("multipart/form-data");
    }
  }

  @Test
  void an_unreadable_created_answer_or_a_gateway_page_is_unknown_not_final() {
    try (FakeHttpServer fake = new FakeHttpServer()) {
      fake.enqueue(
          Reply.json(201, "{\"object\":\"PostCre"),
          new Reply(
              502,
              java.util.Map.of("Content-Type", "text/html"),
              "<html>Bad gateway</html>",
              false),
          Reply.json(201, "{\"object\":\"PostCreated\",\"post_id\":null}"));
      UnipileClient c = new UnipileClient(UnipileClientConfig.of(fake.baseUrl(), KEY));
      for (int i = 0; i < 3; i++) {
        UnipileException e =
            catchThrowableOfType(
                UnipileException.class, () -> c.createPost(PostDraft.of("a", "x")));
        assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
      }
    }
  }

  @Test
  void text_that_would_certainly_be_refused_is_never_sent() {
    assertThatThrownBy(() -> PostDraft.of("acc-1", " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostDraft.of("acc-1", "x".repeat(3001))).hasMessageContaining("3000");
  }

  private UnipileException createFails(String text) {
    UnipileException e =
        catchThrowableOfType(
            UnipileException.class, () -> client.createPost(PostDraft.of("acc-1", text)));
    assertThat(e).as("create '%s' should fail", text).isNotNull();
    return e;
  }
}
