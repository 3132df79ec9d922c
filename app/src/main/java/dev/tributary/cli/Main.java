package dev.tributary.cli;

import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tributary} command line. */
@Command(
    name = "tributary",
    mixinStandardHelpOptions = true,
    version = "tributary 0.1.0",
    description = "Sync-and-enrichment engine on PostgreSQL.",
    subcommands = {
      ServeCommand.class,
      MigrateCommand.class,
      StatusCommand.class,
      DemoCommand.class,
      JobsCommand.class,
      PublishingCommand.class,
      QueuesCommand.class,
      ProfilesCommand.class,
      SyncProfilesCommand.class,
      VectorizeCommand.class,
      SuppliersCommand.class,
      EngagementCommand.class
    })
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          Throwable root = e;
          while (!(root instanceof StartupException)
              && root.getCause() != null
              && root.getCause() != root) {
            root = root.getCause();
          }
          if (root instanceof StartupException) {
            cmd.getErr().println("tributary: " + root.getMessage());
            return 2;
          }
          cmd.getErr()
              .println(
                  "tributary: unexpected error: "
                      + e
                      + " (set TRIBUTARY_DEBUG=1 for the stack trace)");
          if (TributaryConfig.debugRequested()) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return cli.execute(args);
  }
}
