package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.QueueConfig;
import dev.tributary.web.OrchestratorRoutes;
import dev.tributary.web.WebServer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Run the HTTP API, the scheduler and the workers until stopped.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "HTTP port (default: PORT, else 8080).")
  Integer port;

  @Option(names = "--node-id", description = "This node's name in leases and logs (default: TRIBUTARY_NODE_ID, else host-pid).")
  String nodeId;

  @Option(names = "--worker-threads", description = "Jobs of the default queue run at once on this node (default: TRIBUTARY_WORKER_THREADS, else "
      + QueueConfig.DEFAULT_CONCURRENCY + ").")
  Integer workerThreads;

  @Override
  public Integer call() throws InterruptedException {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    if (port != null) {
      config = config.withPort(port);
    }
    // the shutdown hook below stops the embedded server itself, after the engine is done with it
    Database db = Database.open(config, false);
    AtomicReference<Engine> engine = new AtomicReference<>();
    AtomicReference<WebServer> web = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown = new Thread(() -> {
      stopAll(web.get(), engine.get(), db);
      stopped.countDown();
    }, "tributary-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      db.migrate();
      engine.set(engine(config, db).start());
      web.set(WebServer.start(config.port(), db.dataSource(),
          List.of(new OrchestratorRoutes(db.dataSource(), engine.get().clock(), engine.get().metrics(), config))));
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      stopAll(web.get(), engine.get(), db);
      throw e;
    }
    System.out.printf("tributary serving on http://localhost:%d (%s), engine node %s%n",
        web.get().port(), db.description(), engine.get().nodeId());
    stopped.await();
    return 0;
  }

  private static void stopAll(WebServer web, Engine engine, Database db) {
    if (web != null) {
      web.close();
    }
    if (engine != null) {
      engine.close(); // graceful: running jobs get the shutdown deadline to finish, then are given back
    }
    db.close();
  }

  private Engine engine(TributaryConfig config, Database db) {
    int threads = workerThreads != null ? workerThreads
        : Integer.parseInt(config.get("TRIBUTARY_WORKER_THREADS", String.valueOf(QueueConfig.DEFAULT_CONCURRENCY)));
    var builder = Engine.builder(db.dataSource())
        .clock(Clock.systemUTC())
        .queue(QueueConfig.of(EnqueueOptions.DEFAULT_QUEUE, threads));
    String id = nodeId != null ? nodeId : config.get("TRIBUTARY_NODE_ID").orElse(null);
    if (id != null) {
      builder.nodeId(id);
    }
    return builder.build();
  }
}
