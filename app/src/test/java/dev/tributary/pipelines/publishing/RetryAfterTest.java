package dev.tributary.pipelines.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.testing.Await;
import dev.tributary.sandbox.UnipileSandbox.Fault;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A refusal before creation that says when to come back (Retry-After on a 429 or a 503 {@code
 * no_client_session}): the post is sent again no earlier than that, by its job or the catch-up
 * cycle, on a settable clock.
 */
class RetryAfterTest {
  static final Duration ASKED = Duration.ofSeconds(120);

  final PublishingWorld w = new PublishingWorld();

  @AfterEach
  void close() {
    w.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"REFUSED_429", "REFUSED_503"})
  void a_refused_post_is_sent_again_no_earlier_than_retry_after_asks(Fault fault) {
    w.sandbox.retryAfter(ASKED);
    PublishingModule node = w.node("node-a");
    UUID profile = w.profile("Frances Allen");
    UUID account = w.account(profile, "acc-fa", "ACoFA");
    String text = "Come back later: " + fault;
    w.sandbox.failOnce(text, fault);
    Instant refusedAt = w.clock.instant();
    UUID post = w.scheduledPost(profile, account, text, refusedAt);

    Await.until("the refusal is recorded", () -> "refused".equals(lastAttempt(post)));
    Instant notBefore = refusedAt.plus(ASKED);
    assertThat(
            w.rows
                .<Timestamp>value(
                    "SELECT retry_not_before FROM publishing_attempts WHERE source_id = ?", post)
                .toInstant())
        .isEqualTo(notBefore);
    Await.until(
        "the next try is a job due when Unipile said",
        () ->
            w.rows.count(
                    "SELECT count(*) FROM tributary.jobs WHERE state = 'available'"
                        + " AND kind = 'publishing.publish' AND run_at = ? AND unique_key LIKE ?",
                    Timestamp.from(notBefore),
                    "%" + post + ":retry@%")
                == 1);
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM tributary.jobs WHERE state = 'available'"
                    + " AND kind = 'publishing.publish' AND run_at < ?",
                Timestamp.from(notBefore)))
        .as("no job would send it earlier (the engine's backoff here is 10 s)")
        .isZero();

    // past the engine's backoff, and the catch-up cycle runs: still too early, nothing is sent
    w.clock.advance(Duration.ofSeconds(60));
    CycleResult early = node.cycle().run(100, o -> {});
    assertThat(early.refused()).isEqualTo(1);
    assertThat(early.published()).isZero();
    w.clock.advance(Duration.ofSeconds(59));
    assertThat(node.cycle().run(100, o -> {}).published()).isZero();
    assertThat(w.sandbox.createCalls()).isEqualTo(1);
    assertThat(w.status(post)).isEqualTo("publishing");

    w.clock.advance(Duration.ofSeconds(2));
    Await.until("the post is published", () -> w.status(post).equals("published"));
    assertThat(w.sandbox.createCalls()).isEqualTo(2);
    assertThat(w.sandbox.createdWithText(text)).isEqualTo(1);
    assertThat(
            w.rows.column(
                "SELECT state FROM publishing_attempts WHERE source_id = ? ORDER BY started_at",
                post))
        .containsExactly("refused", "created");
  }

  private String lastAttempt(UUID post) {
    return w.rows.text(
        "SELECT coalesce((SELECT state FROM publishing_attempts WHERE source_id = ?"
            + " ORDER BY started_at DESC LIMIT 1), 'none')",
        post);
  }
}
