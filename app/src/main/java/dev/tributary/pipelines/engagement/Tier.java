package dev.tributary.pipelines.engagement;

import java.time.Duration;
import java.util.Locale;

/**
 * How hot a tracked tweet is (S4.3). A tweet's tier is the hotter of its age tier and its velocity
 * tier, so a tweet whose velocity jumps is promoted back. With the default intervals a tweet gets 4
 * refreshes in its first hour, 10 more until 6 hours and 2 more by 12 hours: 16 in its first 12
 * hours, as in the seed.
 */
public enum Tier {
  ULTRA_HOT(Duration.ofHours(1), 100, Duration.ofMinutes(15)),
  HOT(Duration.ofHours(6), 20, Duration.ofMinutes(30)),
  WARM(Duration.ofHours(24), 5, Duration.ofHours(3)),
  /** Older than a day and slow; refreshed every ENGAGEMENT_COLD_INTERVAL_MINUTES, or never. */
  COLD(null, 0, null);

  private final Duration youngerThan;
  private final double velocityAtLeast;
  private final Duration interval;

  Tier(Duration youngerThan, double velocityAtLeast, Duration interval) {
    this.youngerThan = youngerThan;
    this.velocityAtLeast = velocityAtLeast;
    this.interval = interval;
  }

  /** The name in the database: {@code ultra_hot}, {@code hot}, {@code warm}, {@code cold}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tier of(String sqlName) {
    return valueOf(sqlName.toUpperCase(Locale.ROOT));
  }

  /** The refresh interval; for COLD the configured one (zero: no more refreshes). */
  public Duration interval(Duration coldInterval) {
    return this == COLD ? coldInterval : interval;
  }

  /** A tweet of this age, gaining {@code velocity} engagement per hour. */
  public static Tier classify(Duration age, double velocity) {
    Tier byAge = COLD;
    for (Tier t : values()) {
      if (t.youngerThan != null && age.compareTo(t.youngerThan) < 0) {
        byAge = t;
        break;
      }
    }
    Tier byVelocity = COLD;
    for (Tier t : values()) {
      if (t != COLD && velocity >= t.velocityAtLeast) {
        byVelocity = t;
        break;
      }
    }
    return byAge.ordinal() <= byVelocity.ordinal() ? byAge : byVelocity;
  }
}
