package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.web.WebServer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Run the HTTP API, the scheduler and the workers until stopped.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "HTTP port (default: PORT, else 8080).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    if (port != null) {
      config = config.withPort(port);
    }
    Database db = Database.open(config);
    db.migrate();
    WebServer web = WebServer.start(config.port(), db.dataSource(), List.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      web.close();
      db.close();
      stopped.countDown();
    }, "tributary-shutdown"));
    System.out.printf("tributary serving on http://localhost:%d (%s)%n", web.port(), db.description());
    stopped.await();
    return 0;
  }
}
