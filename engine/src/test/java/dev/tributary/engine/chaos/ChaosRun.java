package dev.tributary.engine.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.NewJob;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;

/**
 * Three nodes on one PostgreSQL under a steady load of jobs and a one-second cron schedule (and an
 * application's {@link ChaosWorkload}, if given), then six faults in turn (see {@link
 * ChaosScenarios}); {@link ChaosReport} says what each cost.
 */
public final class ChaosRun implements AutoCloseable {
  public static final String KIND = "chaos_work";
  public static final String TICK = "chaos_tick";
  static final String SCHEDULE = "chaos-tick";

  final ChaosSettings settings;
  final ChaosWorkload workload;
  final ChaosServer server;
  final HikariDataSource db;
  final ChaosNodes nodes;
  final Throughput throughput;
  private final AtomicBoolean feeding = new AtomicBoolean(true);
  final AtomicLong enqueued = new AtomicLong();
  private Thread feeder;
  private int nextNode = 1;

  public ChaosRun(ChaosSettings settings) {
    this(settings, ChaosWorkload.ENGINE_ONLY);
  }

  /** With an application's schema, node JVM and load beside the engine's jobs. */
  public ChaosRun(ChaosSettings settings, ChaosWorkload workload) {
    this.settings = settings;
    this.workload = workload;
    this.server = new ChaosServer();
    Flyway.configure()
        .dataSource(server.jdbcUrl(), "postgres", "")
        .locations(workload.migrations())
        .load()
        .migrate();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.jdbcUrl());
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(2_000);
    config.addDataSourceProperty("ApplicationName", "chaos-harness");
    this.db = new HikariDataSource(config);
    execute(
        """
        CREATE TABLE chaos_runs (
          id bigserial PRIMARY KEY, job_id bigint NOT NULL, attempt int NOT NULL,
          node text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE INDEX chaos_runs_job ON chaos_runs (job_id)""");
    new Schedules(db, Clock.systemUTC(), new Jobs(db))
        .put(Schedule.of(SCHEDULE, "1 seconds", "UTC", TICK, Map.of()));
    workload.prepare(this);
    this.nodes = new ChaosNodes(server.jdbcUrl(), settings, workload.nodeMain());
    this.throughput = new Throughput(db);
  }

  /** Starts the nodes, the feeder and the throughput sampler. */
  public void start() {
    for (int i = 0; i < 3; i++) {
      startNode();
    }
    throughput.start();
    feeder = new Thread(this::feed, "chaos-feeder");
    feeder.setDaemon(true);
    feeder.start();
    workload.start(this);
  }

  public ChaosSettings settings() {
    return settings;
  }

  /** The harness's own pool on the chaos database (4 connections). */
  public javax.sql.DataSource dataSource() {
    return db;
  }

  /** The nodes alive now, by name. */
  public List<String> liveNodes() {
    return nodes.names().stream().filter(nodes::alive).toList();
  }

  /** What a node printed when it was ready: {@code READY <node> …}, e.g. its HTTP port. */
  public String readyLine(String node) {
    return nodes.readyLine(node);
  }

  String startNode() {
    String name = "node-" + nextNode++;
    nodes.start(name);
    return name;
  }

  /**
   * Enqueues the jobs in batches spread over the planned run; a batch whose commit failed (the
   * server went away) is tried again, so every counted job was committed.
   */
  private void feed() {
    Jobs jobs = new Jobs(db);
    int perTick = Math.max(1, (int) (settings.jobs() / settings.plannedSeconds() / 10));
    long n = 0;
    while (feeding.get()) {
      List<NewJob> batch = new ArrayList<>();
      for (int i = 0; i < perTick; i++) {
        batch.add(NewJob.of(KIND, Map.of("n", n + i)));
      }
      try {
        jobs.enqueueMany(batch);
        n += perTick;
        enqueued.addAndGet(perTick);
        if (n >= settings.jobs()) {
          feeding.set(false);
        }
      } catch (RuntimeException e) {
        // the server is down or the connection was cut: the same batch again
      }
      sleep(100);
    }
  }

  /** Enqueues a burst of jobs at once, so that the nodes hold many in flight and a backlog. */
  void burst(int count) {
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(NewJob.of(KIND, Map.of("burst", i)));
    }
    new Jobs(db).enqueueMany(batch);
    enqueued.addAndGet(count);
  }

  /** Waits until the feeder has enqueued all its jobs (it may lag the plan under load). */
  void stopFeeding() throws InterruptedException {
    feeder.join(settings.recoveryLimit().toMillis() * 5);
    feeding.set(false);
    feeder.join(10_000);
  }

  public int queryInt(String sql, Object... params) {
    return (int) queryLong(sql, params);
  }

  public long queryLong(String sql, Object... params) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("chaos query failed: " + sql, e);
    }
  }

  public void execute(String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("chaos statement failed: " + sql, e);
    }
  }

  public static Instant now() {
    return Instant.now();
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    feeding.set(false);
    workload.close();
    throughput.close();
    nodes.close();
    db.close();
    server.close();
  }
}
