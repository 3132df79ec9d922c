package dev.tributary.engine;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker node for {@link CrashRecoveryTest}, run in its own JVM: it claims "crash_me" jobs, says
 * so on stdout, and blocks until the test kills it with SIGKILL.
 */
public final class CrashingWorkerMain {
  private CrashingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    HikariDataSource db = new HikariDataSource(config);
    Engine.builder(db)
        .nodeId("doomed")
        .pollInterval(Duration.ofMillis(50))
        .leaseDuration(Duration.ofSeconds(2))
        .heartbeatInterval(Duration.ofMillis(300))
        .maintenanceInterval(Duration.ofMillis(100))
        .handler(
            "crash_me",
            ctx -> {
              System.out.println("STARTED " + ctx.jobId());
              System.out.flush();
              new CountDownLatch(1).await();
            })
        .build()
        .start();
    new CountDownLatch(1).await();
  }
}
