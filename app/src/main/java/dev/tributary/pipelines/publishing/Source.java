package dev.tributary.pipelines.publishing;

import java.util.Locale;

/**
 * The three kinds of row that get published, each with its table's own words for "waiting" and
 * "due": a profile's scheduled post, a generated production post, and a re-post on a company page.
 */
public enum Source {
  SCHEDULED_POST("scheduled_posts", "pending", "scheduled_at", "attempts"),
  PRODUCTION_POST("production_posts", "scheduled", "publication_date", "publish_attempts"),
  COMPANY_POST("company_published_posts", "pending", "scheduled_for", "attempts");

  final String table;
  final String waiting;
  final String due;
  final String attempts;

  Source(String table, String waiting, String due, String attempts) {
    this.table = table;
    this.waiting = waiting;
    this.due = due;
    this.attempts = attempts;
  }

  /** {@code scheduled_post}, {@code production_post}, {@code company_post}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Source of(String wire) {
    for (Source s : values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown post source '" + wire + "': use scheduled_post, production_post or company_post");
  }

  /** The status a row of this source waits in before it is due. */
  public String waitingStatus() {
    return waiting;
  }
}
