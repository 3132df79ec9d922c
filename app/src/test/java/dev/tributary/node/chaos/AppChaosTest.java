package dev.tributary.node.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.chaos.ChaosReport;
import dev.tributary.engine.chaos.ChaosRun;
import dev.tributary.engine.chaos.ChaosScenarios;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import dev.tributary.engine.chaos.ChaosSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run with the app's load: three whole Tributary nodes on one durable PostgreSQL
 * run the engine's chaos jobs, carry posts through the enrichment cascade and answer searches,
 * through SIGKILL, a PostgreSQL restart and crash, cut connections, held row locks and a full pool.
 * The long run is {@code ./bench/run chaos}.
 */
class AppChaosTest {
  @Test
  void the_cascade_loses_no_post_and_runs_none_twice_and_search_answers_again_after_each_fault()
      throws Exception {
    AppChaosWorkload app = new AppChaosWorkload(400);
    try (ChaosRun run = new ChaosRun(ChaosSettings.small().withNodeHeapMb(160), app)) {
      run.start();
      List<Scenario> scenarios = new ChaosScenarios(run).runAll();
      ChaosReport report = ChaosReport.of(run, scenarios);
      report.allLines(scenarios.size()).forEach(System.out::println);

      assertThat(scenarios).hasSize(6);
      assertThat(report.allRecovered()).isTrue();
      assertThat(report.lost()).isZero();
      assertThat(report.unexplainedDuplicates()).isZero();
      // ticks missed are reported, not asserted: a one-second schedule whose every cron loop was
      // more than a second late fires once for the late ticks (the documented misfire policy)
      assertThat(report.ticksDoubled()).isZero();
      assertThat(report.lines())
          .anySatisfy(line -> assertThat(line).contains("restart-postgres").contains("'shut down'"))
          .anySatisfy(
              line -> assertThat(line).contains("crash-postgres").contains("'in production'"));
      assertThat(app.cascadePosts()).isEqualTo(400);
      assertThat(app.cascadeLost()).isZero();
      assertThat(app.cascadeTwice()).isZero();
      // the counter sees every step (hook, embedding, hook type, topic, audience) of every post
      assertThat(app.cascadeStores()).isEqualTo(5 * 400);
      assertThat(app.searchAnsweredAfterEveryFault()).isTrue();
      assertThat(app.searchHits()).isPositive();
    }
  }
}
