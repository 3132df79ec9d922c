package dev.tributary.bench;

import dev.tributary.engine.chaos.ChaosReport;
import dev.tributary.engine.chaos.ChaosRun;
import dev.tributary.engine.chaos.ChaosScenarios;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import dev.tributary.engine.chaos.ChaosSettings;
import dev.tributary.node.chaos.AppChaosWorkload;
import java.util.List;

/**
 * {@code ./bench/run chaos [--jobs N] [--posts P]} (defaults 100,000 jobs, N/20 posts): three whole
 * Tributary node JVMs on one durable embedded PostgreSQL under a steady load of N engine jobs, a
 * one-second schedule, P posts carried through the enrichment cascade and a search load on the
 * nodes' HTTP API, through six faults in turn (SIGKILL of the busiest node, a PostgreSQL restart, a
 * PostgreSQL crash with WAL recovery, pg_terminate_backend on a node's connections, a 10 s
 * transaction holding hot rows, a node's full pool). Each job handler records its execution (job
 * id, attempt, node) in its own transaction after its work, so a second row for a job means the job
 * ran again after its handler had returned; a trigger counts every store of a cascade step per
 * post. Prints one line per fault, the cron, cascade and search lines, then {@code chaos:
 * scenarios=<n> lost=<l> duplicated=<d> max_recovery_s=<r>} followed by the cascade and search
 * counts.
 */
public final class ChaosBench {
  private ChaosBench() {}

  public static void main(String[] args) throws Exception {
    int jobs = 100_000;
    Integer posts = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
        case "--posts" -> posts = Integer.parseInt(args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + "; accepted: --jobs N, --posts P");
      }
    }
    AppChaosWorkload app = new AppChaosWorkload(posts != null ? posts : Math.max(100, jobs / 20));
    try (ChaosRun run = new ChaosRun(ChaosSettings.bench(jobs), app)) {
      run.start();
      List<Scenario> scenarios = new ChaosScenarios(run).runAll();
      ChaosReport report = ChaosReport.of(run, scenarios);
      report.allLines(scenarios.size()).forEach(System.out::println);
    }
    System.exit(0);
  }
}
