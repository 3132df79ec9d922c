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
 * A Unix cron expression (five fields: minute hour day-of-month month day-of-week, as pg_cron
 * writes them) parsed by cron-utils, evaluated in a time zone.
 */
public final class CronExpression {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String text;
  private final ExecutionTime executionTime;

  private CronExpression(String text, Cron cron) {
    this.text = text;
    this.executionTime = ExecutionTime.forCron(cron);
  }

  /**
   * Parses and validates; a bad expression is an {@link IllegalArgumentException} that says why.
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("cron expression must not be empty");
    }
    String trimmed = text.trim();
    try {
      Cron cron = PARSER.parse(trimmed).validate();
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
    return executionTime.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
  }

  /** The latest tick at or before {@code at}. */
  public Optional<Instant> latestAtOrBefore(Instant at, ZoneId zone) {
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
