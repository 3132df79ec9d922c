package dev.tributary.pipelines.publishing;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider refused before creating anything (429, 503 {@code no_client_session}): the attempt
 * is closed as refused and the job is retried with backoff. Safe to resend: nothing was created.
 */
public final class PublishRefusedException extends RuntimeException {
  private final Duration retryAfter;

  PublishRefusedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
