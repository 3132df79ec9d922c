package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.pipelines.engagement.Counts;
import dev.tributary.pipelines.engagement.EngagementPipeline;
import dev.tributary.pipelines.engagement.EngagementService;
import dev.tributary.pipelines.engagement.Results.BatchResult;
import dev.tributary.pipelines.engagement.Results.Stats;
import dev.tributary.pipelines.engagement.Results.TweetEngagement;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary engagement refresh|update|stats}: the seed's engagement operations (S4.1) from a
 * shell, on the same service as the routes and the cron, so they share its claim and never refresh
 * a tweet twice.
 */
@Command(
    name = "engagement",
    description = "Tweet engagement tracking: refresh one tweet, refresh the due ones, stats.",
    mixinStandardHelpOptions = true)
final class EngagementCommand {

  @Command(
      name = "refresh",
      description =
          "Refresh one tweet (its database id); within the cache window the stored numbers are"
              + " shown unless --force.")
  int refresh(
      @Parameters(paramLabel = "TWEET_DB_ID") String raw,
      @Option(names = "--force", description = "ask the provider even if refreshed just now")
          boolean force) {
    UUID id;
    try {
      id = UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      System.err.printf("tributary: a tweet's database id is a UUID, got '%s'%n", raw);
      return 2;
    }
    return withService(
        s -> {
          Optional<TweetEngagement> t =
              force ? s.forceUpdateTweetEngagement(id) : s.updateSingleTweetEngagement(id);
          if (t.isEmpty()) {
            System.err.printf("tributary: no tracked tweet %s%n", id);
            return 1;
          }
          print(System.out, t.get());
          return 0;
        });
  }

  @Command(name = "update", description = "Refresh the due tweets, 100 ids per provider call.")
  int update(
      @Option(
              names = "--limit",
              defaultValue = "100",
              description = "at most this many tweets (1-10000, default ${DEFAULT-VALUE})")
          int limit) {
    if (limit < 1 || limit > EngagementService.MAX_BATCH_LIMIT) {
      System.err.printf(
          "tributary: --limit must be between 1 and %d, got %d%n",
          EngagementService.MAX_BATCH_LIMIT, limit);
      return 2;
    }
    return withService(
        s -> {
          BatchResult r = s.updateBatchTweetEngagement(limit);
          PrintStream out = System.out;
          out.printf("processed:      %d%n", r.processed());
          out.printf("successful:     %d%n", r.successful());
          out.printf("failed:         %d%n", r.failed());
          out.printf("skipped:        %d%n", r.skipped());
          out.printf("provider calls: %d%n", r.providerCalls());
          out.printf("duration:       %d ms%n", r.durationMs());
          out.printf("still due:      %d%n", s.dueSummary().due());
          return r.failed() > 0 ? 1 : 0;
        });
  }

  @Command(
      name = "stats",
      description =
          "Tweets per tier, due now, provider calls today, projected calls a day, snapshots per day.")
  int stats() {
    return withService(
        s -> {
          Stats st = s.getEngagementTrackingStats();
          PrintStream out = System.out;
          st.trackedPerTier().forEach((tier, n) -> out.printf("tracked %-10s %10d%n", tier, n));
          out.printf("untracked          %10d%n", st.untracked());
          out.printf("unavailable        %10d%n", st.unavailable());
          out.printf("due now            %10d%n", st.dueNow());
          out.printf("calls today        %10d%n", st.providerCallsToday());
          out.printf("tweets fetched     %10d%n", st.tweetsFetchedToday());
          out.printf("refreshes a day    %10d%n", st.projectedRefreshesPerDay());
          out.printf("calls a day        %10d%n", st.projectedCallsPerDay());
          out.printf("open viral alerts  %10d%n", st.openViralAlerts());
          st.snapshotsPerDay().forEach((day, n) -> out.printf("snapshots %s %7d%n", day, n));
          return 0;
        });
  }

  static void print(PrintStream out, TweetEngagement t) {
    Counts m = t.metrics();
    Counts d = t.deltas();
    out.printf("tweet %s (%s)%s%n", t.tweetId(), t.id(), t.cached() ? " — cached, not asked" : "");
    out.printf(
        "likes %d (%+d) · retweets %d (%+d) · replies %d (%+d) · quotes %d (%+d) · views %d (%+d)%n",
        m.likes(),
        d.likes(),
        m.retweets(),
        d.retweets(),
        m.replies(),
        d.replies(),
        m.quotes(),
        d.quotes(),
        m.views(),
        d.views());
    out.printf("velocity %.2f/h · tier %s%s%n", t.velocity(), t.tier(), flags(t));
    out.printf(
        "last refreshed %s · next %s%n",
        t.lastUpdatedAt() == null ? "never" : t.lastUpdatedAt(),
        t.trackingEnabled() ? t.nextUpdateAt() : "never (not tracked)");
  }

  private static String flags(TweetEngagement t) {
    return (t.unavailable() ? " · UNAVAILABLE (deleted or private)" : "")
        + (t.trackingEnabled() ? "" : " · not tracked");
  }

  /** The node's engagement service on this database; refusals become a message and an exit code. */
  private static int withService(Function<EngagementService, Integer> action) {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    try (Database db = Database.open(config)) {
      db.migrate();
      EngagementService service =
          EngagementPipeline.create(config, db.dataSource(), Clock.systemUTC()).service();
      try {
        return action.apply(service);
      } catch (EngagementService.NotConfigured e) {
        System.err.println("tributary: " + e.getMessage());
        return 2;
      } catch (EngagementService.ProviderFailed e) {
        System.err.println("tributary: " + e.getMessage());
        return 1;
      }
    }
  }
}
