package dev.tributary.cli;

import dev.tributary.ai.AiProviders;
import dev.tributary.config.LinkedInSettings;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.pipelines.profiles.ProfilePipeline;
import dev.tributary.pipelines.profiles.ScrapeOutcome;
import dev.tributary.pipelines.profiles.SyncReport;
import dev.tributary.pipelines.profiles.SyncRequest;
import dev.tributary.pipelines.profiles.SyncResponse;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary sync-profiles}: one profile sync run now, in this process (S0): the profiles
 * due, their latest posts, then (unless turned off) embeddings and hook classification of the new
 * posts. Topics, audiences and styles are left to the workers of a running node, as in the seed.
 */
@Command(
    name = "sync-profiles",
    mixinStandardHelpOptions = true,
    description =
        "Sync the LinkedIn profiles due now (needs RAPIDAPI_KEY) and show the seed's summary.")
final class SyncProfilesCommand implements Callable<Integer> {
  @Option(
      names = "--max-profiles",
      defaultValue = "" + SyncRequest.DEFAULT_MAX_PROFILES,
      description = "Profiles to scrape at most in this run (default ${DEFAULT-VALUE}).")
  int maxProfiles;

  @Option(
      names = "--no-embeddings",
      description = "Do not embed the new posts now (the embedding worker will).")
  boolean noEmbeddings;

  @Option(
      names = "--no-hook-classification",
      description = "Do not extract and classify hooks now (the hook workers will).")
  boolean noHookClassification;

  @Override
  public Integer call() {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    config
        .linkedin()
        .apiKey()
        .orElseThrow(
            () ->
                LinkedInSettings.RAPIDAPI_KEY.missing(
                    "tributary sync-profiles (the LinkedIn posts provider, RapidAPI)"));
    SyncRequest request;
    try {
      request = new SyncRequest(maxProfiles, !noEmbeddings, !noHookClassification);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "tributary: --max-profiles: " + e.getMessage().replace("max_profiles ", ""));
      return 2;
    }
    Terminal.quietLogs(config.node());
    PrintStream out = System.out;
    try (Database db = Database.open(config)) {
      db.migrate();
      try (AiProviders ai = AiProviders.from(config);
          ProfilePipeline pipeline = ProfilePipeline.create(config, db.dataSource(), ai)) {
        SyncReport report;
        try (SyncProgressDisplay display =
            SyncProgressDisplay.forOutput(out, Terminal.interactive())) {
          report = pipeline.sync().run(request, "cli:sync-profiles", display);
        }
        printSummary(report, out);
        return report.response().success() ? 0 : 1;
      }
    }
  }

  /** The seed's answer (S0.8) in words, plus what the seed's JSON leaves out. */
  static void printSummary(SyncReport report, PrintStream out) {
    SyncResponse r = report.response();
    out.printf("%nsync job %s: %s in %.1f s%n", r.jobId(), report.status(), r.durationSeconds());
    out.printf(
        "  profiles processed:  %d (%d successful)%n",
        r.profilesProcessed(), r.successfulProfiles());
    out.printf("  posts scraped:       %d%n", r.postsScraped());
    out.printf(
        "  posts new:           %d (already known: %d, of which %d with new counters; reshares skipped: %d)%n",
        r.postsNew(), report.postsKnown(), report.postsRefreshed(), report.resharesSkipped());
    out.printf("  embeddings updated:  %d%n", r.embeddingsUpdated());
    out.printf("  hooks classified:    %d%n", r.hooksClassified());
    if (r.pending() != null) {
      out.printf(
          "  still pending:       %d embeddings, %d hooks (the workers finish them)%n",
          r.pending().embeddings(), r.pending().hooks());
    }
    for (ScrapeOutcome o : report.outcomes()) {
      if (o.status() == ScrapeOutcome.Status.FAILED || o.status() == ScrapeOutcome.Status.ABORTED) {
        out.printf("  ! %s: %s%n", o.linkedinId(), SyncProgressDisplay.describe(o));
      }
    }
    if (r.error() != null) {
      out.printf("  error: %s%n", r.error());
    }
    out.println(
        "topics, audiences and writing styles are filled by the workers of a running node (tributary serve);"
            + " see what is left with: tributary profiles pending");
  }
}
