package dev.tributary.pipelines.publishing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.PublishingSettings;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.QueueConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A publishing node for {@link PublishingCrashTest}, run in its own JVM: arguments are the JDBC
 * URL, the Unipile sandbox's base URL and its key. It publishes due posts with a 60 s call timeout,
 * says READY on stdout, and runs until the test kills it with SIGKILL.
 */
public final class PublishingWorkerMain {
  private PublishingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    HikariDataSource db = new HikariDataSource(config);
    PublishingSettings settings =
        new PublishingSettings(
            Optional.of(args[2]),
            Optional.of(args[1]),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            1024 * 1024,
            1,
            PublishingSettings.DEFAULT_CYCLE_CRON);
    Clock clock = Clock.systemUTC();
    PublishingModule module = PublishingModule.create(settings, db, clock, "doomed");
    EngineBuilder builder =
        Engine.builder(db)
            .nodeId("doomed")
            .clock(clock)
            .pollInterval(Duration.ofMillis(50))
            .leaseDuration(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofMillis(300))
            .maintenanceInterval(Duration.ofMillis(100))
            .queue(QueueConfig.of(PublishingJobs.QUEUE, 1));
    module.register(builder);
    Engine engine = builder.build();
    module.jobs().jobs(engine.jobs());
    engine.start();
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
