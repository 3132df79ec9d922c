package dev.tributary.engine.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A schedule in pg_cron's forms, evaluated in a time zone: a Unix cron expression (five fields:
 * minute hour day-of-month month day-of-week, as pg_cron and the seeds write them) parsed by
 * cron-utils; a nickname ({@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}, {@code @midnight}, {@code @hourly}), read as its five-field equivalent; or an
 * interval of 1 to 59 seconds ({@code '30 seconds'}), whose ticks are the multiples of the interval
 * since the epoch, so every node computes the same ticks.
 */
public final class CronExpression {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private static final java.util.regex.Pattern SECONDS =
      java.util.regex.Pattern.compile(
          "^(\\d{1,2})\\s*seconds?$", java.util.regex.Pattern.CASE_INSENSITIVE);

  private static final java.util.Map<String, String> NICKNAMES =
      java.util.Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final String text;
  private final ExecutionTime executionTime;
  private final long intervalSeconds;

  private CronExpression(String text, Cron cron) {
    this.text = text;
    this.executionTime = ExecutionTime.forCron(cron);
    this.intervalSeconds = 0;
  }

  private CronExpression(String text, long intervalSeconds) {
    this.text = text;
    this.executionTime = null;
    this.intervalSeconds = intervalSeconds;
  }

  /**
   * Parses and validates; a bad expression is an {@link IllegalArgumentException} that says why.
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("cron expression must not be empty");
    }
    String trimmed = text.trim().replaceAll("\\s+", " ");
    java.util.regex.Matcher seconds = SECONDS.matcher(trimmed);
    if (seconds.matches()) {
      int n = Integer.parseInt(seconds.group(1));
      if (n < 1 || n > 59) {
        throw new IllegalArgumentException(
            "invalid interval '" + trimmed + "': an interval is 1 to 59 seconds");
      }
      return new CronExpression(n + " seconds", n);
    }
    String fields = NICKNAMES.getOrDefault(trimmed.toLowerCase(java.util.Locale.ROOT), trimmed);
    if (fields.startsWith("@")) {
      throw new IllegalArgumentException(
          "invalid cron expression '"
              + trimmed
              + "': known nicknames are "
              + new java.util.TreeSet<>(NICKNAMES.keySet()));
    }
    try {
      if (fields.split(" ").length != 5) {
        throw new IllegalArgumentException("found " + fields.split(" ").length + " fields");
      }
      Cron cron = PARSER.parse(fields).validate();
      return new CronExpression(trimmed, cron);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '"
              + trimmed
              + "' (expected 5 fields: minute hour day-of-month month day-of-week): "
              + e.getMessage(),
          e);
    }
  }

  public static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + zone + "'", e);
    }
  }

  public String text() {
    return text;
  }

  /** The first tick strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    if (intervalSeconds > 0) {
      return Optional.of(
          Instant.ofEpochSecond(
              Math.floorDiv(after.getEpochSecond(), intervalSeconds) * intervalSeconds
                  + intervalSeconds));
    }
    return executionTime.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
  }

  /** The latest tick at or before {@code at}. */
  public Optional<Instant> latestAtOrBefore(Instant at, ZoneId zone) {
    if (intervalSeconds > 0) {
      return Optional.of(
          Instant.ofEpochSecond(
              Math.floorDiv(at.getEpochSecond(), intervalSeconds) * intervalSeconds));
    }
    Optional<Instant> previous =
        executionTime.lastExecution(at.atZone(zone)).map(ZonedDateTime::toInstant);
    if (previous.isEmpty()) {
      return Optional.empty();
    }
    // lastExecution is strictly before; a tick exactly at `at` is the one we want
    Optional<Instant> next = nextAfter(previous.get(), zone);
    if (next.isPresent() && !next.get().isAfter(at)) {
      return next;
    }
    return previous;
  }

  @Override
  public String toString() {
    return text;
  }
}
