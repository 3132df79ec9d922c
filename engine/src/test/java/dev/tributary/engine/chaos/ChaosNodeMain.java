package dev.tributary.engine.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Engine;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.QueueConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of the chaos cluster, run in its own JVM: an engine on the given database whose handlers
 * record each execution (job id, attempt, node) in {@code chaos_runs}, in their own transaction.
 *
 * <p>Arguments: {@code jdbcUrl nodeName concurrency poolSize leaseMillis workMillis}. Reads
 * commands on stdin: {@code HOG <millis>} takes every connection of its own pool and holds them
 * that long (a saturated pool). Prints {@code READY} once started.
 */
public final class ChaosNodeMain {
  private ChaosNodeMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String node = args[1];
    int concurrency = Integer.parseInt(args[2]);
    int poolSize = Integer.parseInt(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    long workMillis = Long.parseLong(args[5]);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(2_000);
    config.addDataSourceProperty("ApplicationName", "chaos-" + node);
    config.setPoolName("chaos-" + node);
    HikariDataSource db = new HikariDataSource(config);
    Engine engine =
        Engine.builder(db)
            .nodeId(node)
            .queue(new QueueConfig("default", concurrency, concurrency * 2))
            .pollInterval(Duration.ofMillis(200))
            .leaseDuration(lease)
            .heartbeatInterval(lease.dividedBy(4))
            .maintenanceInterval(Duration.ofMillis(500))
            .handler("chaos_work", ctx -> record(db, ctx, node, workMillis))
            .handler("chaos_tick", ctx -> record(db, ctx, node, 0))
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
    System.out.println("READY " + node);
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("HOG ")) {
        hog(db, poolSize, Long.parseLong(line.substring(4).trim()));
      }
    }
  }

  private static void record(HikariDataSource db, JobContext ctx, String node, long workMillis)
      throws SQLException, InterruptedException {
    if (workMillis > 0) {
      Thread.sleep(workMillis);
    }
    // written last: a second row for a job means its handler had returned before the crash
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO chaos_runs (job_id, attempt, node) VALUES (?, ?, ?)")) {
      s.setLong(1, ctx.jobId());
      s.setInt(2, ctx.attempt());
      s.setString(3, node);
      s.executeUpdate();
    }
  }

  /** Takes every free connection of the pool (waiting for busy ones) and holds them. */
  private static void hog(HikariDataSource db, int poolSize, long millis) {
    List<Connection> held = new ArrayList<>();
    long until = System.currentTimeMillis() + millis;
    try {
      while (held.size() < poolSize && System.currentTimeMillis() < until) {
        try {
          held.add(db.getConnection());
        } catch (SQLException busy) {
          // the engine holds it; try again until the pool is ours or the time is up
        }
      }
      System.out.println("HOGGED " + held.size());
      System.out.flush();
      long left = until - System.currentTimeMillis();
      if (left > 0) {
        Thread.sleep(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Connection c : held) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // returned to a pool that may have dropped it already
        }
      }
      System.out.println("RELEASED");
      System.out.flush();
    }
  }
}
