package dev.tributary.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineSchema;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.NewJob;
import dev.tributary.engine.QueueConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * {@code ./bench/run queue [--jobs N] [--threads T] [--runs R] [--fetch-per-thread F] [--durable
 * 0|1] [--latency-samples S] [--throughput 0] [--verbose 1]}
 *
 * <p>Defaults: 40,000 jobs, 8 threads, 32 jobs fetched ahead per thread, 5 runs per side, durable
 * commits (fsync and synchronous_commit on; {@code --durable 0} turns them off on both sides).
 *
 * <p>Drains N pre-inserted no-op jobs with Tributary and with db-scheduler (lock-and-fetch polling)
 * on the same embedded PostgreSQL, the same number of worker threads, in interleaved runs, and
 * reports the medians. Then measures enqueue-to-start latency on an idle Tributary engine woken by
 * NOTIFY. A run ends when every job is recorded as done in the database (completed rows for
 * Tributary, deleted rows for db-scheduler), not when the handlers return.
 */
public final class QueueBench {
  private static final String DB_SCHEDULER_DDL =
      """
      CREATE TABLE scheduled_tasks (
        task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,
        execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,
        last_success timestamptz, last_failure timestamptz, consecutive_failures int,
        last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,
        PRIMARY KEY (task_name, task_instance));
      CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
      CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
      CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)""";

  /** db-scheduler's lock-and-fetch fetches when this fraction of its threads is free. */
  static final double DB_SCHEDULER_LOWER_LIMIT = 0.5;

  /**
   * Jobs fetched ahead per worker thread, the same budget on both sides: db-scheduler's
   * lock-and-fetch upper limit and Tributary's prefetch.
   */
  static int fetchPerThread = 32;

  static boolean verbose;

  private QueueBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> opts = options(args);
    int jobs = opts.getOrDefault("jobs", 40_000);
    int threads = opts.getOrDefault("threads", 8);
    int runs = opts.getOrDefault("runs", 5);
    int samples = opts.getOrDefault("latency-samples", 300);
    fetchPerThread = opts.getOrDefault("fetch-per-thread", fetchPerThread);
    verbose = opts.getOrDefault("verbose", 0) == 1;
    boolean throughput = opts.getOrDefault("throughput", 1) == 1;

    boolean durable = opts.getOrDefault("durable", 1) == 1;
    EmbeddedPostgres.Builder server =
        EmbeddedPostgres.builder().setServerConfig("max_connections", "200");
    if (durable) {
      // a queue's promises rest on commits that survive a crash: measure with PostgreSQL's own
      // defaults,
      // not the embedded server's test settings (fsync and synchronous_commit off)
      server.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    try (EmbeddedPostgres pg = server.start()) {
      createDatabase(pg, "trib");
      createDatabase(pg, "dbs");
      String tribUrl = pg.getJdbcUrl("postgres", "trib");
      String dbsUrl = pg.getJdbcUrl("postgres", "dbs");
      Flyway.configure()
          .dataSource(tribUrl, "postgres", "")
          .locations(EngineSchema.MIGRATIONS)
          .load()
          .migrate();
      try (HikariDataSource trib = pool(tribUrl, threads + 6);
          HikariDataSource dbs = pool(dbsUrl, threads + 6)) {
        execute(dbs, DB_SCHEDULER_DDL);
        System.out.printf(
            "queue bench: %d no-op jobs, %d worker threads, up to %d jobs fetched ahead per thread,"
                + " %d interleaved runs per side; %s%n",
            jobs, threads, fetchPerThread, runs, settings(trib));
        double tm = Double.NaN;
        double dm = Double.NaN;
        if (throughput) {
          // one untimed round each to warm up the JIT and the server's caches
          runTributary(trib, Math.min(jobs, 5_000), threads);
          runDbScheduler(dbs, Math.min(jobs, 5_000), threads);
          double[] t = new double[runs];
          double[] d = new double[runs];
          for (int r = 0; r < runs; r++) {
            t[r] = runTributary(trib, jobs, threads);
            d[r] = runDbScheduler(dbs, jobs, threads);
            System.out.printf(
                "run %d: tributary %,.0f jobs/s, db-scheduler %,.0f jobs/s%n", r + 1, t[r], d[r]);
          }
          tm = median(t);
          dm = median(d);
        }
        double[] latency = StartLatency.measure(trib, samples, verbose);
        System.out.printf(
            "enqueue-to-start on an idle engine (NOTIFY, %d samples, %.0f collections meanwhile):"
                + " p50=%.2f ms p99=%.2f ms (from the enqueue call, its commit included);"
                + " from the commit: p50=%.2f ms p99=%.2f ms%n",
            samples, latency[4], latency[0], latency[1], latency[2], latency[3]);
        System.out.printf(
            Locale.ROOT,
            "queue-throughput: tributary=%.0f/s db-scheduler=%.0f/s ratio=%.2f start_p50_ms=%.2f"
                + " start_p99_ms=%.2f load=%s%n",
            tm,
            dm,
            tm / dm,
            latency[0],
            latency[1],
            CpuTime.loadAverage());
      }
    }
  }

  static double runTributary(HikariDataSource ds, int n, int threads) throws Exception {
    execute(ds, "TRUNCATE tributary.jobs");
    Jobs jobs = new Jobs(ds);
    List<NewJob> chunk = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      chunk.add(NewJob.of("noop", Map.of("i", i)));
      if (chunk.size() == 5_000 || i == n - 1) {
        jobs.enqueueMany(chunk);
        chunk.clear();
      }
    }
    execute(ds, "VACUUM ANALYZE tributary.jobs");
    CountDownLatch ran = new CountDownLatch(n);
    Engine engine =
        Engine.builder(ds)
            .nodeId("bench")
            .queue(QueueConfig.of("default", threads, threads * fetchPerThread))
            .handler("noop", ctx -> ran.countDown())
            .runCron(false)
            .build();
    long t0 = System.nanoTime();
    engine.start();
    ran.await(10, TimeUnit.MINUTES);
    awaitZero(ds, "SELECT count(*) FROM tributary.jobs WHERE state <> 'completed'");
    long elapsed = System.nanoTime() - t0;
    engine.close();
    if (verbose) {
      var cd = engine.metrics().claimDuration();
      var cf = engine.metrics().completionFlush();
      System.out.printf(
          "  tributary: %d claims of %d jobs (%.3f s), %d completion writes (%.3f s), %.3f s in all%n",
          engine.metrics().claims(),
          engine.metrics().claimedJobs(),
          cd.sum(),
          cf.count(),
          cf.sum(),
          elapsed / 1e9);
    }
    return n / (elapsed / 1e9);
  }

  static double runDbScheduler(HikariDataSource ds, int n, int threads) throws Exception {
    execute(ds, "TRUNCATE scheduled_tasks");
    execute(
        ds,
        "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
            + " SELECT 'noop', g::text, now(), false, 1 FROM generate_series(1, "
            + n
            + ") g");
    execute(ds, "VACUUM ANALYZE scheduled_tasks");
    CountDownLatch ran = new CountDownLatch(n);
    OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, ctx) -> ran.countDown());
    Scheduler scheduler =
        Scheduler.create(ds, noop)
            .threads(threads)
            .pollUsingLockAndFetch(DB_SCHEDULER_LOWER_LIMIT, fetchPerThread)
            .pollingInterval(Duration.ofMillis(100))
            .build();
    long t0 = System.nanoTime();
    scheduler.start();
    ran.await(10, TimeUnit.MINUTES);
    awaitZero(ds, "SELECT count(*) FROM scheduled_tasks");
    long elapsed = System.nanoTime() - t0;
    scheduler.stop();
    return n / (elapsed / 1e9);
  }

  static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  static double percentile(double[] values, double p) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(sorted.length * p) - 1))];
  }

  private static void awaitZero(DataSource ds, String countSql) throws Exception {
    while (true) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(countSql)) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return;
        }
      }
      Thread.sleep(2);
    }
  }

  private static String settings(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version(), current_setting('fsync'), current_setting('synchronous_commit')")) {
      rs.next();
      String v = rs.getString(1);
      return v.substring(0, v.indexOf(' ', 11))
          + ", fsync="
          + rs.getString(2)
          + ", synchronous_commit="
          + rs.getString(3);
    }
  }

  private static void createDatabase(EmbeddedPostgres pg, String name) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  private static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.execute();
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  private static Map<String, Integer> options(String[] args) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      out.put(args[i].substring(2), Integer.parseInt(args[i + 1]));
    }
    return out;
  }
}
