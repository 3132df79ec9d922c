package dev.tributary.cli;

import dev.tributary.ai.AiProviders;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.node.TributaryNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    description = "Run the HTTP API, the scheduler and the workers until stopped.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "HTTP port (default: PORT, else 8080).")
  Integer port;

  @Option(
      names = "--node-id",
      description =
          "This node's name in leases and logs (default: TRIBUTARY_NODE_ID, else host-pid).")
  String nodeId;

  @Option(
      names = "--worker-threads",
      description =
          "Jobs of the default queue run at once on this node (default: TRIBUTARY_WORKER_THREADS, else "
              + dev.tributary.engine.QueueConfig.DEFAULT_CONCURRENCY
              + ").")
  Integer workerThreads;

  @Override
  public Integer call() throws InterruptedException {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    if (port != null) {
      config = config.withPort(port);
    }
    TributaryNode.Options defaults = TributaryNode.Options.defaults(config);
    TributaryNode.Options options =
        new TributaryNode.Options(
            nodeId != null ? nodeId : defaults.nodeId(),
            workerThreads != null ? workerThreads : defaults.workerThreads(),
            defaults.port());
    // the shutdown hook below stops the embedded server itself, after the node is done with it
    Database db = Database.open(config, false);
    AtomicReference<TributaryNode> node = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              stopAll(node.get(), db);
              stopped.countDown();
            },
            "tributary-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      db.migrate();
      node.set(
          TributaryNode.start(
              config, db.dataSource(), db.webDataSource(), options, AiProviders.from(config)));
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      stopAll(node.get(), db);
      throw e;
    }
    System.out.printf(
        "tributary serving on http://localhost:%d (%s), engine node %s%n",
        node.get().port(), db.description(), node.get().engine().nodeId());
    stopped.await();
    return 0;
  }

  private static void stopAll(TributaryNode node, Database db) {
    if (node != null) {
      node.close();
    }
    db.close();
  }
}
