package dev.tributary.connectors.unipile;

import dev.tributary.connectors.ConnectorException;
import java.time.Duration;

/**
 * A Unipile call without a usable answer, with what it means for a post that was being created:
 *
 * <ul>
 *   <li>{@link Outcome#REFUSED}: certainly not created (429 {@code too_many_requests}, 503 {@code
 *       no_client_session}); try again after a backoff.
 *   <li>{@link Outcome#UNKNOWN}: the request may have been acted on (timeout, dropped connection,
 *       500, 502, 504, other 503s); reconcile by listing the account's posts before anything else.
 *   <li>{@link Outcome#FINAL}: refused for good (400, 401, 403, 404, 422, an unreadable 2xx).
 * </ul>
 *
 * {@link #problemType()} is the problem-JSON {@code type} without its {@code errors/} prefix.
 */
public final class UnipileException extends ConnectorException {
  public enum Outcome {
    REFUSED,
    UNKNOWN,
    FINAL
  }

  private final Outcome outcome;
  private final String problemType;

  UnipileException(
      int status,
      Outcome outcome,
      String problemType,
      Duration retryAfter,
      String body,
      String message,
      Throwable cause) {
    super(UnipileClient.VENDOR, status, outcome != Outcome.FINAL, retryAfter, body, message, cause);
    this.outcome = outcome;
    this.problemType = problemType == null ? "" : problemType;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** {@code disconnected_account}, {@code too_many_requests}, … or empty. */
  public String problemType() {
    return problemType;
  }

  /** The account must be reconnected in Unipile before anything posts from it again. */
  public boolean disconnectedAccount() {
    return status() == 401 && problemType.equals("disconnected_account");
  }
}
