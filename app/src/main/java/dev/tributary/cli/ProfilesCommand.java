package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.pipelines.profiles.SyncOperations;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary profiles stats|failing|reset|resync|pending|jobs}: the profile sync's monitoring
 * numbers (S0.10) and the seed's troubleshooting recipes (S0.11) without writing SQL.
 */
@Command(
    name = "profiles",
    description = "Profile sync operations: stats, failing profiles, reset, re-sync, pending work.",
    mixinStandardHelpOptions = true)
final class ProfilesCommand {

  @Command(
      name = "stats",
      description =
          "Total profiles, profiles due, posts without embedding, last sync, running sync.")
  int stats() {
    SyncOperations.Stats s = withOperations(SyncOperations::stats);
    PrintStream out = System.out;
    out.printf("total profiles:          %d%n", s.totalProfiles());
    out.printf("profiles needing sync:   %d%n", s.profilesNeedingSync());
    out.printf("posts without embedding: %d%n", s.postsWithoutEmbedding());
    out.printf(
        "last sync:               %s%n", s.lastSyncDate() == null ? "never" : s.lastSyncDate());
    out.printf("sync running:            %s%n", s.syncRunning() ? "yes" : "no");
    return 0;
  }

  @Command(
      name = "failing",
      description = "Profiles whose last syncs failed, worst first, with the last error.")
  int failing() {
    List<SyncOperations.FailingProfile> all = withOperations(SyncOperations::failingProfiles);
    PrintStream out = System.out;
    out.printf(
        "%-36s %-28s %-28s %8s %-8s %-24s %s%n",
        "PROFILE ID", "NAME", "LINKEDIN ID", "FAILURES", "DISABLED", "LAST ATTEMPT", "LAST ERROR");
    for (SyncOperations.FailingProfile f : all) {
      out.printf(
          "%-36s %-28s %-28s %8d %-8s %-24s %s%n",
          f.profileId(),
          cut(f.fullName(), 28),
          cut(f.linkedinId(), 28),
          f.consecutiveFailures(),
          f.disabled() ? "yes" : "no",
          dash(f.lastAttemptAt()),
          JobsCommand.firstLine(f.lastError()));
    }
    out.printf(
        "%d failing profile(s)%s%n",
        all.size(),
        all.stream().anyMatch(SyncOperations.FailingProfile::disabled)
            ? "; disabled ones (5 failures) sync again after: tributary profiles reset ID"
            : "");
    return 0;
  }

  @Command(
      name = "reset",
      description = "Set a profile's consecutive failures back to 0 and clear its last error.")
  int reset(@Parameters(paramLabel = "PROFILE_ID") String id) {
    return change(
        id,
        SyncOperations::resetProfile,
        "reset: consecutive failures 0, last error cleared; it is synced again when due");
  }

  @Command(
      name = "resync",
      description = "Make a profile due at the next sync run (clears last_scraped_at).")
  int resync(@Parameters(paramLabel = "PROFILE_ID") String id) {
    return change(
        id, SyncOperations::forceResync, "due at the next sync run (last_scraped_at cleared)");
  }

  @Command(
      name = "pending",
      description = "Posts still waiting for each enrichment step, and profiles without a style.")
  int pending() {
    Map<String, Long> counts = withOperations(SyncOperations::pendingCounts);
    counts.forEach((name, n) -> System.out.printf("%-32s %8d%n", name, n));
    return 0;
  }

  @Command(name = "jobs", description = "Recent sync runs (sync_jobs), newest first.")
  int jobs(
      @Option(
              names = "--limit",
              defaultValue = "20",
              description = "at most this many (default ${DEFAULT-VALUE})")
          int limit) {
    List<SyncOperations.SyncJob> all = withOperations(ops -> ops.recentJobs(limit));
    PrintStream out = System.out;
    out.printf(
        "%-36s %-14s %-10s %8s %8s %6s %10s %9s %-24s %s%n",
        "ID",
        "TYPE",
        "STATUS",
        "PROFILES",
        "SCRAPED",
        "NEW",
        "EMBEDDINGS",
        "DURATION",
        "STARTED",
        "ERROR");
    for (SyncOperations.SyncJob j : all) {
      out.printf(
          "%-36s %-14s %-10s %8d %8d %6d %10d %9s %-24s %s%n",
          j.id(),
          j.jobType(),
          j.status(),
          j.profilesProcessed(),
          j.postsScraped(),
          j.postsNew(),
          j.embeddingsUpdated(),
          j.durationSeconds() == null ? "-" : j.durationSeconds() + "s",
          dash(j.startedAt()),
          JobsCommand.firstLine(j.errorMessage()));
    }
    out.printf("%d sync run(s)%n", all.size());
    return 0;
  }

  @FunctionalInterface
  private interface Change {
    boolean apply(SyncOperations ops, UUID id);
  }

  private static int change(String raw, Change change, String done) {
    UUID id;
    try {
      id = SyncOperations.profileId(raw);
    } catch (IllegalArgumentException e) {
      System.err.println("tributary: " + e.getMessage());
      return 2;
    }
    if (!withOperations(ops -> change.apply(ops, id))) {
      System.err.printf("tributary: no profile %s (see: tributary profiles failing)%n", id);
      return 1;
    }
    System.out.printf("profile %s %s%n", id, done);
    return 0;
  }

  private static <T> T withOperations(Function<SyncOperations, T> action) {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      db.migrate();
      return action.apply(new SyncOperations(db.dataSource()));
    }
  }

  private static String cut(String s, int max) {
    if (s == null) {
      return "-";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static String dash(Instant t) {
    return t == null ? "-" : t.toString();
  }
}
