package dev.tributary.connectors;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to an outside API that did not give a usable answer. It says which vendor, the HTTP status
 * (0 when no response arrived: timeout, refused connection), whether trying again later may help,
 * how long the vendor asked us to wait, and the start of the vendor's body. It never carries a key:
 * the body is the vendor's, and the message is built from status and body only.
 */
public class ConnectorException extends RuntimeException {
  /** Bodies can be whole HTML error pages; the first few hundred characters say what went wrong. */
  public static final int MAX_BODY_CHARS = 500;

  private final String vendor;
  private final int status;
  private final boolean retryable;
  private final Duration retryAfter;
  private final String body;

  public ConnectorException(
      String vendor,
      int status,
      boolean retryable,
      Duration retryAfter,
      String body,
      String message,
      Throwable cause) {
    super(vendor + ": " + redact(message), cause);
    this.vendor = vendor;
    this.status = status;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.body = trim(body);
  }

  public ConnectorException(
      String vendor,
      int status,
      boolean retryable,
      Duration retryAfter,
      String body,
      String message) {
    this(vendor, status, retryable, retryAfter, body, message, null);
  }

  /**
   * A final error that is not about HTTP at all: bad input we refuse to send, or an unusable
   * answer.
   */
  public static ConnectorException invalid(String vendor, String message) {
    return new ConnectorException(vendor, 0, false, null, null, message);
  }

  public String vendor() {
    return vendor;
  }

  /** The HTTP status, or 0 when the vendor never answered. */
  public int status() {
    return status;
  }

  /**
   * True when the same call may succeed later (429, 5xx, timeouts); false for auth, not-found, bad
   * input.
   */
  public boolean retryable() {
    return retryable;
  }

  /** The wait the vendor asked for (Retry-After), if it said one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The first {@value #MAX_BODY_CHARS} characters of the vendor's body, or empty. */
  public String body() {
    return body;
  }

  /**
   * Vendors quote a rejected key back, masked but partly readable (OpenAI's 401: "Incorrect API key
   * provided: sk-test-****cdef"); no piece of a key is kept, printed or stored.
   */
  private static final java.util.regex.Pattern KEY_FRAGMENT =
      java.util.regex.Pattern.compile(
          "(sk-[A-Za-z0-9*_\\-]+|(?i)bearer\\s+[A-Za-z0-9._~+/*=\\-]+)");

  public static String redact(String text) {
    return text == null ? null : KEY_FRAGMENT.matcher(text).replaceAll("[redacted key]");
  }

  static String trim(String body) {
    if (body == null) {
      return "";
    }
    String flat = redact(body).strip();
    return flat.length() <= MAX_BODY_CHARS ? flat : flat.substring(0, MAX_BODY_CHARS) + "…";
  }
}
