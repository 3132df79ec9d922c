package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every vector source on this node's configured model, on a background thread: at start and
 * every {@link #DEFAULT_INTERVAL}, it moves {@code documentation_embeddings} ({@link ModelSwitch})
 * and the posts and catalogues ({@link ColumnModelSwitch}) to the model when another one answers,
 * and embeds catalogue rows that have no vector of it. Search answers from the old vectors until
 * each source's swap. One node works at a time ({@link SwitchLock}); if it stops or dies, the next
 * round of any node with the same model resumes from the staged vectors.
 *
 * <p>Every node of a cluster must be configured with the same model: a node with another one would
 * start switching back.
 */
public final class ModelSwitchRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelSwitchRunner.class);
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  private final DataSource dataSource;
  private final Embedder target;
  private final Duration interval;
  private final int batchSize;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final BooleanSupplier stopRequested = () -> closed.getCount() == 0;
  private boolean strayRowsChecked;
  private volatile Thread thread;

  public ModelSwitchRunner(
      DataSource dataSource, Embedder target, Duration interval, int batchSize) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.dataSource = dataSource;
    this.target = target;
    this.interval = interval;
    this.batchSize = batchSize;
  }

  public ModelSwitchRunner(DataSource dataSource, Embedder target) {
    this(dataSource, target, DEFAULT_INTERVAL, ColumnModelSwitch.DEFAULT_BATCH);
  }

  /** Starts the background rounds (the first at once). */
  public synchronized ModelSwitchRunner start() {
    if (thread == null) {
      thread = new Thread(this::loop, "search-model-switch");
      thread.setDaemon(true);
      thread.start();
    }
    return this;
  }

  private void loop() {
    while (!stopRequested.getAsBoolean()) {
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.warn(
            "model switch to {} stopped ({}); the next round in {} s resumes it",
            target.modelId(),
            e.getMessage(),
            interval.toSeconds());
      }
      try {
        if (closed.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One round over every source; returns what happened to the posts and catalogues. */
  public synchronized List<ColumnModelSwitch.Outcome> runOnce() {
    switchDocuments();
    List<ColumnModelSwitch.Outcome> outcomes = new ArrayList<>();
    boolean allRan = true;
    for (ColumnSource source : ColumnSource.ALL) {
      if (stopRequested.getAsBoolean()) {
        return outcomes;
      }
      ColumnModelSwitch sw = new ColumnModelSwitch(dataSource, source, target, batchSize);
      ColumnModelSwitch.Outcome o = sw.run(stopRequested, () -> {});
      outcomes.add(o);
      allRan &= o.ran();
      // after a swap, and once per start: rows a node with an older model wrote are redone
      if (o.ran() && (o.switched() || !strayRowsChecked)) {
        sw.flagStrayRows();
      }
    }
    strayRowsChecked |= allRan;
    return outcomes;
  }

  private void switchDocuments() {
    String source = EmbeddingQueueProcessor.SOURCE;
    String from = ModelSwitch.activeModel(dataSource, source).orElse(null);
    if (from == null || from.equals(target.modelId())) {
      return;
    }
    ModelSwitch.Progress p = new ModelSwitch(dataSource, target, batchSize).run();
    if (p.switched()) {
      SwitchProgress.begin(dataSource, source, from, target.modelId(), p.embedded(), p.embedded());
      SwitchProgress.markSwitched(dataSource, source, p.embedded());
    }
  }

  @Override
  public void close() {
    closed.countDown();
    Thread t = thread;
    if (t != null) {
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
