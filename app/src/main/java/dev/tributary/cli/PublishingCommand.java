package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.engine.Jobs;
import dev.tributary.pipelines.publishing.PostRef;
import dev.tributary.pipelines.publishing.PostView;
import dev.tributary.pipelines.publishing.PublishingOperations;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary publishing due|list|retry|cancel}: scheduled publishing for operators. */
@Command(
    name = "publishing",
    description =
        "Scheduled publishing: due posts, list, retry a failed post, cancel a waiting one.",
    mixinStandardHelpOptions = true)
final class PublishingCommand {

  @Command(
      name = "due",
      description = "Waiting posts that are due now (what the next cycle takes).")
  int due(@Option(names = "--limit", defaultValue = "50") int limit) {
    return print(with((ops, jobs) -> ops.due(limit)));
  }

  @Command(name = "list", description = "Posts, most recently due first.")
  int list(
      @Option(
              names = "--status",
              description = "pending, scheduled, publishing, published, failed, cancelled")
          String status,
      @Option(names = "--limit", defaultValue = "50") int limit) {
    return print(with((ops, jobs) -> ops.list(status, limit)));
  }

  @Command(
      name = "retry",
      description =
          "Retry a failed post: the account's posts are checked first, then it is sent if absent.")
  int retry(
      @Parameters(
              paramLabel = "SOURCE",
              description = "scheduled_post, production_post or company_post")
          String source,
      @Parameters(paramLabel = "ID") UUID id) {
    PostRef ref = ref(source, id);
    if (ref == null) {
      return 2;
    }
    return report(ref, "retried", with((ops, jobs) -> ops.retry(ref, jobs)));
  }

  @Command(
      name = "cancel",
      description = "Cancel a waiting (or failed) post; its job is cancelled.")
  int cancel(
      @Parameters(paramLabel = "SOURCE") String source, @Parameters(paramLabel = "ID") UUID id) {
    PostRef ref = ref(source, id);
    if (ref == null) {
      return 2;
    }
    return report(ref, "cancelled", with((ops, jobs) -> ops.cancel(ref)));
  }

  private static PostRef ref(String source, UUID id) {
    try {
      return new PostRef(source, id);
    } catch (IllegalArgumentException e) {
      System.err.println("tributary: " + e.getMessage());
      return null;
    }
  }

  private static int report(PostRef ref, String done, boolean changed) {
    if (changed) {
      System.out.printf("%s %s%n", ref, done);
      return 0;
    }
    System.err.printf(
        "tributary: %s cannot be %s in its current status (see: tributary publishing list)%n",
        ref, done);
    return 1;
  }

  private static int print(List<PostView> posts) {
    PrintStream out = System.out;
    out.printf(
        "%-16s %-36s %-11s %-24s %-8s %s%n",
        "SOURCE", "ID", "STATUS", "DUE", "ATTEMPTS", "ERROR / TEXT");
    for (PostView p : posts) {
      out.printf(
          "%-16s %-36s %-11s %-24s %-8d %s%n",
          p.source(),
          p.id(),
          p.status(),
          p.dueAt(),
          p.attempts(),
          p.errorMessage() != null ? p.errorMessage() : p.preview().replace('\n', ' '));
    }
    out.printf("%d post(s)%n", posts.size());
    return 0;
  }

  private static <T> T with(BiFunction<PublishingOperations, Jobs, T> action) {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      return action.apply(
          new PublishingOperations(db.dataSource(), Clock.systemUTC()), new Jobs(db.dataSource()));
    }
  }
}
