package dev.tributary.bench;

import dev.tributary.engine.chaos.ChaosReport;
import dev.tributary.engine.chaos.ChaosRun;
import dev.tributary.engine.chaos.ChaosScenarios;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import dev.tributary.engine.chaos.ChaosSettings;
import java.util.List;

/**
 * {@code ./bench/run chaos [--jobs N]} (default 100,000): three node JVMs on one durable embedded
 * PostgreSQL under a steady load of N jobs and a one-second schedule, through five faults in turn
 * (SIGKILL of the busiest node, a PostgreSQL restart, pg_terminate_backend on a node's connections,
 * a 10 s transaction holding hot rows, a node's full pool). Each handler records its execution (job
 * id, attempt, node) in its own transaction after its work, so a second row for a job means the job
 * ran again after its handler had returned. Prints one line per fault, then {@code chaos:
 * scenarios=<n> lost=<l> duplicated=<d> max_recovery_s=<r>}.
 */
public final class ChaosBench {
  private ChaosBench() {}

  public static void main(String[] args) throws Exception {
    int jobs = 100_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--jobs")) {
        jobs = Integer.parseInt(args[i + 1]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i] + "; accepted: --jobs N");
      }
    }
    try (ChaosRun run = new ChaosRun(ChaosSettings.bench(jobs))) {
      run.start();
      List<Scenario> scenarios = new ChaosScenarios(run).runAll();
      ChaosReport report = ChaosReport.of(run, scenarios);
      System.out.println("jobs enqueued: " + report.enqueued());
      report.lines().forEach(System.out::println);
      System.out.printf(
          "cron: ticks missed=%d (while PostgreSQL was down=%d) doubled=%d;"
              + " tick jobs run again (at-least-once)=%d%n",
          report.ticksMissed(),
          report.ticksMissed() - report.ticksMissedOutsideOutage(),
          report.ticksDoubled(),
          report.tickJobsRerun());
      System.out.printf(
          "duplicated=%d, of which outside the at-least-once window=%d; all recovered=%s%n",
          report.duplicated(), report.unexplainedDuplicates(), report.allRecovered());
      System.out.println(report.lastLine(scenarios.size()));
    }
    System.exit(0);
  }
}
