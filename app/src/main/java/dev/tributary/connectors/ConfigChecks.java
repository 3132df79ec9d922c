package dev.tributary.connectors;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Checks shared by the connectors' config builders, so every connector rejects bad values alike.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  /** An absolute http(s) URL without a trailing slash, so paths can be appended as "/path". */
  public static URI httpBaseUrl(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be an http(s) URL, got nothing");
    }
    String v = value.strip();
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a valid URL: " + e.getReason());
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name + " must be an http(s) URL with a host, got '" + v + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          name + " must not carry a query or fragment, got '" + v + "'");
    }
    return uri;
  }

  public static void positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }
}
