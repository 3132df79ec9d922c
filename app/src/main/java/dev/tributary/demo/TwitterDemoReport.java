package dev.tributary.demo;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What the engagement part of the demo shows, read back from the snapshots it wrote: the tier
 * changes and viral moments in time order, one line per tweet, and one tweet's snapshots.
 */
final class TwitterDemoReport {
  static final String SHOWN_TWEET = "1990000000000000002";

  private record Snap(
      String tweetId, Instant at, int total, int delta, double velocity, String tier) {}

  private record Event(Instant at, String text) {}

  private final Jdbc jdbc;
  private final PrintStream out;

  TwitterDemoReport(Jdbc jdbc, PrintStream out) {
    this.jdbc = jdbc;
    this.out = out;
  }

  void print(UUID zone, Instant start, int rounds, long calls, long refreshed) {
    Map<String, List<Snap>> byTweet = snapshots(zone);
    double threshold =
        jdbc.queryOne(
                "SELECT coalesce(max(threshold), 500) FROM twitter_viral_alerts a"
                    + " JOIN twitter_tweets w ON w.id = a.tweet_db_id WHERE w.zone_id = :zone",
                Params.of("zone", zone),
                rs -> rs.getDouble(1))
            .orElse(500.0);
    out.printf(
        Locale.ROOT,
        "  12 SYNTHETIC hours on an accelerated clock: %d refresh rounds, %d snapshots, %d provider"
            + " calls (up to 100 ids each)%n",
        rounds,
        refreshed,
        calls);
    timeline(byTweet, start, threshold);
    table(byTweet, start, zone);
    List<Snap> shown = byTweet.getOrDefault(SHOWN_TWEET, List.of());
    out.printf("  snapshots of tweet %s (twitter_engagement_history):%n", SHOWN_TWEET);
    out.printf("    %-7s %8s %7s %11s  %s%n", "WHEN", "TOTAL", "DELTA", "VELOCITY/H", "TIER");
    for (Snap s : shown) {
      out.printf(
          Locale.ROOT,
          "    %-7s %8d %+7d %11.1f  %s%n",
          TwitterDemo.offset(start, s.at()),
          s.total(),
          s.delta(),
          s.velocity(),
          s.tier());
    }
  }

  private void timeline(Map<String, List<Snap>> byTweet, Instant start, double threshold) {
    List<Event> events = new ArrayList<>();
    byTweet.forEach(
        (id, snaps) -> {
          String before = null;
          for (Snap s : snaps) {
            if (s.velocity() >= threshold) {
              events.add(
                  new Event(
                      s.at(),
                      String.format(
                          Locale.ROOT,
                          "tweet %s VIRAL: %+d engagement at %.0f/h (threshold %.0f/h) — one alert",
                          id,
                          s.delta(),
                          s.velocity(),
                          threshold)));
            }
            if (before != null && !before.equals(s.tier())) {
              events.add(
                  new Event(
                      s.at(),
                      String.format(
                          Locale.ROOT,
                          "tweet %s %s → %s (%.0f/h)",
                          id,
                          before,
                          s.tier(),
                          s.velocity())));
            }
            before = s.tier();
          }
        });
    events.sort(Comparator.comparing(Event::at));
    out.println("  tier changes (age and velocity decide; a jump in velocity promotes back):");
    events.forEach(e -> out.printf("    %-7s %s%n", TwitterDemo.offset(start, e.at()), e.text()));
  }

  private record Line(String id, Instant posted, int total, double peak) {}

  private void table(Map<String, List<Snap>> byTweet, Instant start, UUID zone) {
    out.printf(
        "  %-20s %-8s %9s %-32s %10s %9s%n",
        "TWEET", "POSTED", "REFRESHES", "TIERS", "ENGAGEMENT", "PEAK/H");
    for (Line t :
        jdbc.query(
            """
            SELECT w.tweet_id, coalesce(w.twitter_created_at, w.created_at) AS posted,
                   w.like_count + w.retweet_count + w.reply_count + w.quote_count AS total,
                   t.peak_velocity
              FROM twitter_tweets w JOIN twitter_engagement_tracking t ON t.tweet_db_id = w.id
             WHERE w.zone_id = :zone ORDER BY w.tweet_id
            """,
            Params.of("zone", zone),
            rs ->
                new Line(rs.getString(1), Handle.instant(rs, 2), rs.getInt(3), rs.getDouble(4)))) {
      List<Snap> snaps = byTweet.getOrDefault(t.id(), List.of());
      String path = snaps.isEmpty() ? "not tracked (below the minimum)" : path(snaps);
      out.printf(
          Locale.ROOT,
          "  %-20s %-8s %9d %-32s %10d %9.0f%n",
          t.id(),
          "-" + TwitterDemo.offset(t.posted(), start).substring(1),
          snaps.size(),
          path,
          t.total(),
          t.peak());
    }
  }

  private static String path(List<Snap> snaps) {
    List<String> tiers = new ArrayList<>();
    for (Snap s : snaps) {
      if (tiers.isEmpty() || !tiers.get(tiers.size() - 1).equals(s.tier())) {
        tiers.add(s.tier());
      }
    }
    return String.join(" → ", tiers);
  }

  private Map<String, List<Snap>> snapshots(UUID zone) {
    Map<String, List<Snap>> byTweet = new LinkedHashMap<>();
    jdbc.query(
            """
            SELECT w.tweet_id, h.snapshot_at, h.total_engagement,
                   h.delta_likes + h.delta_retweets + h.delta_replies + h.delta_quotes,
                   h.engagement_velocity, h.tier
              FROM twitter_engagement_history h JOIN twitter_tweets w ON w.id = h.tweet_id
             WHERE w.zone_id = :zone ORDER BY w.tweet_id, h.snapshot_at
            """,
            Params.of("zone", zone),
            rs ->
                new Snap(
                    rs.getString(1),
                    Handle.instant(rs, 2),
                    rs.getInt(3),
                    rs.getInt(4),
                    rs.getDouble(5),
                    rs.getString(6)))
        .forEach(s -> byTweet.computeIfAbsent(s.tweetId(), k -> new ArrayList<>()).add(s));
    return byTweet;
  }
}
