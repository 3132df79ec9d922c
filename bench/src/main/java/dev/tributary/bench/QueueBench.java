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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
        double[] latency = latency(trib, samples);
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

  /**
   * Enqueue one job at a time on an idle engine and time how long until its handler starts. The
   * bench thread blocks on a latch (it must not spin: on a 2-core machine a spinning waiter takes
   * the core the engine's threads and PostgreSQL need). Returns p50 and p99 from the enqueue call
   * (its commit included) and from its return, and the collections during the samples.
   */
  static double[] latency(HikariDataSource ds, int samples) throws Exception {
    execute(ds, "TRUNCATE tributary.jobs");
    AtomicLong startedAt = new AtomicLong();
    AtomicReference<CountDownLatch> started = new AtomicReference<>(new CountDownLatch(1));
    Engine engine =
        Engine.builder(ds)
            .nodeId("latency")
            .queue("default", 2)
            .handler(
                "ping",
                ctx -> {
                  startedAt.set(System.nanoTime());
                  started.get().countDown();
                })
            .runCron(false)
            .build()
            .start();
    Jobs jobs = new Jobs(ds);
    double[] ms = new double[samples];
    double[] afterCommit = new double[samples];
    double[] notifyMs = new double[samples];
    double[] commitMs = new double[samples];
    double[] claimToStart = new double[samples];
    AtomicLong notifiedAt = new AtomicLong();
    // a second LISTEN connection of the bench's own, to split the path: PostgreSQL's delivery of
    // the NOTIFY against the engine's wake-up, claim and dispatch after it
    Connection listen = ds.getConnection();
    try (Statement st = listen.createStatement()) {
      st.execute("LISTEN tributary_jobs");
    }
    Thread watcher =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    var pg = listen.unwrap(org.postgresql.PGConnection.class);
                    while (!Thread.currentThread().isInterrupted()) {
                      var notes = pg.getNotifications(200);
                      if (notes != null && notes.length > 0) {
                        notifiedAt.compareAndSet(0, System.nanoTime());
                      }
                    }
                  } catch (SQLException e) {
                    // closed at the end
                  }
                });
    long gcBefore = 0;
    try {
      Thread.sleep(500); // let the engine settle into its idle wait
      for (int i = 0; i < samples + 20; i++) {
        if (i == 20) {
          gcBefore = gcCount();
        }
        CountDownLatch latch = new CountDownLatch(1);
        started.set(latch);
        startedAt.set(0);
        notifiedAt.set(0);
        long t0 = System.nanoTime();
        jobs.enqueue("ping", Map.of());
        long committed = System.nanoTime();
        if (!latch.await(5, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a job did not start within 5 s");
        }
        if (i >= 20) { // the first few warm up the path
          ms[i - 20] = (startedAt.get() - t0) / 1e6;
          afterCommit[i - 20] = (startedAt.get() - committed) / 1e6;
          commitMs[i - 20] = (committed - t0) / 1e6;
          long n = notifiedAt.get();
          notifyMs[i - 20] = n == 0 ? Double.NaN : (n - committed) / 1e6;
          claimToStart[i - 20] = n == 0 ? Double.NaN : (startedAt.get() - n) / 1e6;
        }
        Thread.sleep(20); // idle again before the next one
      }
    } finally {
      engine.close();
      watcher.interrupt();
      watcher.join(1_000);
      listen.close();
    }
    System.out.printf(
        Locale.ROOT,
        "  split: the enqueue call (its durable commit) p50=%.2f p99=%.2f ms; commit -> NOTIFY seen"
            + " by a LISTEN connection of the bench p50=%.2f p99=%.2f ms; NOTIFY seen -> handler"
            + " start p50=%.2f p99=%.2f ms%n",
        percentile(commitMs, 0.50),
        percentile(commitMs, 0.99),
        percentile(notifyMs, 0.50),
        percentile(notifyMs, 0.99),
        percentile(claimToStart, 0.50),
        percentile(claimToStart, 0.99));
    if (verbose) {
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      System.out.printf(
          "  slowest starts (ms): %s%n",
          Arrays.toString(Arrays.copyOfRange(sorted, Math.max(0, samples - 8), samples)));
    }
    return new double[] {
      percentile(ms, 0.50),
      percentile(ms, 0.99),
      percentile(afterCommit, 0.50),
      percentile(afterCommit, 0.99),
      gcCount() - gcBefore
    };
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static double percentile(double[] values, double p) {
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

  private static void execute(DataSource ds, String sql) throws SQLException {
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
