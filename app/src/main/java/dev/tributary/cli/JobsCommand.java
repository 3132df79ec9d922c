package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.engine.ChangeOutcome;
import dev.tributary.engine.Job;
import dev.tributary.engine.JobFilter;
import dev.tributary.engine.JobState;
import dev.tributary.engine.Jobs;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary jobs list|show|retry|cancel}: look at and act on the engine's jobs. */
@Command(
    name = "jobs",
    description = "List, show, retry and cancel jobs.",
    mixinStandardHelpOptions = true)
final class JobsCommand {

  @Command(name = "list", description = "List jobs, newest first.")
  int list(
      @Option(names = "--state", description = "available, running, completed, dead or cancelled")
          String state,
      @Option(names = "--queue", description = "only this queue") String queue,
      @Option(names = "--kind", description = "only this job kind") String kind,
      @Option(
              names = "--limit",
              defaultValue = "50",
              description = "at most this many (default ${DEFAULT-VALUE})")
          int limit) {
    JobFilter filter = JobFilter.all().limit(limit).queue(queue).kind(kind);
    if (state != null) {
      try {
        filter = filter.state(JobState.valueOf(state.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        System.err.println(
            "tributary: unknown state '"
                + state
                + "': use available, running, completed, dead or cancelled");
        return 2;
      }
    }
    JobFilter f = filter;
    List<Job> jobs = withJobs(j -> j.list(f));
    PrintStream out = System.out;
    out.printf(
        "%-10s %-28s %-12s %-10s %-9s %-24s %s%n",
        "ID", "KIND", "QUEUE", "STATE", "ATTEMPT", "RUN AT", "LAST ERROR");
    for (Job j : jobs) {
      out.printf(
          "%-10d %-28s %-12s %-10s %-9s %-24s %s%n",
          j.id(),
          j.kind(),
          j.queue(),
          j.state().dbName(),
          j.attempt() + "/" + j.maxAttempts(),
          j.runAt(),
          firstLine(j.lastError()));
    }
    out.printf("%d job(s)%n", jobs.size());
    return 0;
  }

  @Command(name = "show", description = "Show one job with its args and errors.")
  int show(@Parameters(paramLabel = "ID") long id) {
    var job = withJobs(j -> j.get(id));
    if (job.isEmpty()) {
      System.err.println("tributary: no job " + id);
      return 1;
    }
    Job j = job.get();
    PrintStream out = System.out;
    out.printf(
        "id:           %d%nkind:         %s%nqueue:        %s%nstate:        %s%n",
        j.id(), j.kind(), j.queue(), j.state().dbName());
    out.printf(
        "attempt:      %d of %d%npriority:     %d%nrun at:       %s%n",
        j.attempt(), j.maxAttempts(), j.priority(), j.runAt());
    out.printf(
        "unique key:   %s%nlocked by:    %s%nlease until:  %s%n",
        dash(j.uniqueKey()), dash(j.lockedBy()), dash(j.leaseUntil()));
    out.printf(
        "created at:   %s%nattempted at: %s%nfinished at:  %s%n",
        j.createdAt(), dash(j.attemptedAt()), dash(j.finishedAt()));
    out.printf("args:         %s%n", j.args());
    out.printf("last error:   %s%n", dash(j.lastError()));
    if (j.errors().size() > 0) {
      out.println("errors:");
      j.errors()
          .forEach(
              e ->
                  out.printf(
                      "  attempt %s at %s: %s%n",
                      e.path("attempt").asText(),
                      e.path("at").asText(),
                      firstLine(e.path("error").asText())));
    }
    return 0;
  }

  @Command(name = "retry", description = "Put a dead or cancelled job back in its queue, due now.")
  int retry(@Parameters(paramLabel = "ID") long id) {
    return report(id, "retried", withJobs(j -> j.retry(id)));
  }

  @Command(
      name = "cancel",
      description = "Cancel a job that has not finished (a running one is interrupted).")
  int cancel(@Parameters(paramLabel = "ID") long id) {
    return report(id, "cancelled", withJobs(j -> j.cancel(id)));
  }

  private static int report(long id, String done, ChangeOutcome outcome) {
    switch (outcome) {
      case CHANGED -> {
        System.out.printf("job %d %s%n", id, done);
        return 0;
      }
      case NOT_FOUND -> System.err.printf("tributary: no job %d%n", id);
      case NOT_ALLOWED ->
          System.err.printf(
              "tributary: job %d cannot be %s in its current state (see: tributary jobs show %d)%n",
              id, done, id);
      case UNIQUE_KEY_TAKEN ->
          System.err.printf("tributary: another live job holds the unique key of job %d%n", id);
    }
    return 1;
  }

  private static <T> T withJobs(Function<Jobs, T> action) {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      return action.apply(new Jobs(db.dataSource()));
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 100 ? line.substring(0, 100) + "…" : line;
  }

  private static String dash(Object o) {
    return o == null ? "-" : o.toString();
  }
}
