package dev.tributary.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Engine;
import dev.tributary.engine.Jobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The queue bench's enqueue-to-start latency on an idle engine. */
final class StartLatency {
  private StartLatency() {}

  /**
   * Enqueue one job at a time on an idle engine and time how long until its handler starts. The
   * bench thread blocks on a latch (it must not spin: on a 2-core machine a spinning waiter takes
   * the core the engine's threads and PostgreSQL need). Returns p50 and p99 from the enqueue call
   * (its commit included) and from its return, and the collections during the samples.
   */
  static double[] measure(HikariDataSource ds, int samples, boolean verbose) throws Exception {
    QueueBench.execute(ds, "TRUNCATE tributary.jobs");
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
    Thread watcher = watcher(listen, notifiedAt);
    long gcBefore = 0;
    try {
      Thread.sleep(500); // let the engine settle into its idle wait
      for (int i = 0; i < samples + 20; i++) {
        if (i == 20) {
          gcBefore = QueueBench.gcCount();
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
    report(ms, commitMs, notifyMs, claimToStart, verbose);
    return new double[] {
      QueueBench.percentile(ms, 0.50),
      QueueBench.percentile(ms, 0.99),
      QueueBench.percentile(afterCommit, 0.50),
      QueueBench.percentile(afterCommit, 0.99),
      QueueBench.gcCount() - gcBefore
    };
  }

  /** Notes when PostgreSQL delivers the NOTIFY to a LISTEN connection of the bench's own. */
  private static Thread watcher(Connection listen, AtomicLong notifiedAt) {
    return Thread.ofPlatform()
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
  }

  private static void report(
      double[] ms, double[] commitMs, double[] notifyMs, double[] claimToStart, boolean verbose) {
    int samples = ms.length;
    System.out.printf(
        Locale.ROOT,
        "  split: the enqueue call (its durable commit) p50=%.2f p99=%.2f ms; commit -> NOTIFY seen"
            + " by a LISTEN connection of the bench p50=%.2f p99=%.2f ms; NOTIFY seen -> handler"
            + " start p50=%.2f p99=%.2f ms%n",
        QueueBench.percentile(commitMs, 0.50),
        QueueBench.percentile(commitMs, 0.99),
        QueueBench.percentile(notifyMs, 0.50),
        QueueBench.percentile(notifyMs, 0.99),
        QueueBench.percentile(claimToStart, 0.50),
        QueueBench.percentile(claimToStart, 0.99));
    if (verbose) {
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      System.out.printf(
          "  slowest starts (ms): %s%n",
          Arrays.toString(Arrays.copyOfRange(sorted, Math.max(0, samples - 8), samples)));
    }
  }
}
