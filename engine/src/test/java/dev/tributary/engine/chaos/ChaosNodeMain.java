package dev.tributary.engine.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.QueueConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One node of the chaos cluster, run in its own JVM: an engine on the given database whose handlers
 * record each execution (job id, attempt, node) in {@code chaos_runs}, in their own transaction.
 *
 * <p>Arguments ({@link Args}): {@code jdbcUrl nodeName concurrency poolSize leaseMillis
 * workMillis}. Reads commands on stdin: {@code HOG <millis>} takes every connection of its own pool
 * and holds them that long (a saturated pool). Prints {@code READY <node>} once started. An app's
 * node main (a {@link ChaosWorkload}'s) reuses the pieces: {@link #pool}, {@link #configure} and
 * {@link #serveCommands}.
 */
public final class ChaosNodeMain {
  private ChaosNodeMain() {}

  /** A node's arguments, as {@link ChaosNodes} passes them. */
  public record Args(
      String url, String node, int concurrency, int poolSize, Duration lease, long workMillis) {
    public static Args parse(String[] args) {
      return new Args(
          args[0],
          args[1],
          Integer.parseInt(args[2]),
          Integer.parseInt(args[3]),
          Duration.ofMillis(Long.parseLong(args[4])),
          Long.parseLong(args[5]));
    }
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    HikariDataSource db = pool(args);
    Engine engine =
        configure(
                Engine.builder(db)
                    .nodeId(args.node())
                    .queue(new QueueConfig("default", args.concurrency(), args.concurrency() * 2)),
                db,
                args)
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
    System.out.println("READY " + args.node());
    System.out.flush();
    serveCommands(db, args.poolSize());
  }

  /**
   * The node's pool: {@code ApplicationName=chaos-<node>}, so that the harness finds (and cuts) its
   * connections.
   */
  public static HikariDataSource pool(Args args) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args.url());
    config.setUsername("postgres");
    config.setMaximumPoolSize(args.poolSize());
    config.setConnectionTimeout(2_000);
    config.addDataSourceProperty("ApplicationName", "chaos-" + args.node());
    config.setPoolName("chaos-" + args.node());
    return new HikariDataSource(config);
  }

  /** The chaos handlers and the short lease, polling and maintenance of a chaos node. */
  public static EngineBuilder configure(EngineBuilder builder, DataSource db, Args args) {
    return builder
        .pollInterval(Duration.ofMillis(200))
        .leaseDuration(args.lease())
        .heartbeatInterval(args.lease().dividedBy(4))
        .maintenanceInterval(Duration.ofMillis(500))
        .handler(ChaosRun.KIND, ctx -> record(db, ctx, args.node(), args.workMillis()))
        .handler(ChaosRun.TICK, ctx -> record(db, ctx, args.node(), 0));
  }

  /** Reads the harness's commands on stdin until it closes. */
  public static void serveCommands(HikariDataSource db, int poolSize) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("HOG ")) {
        hog(db, poolSize, Long.parseLong(line.substring(4).trim()));
      }
    }
  }

  private static void record(DataSource db, JobContext ctx, String node, long workMillis)
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
