package dev.tributary.connectors;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider plan's rate limit: at most {@code permits} call starts in any interval of {@code
 * interval}. Written {@code 60/min}, {@code 5/s}, {@code 1000/h} or {@code 100/10s} in
 * configuration; {@code off} means no limit.
 */
public record RateLimit(int permits, Duration interval) {
  private static final Pattern FORMAT =
      Pattern.compile(
          "(\\d{1,9})\\s*/\\s*(\\d{0,6})\\s*(s|sec|second|seconds|m|min|minute|minutes|h|hour|hours)");

  public RateLimit {
    if (permits < 1) {
      throw new IllegalArgumentException(
          "a rate limit needs at least 1 call per interval, got " + permits);
    }
    ConfigChecks.positive("rate limit interval", interval);
  }

  /** Parses {@code N/unit} or {@code N/<k>unit}; empty for {@code off}. */
  public static Optional<RateLimit> parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("off") || t.equals("none")) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a rate limit looks like 60/min, 5/s, 1000/h, 100/10s or off, got '" + text + "'");
    }
    long count = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    if (count < 1) {
      throw new IllegalArgumentException(
          "the interval of a rate limit must be positive, got '" + text + "'");
    }
    Duration unit =
        switch (m.group(3).charAt(0)) {
          case 's' -> Duration.ofSeconds(1);
          case 'm' -> Duration.ofMinutes(1);
          default -> Duration.ofHours(1);
        };
    return Optional.of(new RateLimit(Integer.parseInt(m.group(1)), unit.multipliedBy(count)));
  }

  @Override
  public String toString() {
    return permits + " calls per " + interval;
  }
}
