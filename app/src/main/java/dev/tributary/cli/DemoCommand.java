package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.demo.Demo;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "demo",
    description =
        "Run the whole profile pipeline on SYNTHETIC data: no key, no network."
            + " A local LinkedIn sandbox, a sync as an engine job, the six enrichment workers, a search;"
            + " a few posts published on time through a local Unipile sandbox; a supplier catalogue"
            + " synced in full then incrementally; SYNTHETIC tweets moving through the engagement"
            + " tiers; then what happened.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() throws SQLException, InterruptedException {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    Terminal.quietLogs(config.node());
    return new Demo(config, System.out, Terminal.interactive()).run();
  }
}
