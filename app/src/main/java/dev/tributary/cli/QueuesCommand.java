package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.engine.QueueInfo;
import dev.tributary.engine.Queues;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tributary queues list|pause|resume}: the cluster-wide queue controls. */
@Command(
    name = "queues",
    description = "List, pause and resume queues (for every node).",
    mixinStandardHelpOptions = true)
final class QueuesCommand {

  @Command(name = "list", description = "Queues with their depth, pause state and rate limit.")
  int list() {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      List<QueueInfo> all = new Queues(db.dataSource(), Clock.systemUTC()).list();
      System.out.printf(
          "%-20s %-7s %-16s %10s %10s %10s %10s%n",
          "QUEUE", "PAUSED", "RATE LIMIT", "AVAILABLE", "SCHEDULED", "RUNNING", "DEAD");
      for (QueueInfo q : all) {
        String rate =
            q.rateLimit() == null ? "-" : q.rateLimit() + "/" + q.rateInterval().toSeconds() + "s";
        System.out.printf(
            "%-20s %-7s %-16s %10d %10d %10d %10d%n",
            q.name(),
            q.paused() ? "yes" : "no",
            rate,
            q.available(),
            q.scheduled(),
            q.running(),
            q.dead());
      }
      return 0;
    }
  }

  @Command(name = "pause", description = "Stop every node from starting jobs of this queue.")
  int pause(@Parameters(paramLabel = "QUEUE") String queue) {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      new Queues(db.dataSource(), Clock.systemUTC()).pause(queue);
      System.out.printf("queue %s paused%n", queue);
      return 0;
    }
  }

  @Command(name = "resume", description = "Let every node start jobs of this queue again.")
  int resume(@Parameters(paramLabel = "QUEUE") String queue) {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      new Queues(db.dataSource(), Clock.systemUTC()).resume(queue);
      System.out.printf("queue %s resumed%n", queue);
      return 0;
    }
  }
}
