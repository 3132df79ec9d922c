package dev.tributary.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks a presented secret against the configured one in constant time; never logs either. */
public final class SharedSecrets {
  private SharedSecrets() {}

  /** True only when a secret is configured and the presented one equals it. */
  public static boolean matches(String presented, Optional<String> expected) {
    if (presented == null || expected.isEmpty()) {
      return false;
    }
    // MessageDigest.isEqual does not stop at the first differing byte
    return MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8),
        expected.get().getBytes(StandardCharsets.UTF_8));
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  public static String bearer(String authorizationHeader) {
    if (authorizationHeader == null) {
      return null;
    }
    String h = authorizationHeader.trim();
    return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
  }
}
