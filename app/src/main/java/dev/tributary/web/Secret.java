package dev.tributary.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A configured secret, kept only as its SHA-256. Comparing digests of equal length in constant time
 * shows neither how much of a guess was right nor the secret's length. {@link #toString()} never
 * prints it.
 */
public final class Secret {
  private final byte[] digest;

  private Secret(String value) {
    this.digest = sha256(value);
  }

  public static Optional<Secret> of(Optional<String> value) {
    return value.filter(v -> !v.isBlank()).map(Secret::new);
  }

  /** True when {@code presented} is this secret; false for null. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(presented), digest);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
