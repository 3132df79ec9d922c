package dev.tributary.engine.cron;

import dev.tributary.engine.EnqueueOptions;
import java.util.Objects;

/**
 * A named recurring job: each tick of {@code cron} in {@code timeZone} enqueues one job of {@code
 * kind} with {@code args}. Validated on construction.
 */
public record Schedule(
    String name, String cron, String timeZone, String kind, Object args, EnqueueOptions options) {
  public static final String DEFAULT_TIME_ZONE = "UTC";

  public Schedule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("schedule name must not be blank");
    }
    CronExpression.parse(cron);
    timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
    CronExpression.zone(timeZone);
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("schedule '" + name + "': job kind must not be blank");
    }
    options = options == null ? EnqueueOptions.DEFAULTS : options;
    if (options.uniqueKey() != null || options.runAt() != null) {
      throw new IllegalArgumentException(
          "schedule '" + name + "': unique key and run-at are decided per tick");
    }
    Objects.requireNonNull(options);
  }

  public static Schedule of(String name, String cron, String timeZone, String kind, Object args) {
    return new Schedule(name, cron, timeZone, kind, args, EnqueueOptions.DEFAULTS);
  }
}
