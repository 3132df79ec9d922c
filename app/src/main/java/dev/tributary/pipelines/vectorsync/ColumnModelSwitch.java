package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.jdbc.Params;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a {@link ColumnSource} (posts, a catalogue) to a new model with no search downtime. Each
 * row keeps one vector in its own columns, so the new vectors are built beside them in {@code
 * embedding_staging}, in batches through the target embedder, while search keeps answering from the
 * old ones. When every row that has an old vector has a staged one made from its current text, one
 * transaction copies them into the rows and switches {@code search_active_models}: every node's
 * index, and the SQL {@code match_*} functions, change over at once.
 *
 * <p>Rows written during the switch: a post inserted or changed is embedded by the embedding worker
 * with the node's model, the new one, straight into its columns; it needs no staging and becomes
 * searchable at the swap. A row whose text changed after it was staged no longer matches its staged
 * hash, so the next pass embeds it again; the swap holds the table against writers (a share row
 * exclusive lock) between its completeness check and the copy, so no row can slip between them.
 *
 * <p>Resumable: staged vectors stay in the table, a restarted run embeds only rows without one. One
 * node at a time ({@link SwitchLock}).
 */
public final class ColumnModelSwitch {
  private static final Logger log = LoggerFactory.getLogger(ColumnModelSwitch.class);
  public static final int DEFAULT_BATCH = 64;
  private static final long LOG_EVERY_NANOS = 30_000_000_000L;

  private final DataSource dataSource;
  private final ColumnSource source;
  private final Embedder target;
  private final ColumnRows rows;
  private final ColumnStaging staging;
  private final ColumnSwap swap;
  private final ColumnFill fill;

  public ColumnModelSwitch(
      DataSource dataSource, ColumnSource source, Embedder target, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.dataSource = dataSource;
    this.source = source;
    this.target = target;
    this.rows = new ColumnRows(dataSource, source);
    this.staging = new ColumnStaging(rows, target, batchSize);
    this.swap = new ColumnSwap(dataSource, source, target);
    this.fill = new ColumnFill(rows, target, batchSize);
  }

  /**
   * What a run did. {@code ran} false: another node holds the switch lock. {@code switched}: the
   * swap happened in this run. {@code filled}: rows embedded in place afterwards (catalogues).
   */
  public record Outcome(
      String source,
      String from,
      String to,
      boolean ran,
      int embedded,
      boolean switched,
      int filled) {}

  public Outcome run() {
    return run(() -> false, () -> {});
  }

  /**
   * Runs the switch to the target model, if it is not active, then fills catalogue rows that lack a
   * vector of it. {@code stop} is checked between batches (the staged work is kept); {@code
   * afterBatch} runs after each staged batch.
   */
  public Outcome run(BooleanSupplier stop, Runnable afterBatch) {
    return SwitchLock.whileHeld(dataSource, () -> runLocked(stop, afterBatch))
        .orElseGet(
            () ->
                new Outcome(
                    source.table(),
                    ModelSwitch.activeModel(dataSource, source.table()).orElse(null),
                    target.modelId(),
                    false,
                    0,
                    false,
                    0));
  }

  private Outcome runLocked(BooleanSupplier stop, Runnable afterBatch) {
    String to = target.modelId();
    ModelSwitch.ensureActive(dataSource, to, List.of(source.table()));
    String from = ModelSwitch.activeModel(dataSource, source.table()).orElse(to);
    int embedded = 0;
    boolean switched = false;
    if (!from.equals(to)) {
      try {
        Progress p = switchFrom(from, stop, afterBatch);
        if (!p.switched()) {
          return new Outcome(source.table(), from, to, true, p.embedded(), false, 0);
        }
        embedded = p.embedded();
        switched = true;
      } catch (RuntimeException e) {
        SwitchProgress.failed(dataSource, source.table(), e.getMessage());
        throw e;
      }
    }
    int filled = source.fillInPlace() ? fill.fill(to, stop) : 0;
    if (filled > 0) {
      log.info("{}: embedded {} rows that had no {} vector", source.table(), filled, to);
    }
    return new Outcome(source.table(), from, to, true, embedded, switched, filled);
  }

  private record Progress(int embedded, boolean switched) {}

  /**
   * Passes over the rows of {@code from} until the swap finds every one staged; stops early on
   * request.
   */
  private Progress switchFrom(String from, BooleanSupplier stop, Runnable afterBatch) {
    String to = target.modelId();
    staging.dropOtherModels();
    long total = staging.rowsOf(from);
    long done = staging.staged(from);
    SwitchProgress.begin(dataSource, source.table(), from, to, total, done);
    log.info(
        "re-embedding {} from {} to {}: {} rows, {} already done; search answers from {} until all are",
        source.table(),
        from,
        to,
        total,
        done,
        from);
    long lastLog = System.nanoTime();
    int embedded = 0;
    int fruitlessSwaps = 0;
    while (true) {
      String after = ColumnRows.FIRST_ID;
      int pass = 0;
      while (true) {
        if (stop.getAsBoolean()) {
          log.info(
              "{} switch to {} paused at {}/{} rows; the next run resumes it",
              source.table(),
              to,
              done,
              total);
          return new Progress(embedded, false);
        }
        ColumnStaging.Staged batch = staging.stageBatch(from, after);
        if (batch.rows() == 0) {
          break;
        }
        after = batch.lastId();
        pass += batch.rows();
        embedded += batch.rows();
        done += batch.rows();
        SwitchProgress.advance(dataSource, source.table(), done, Math.max(total, done));
        if (System.nanoTime() - lastLog > LOG_EVERY_NANOS) {
          log.info("{}: {}/{} rows re-embedded with {}", source.table(), done, total, to);
          lastLog = System.nanoTime();
        }
        afterBatch.run();
      }
      switch (swap.swap(from)) {
        case SWITCHED -> {
          return new Progress(embedded, true);
        }
        case MOVED -> {
          log.warn("{}: the active model is no longer {}; this switch stops", source.table(), from);
          return new Progress(embedded, false);
        }
        case INCOMPLETE -> {
          // rows changed between the pass and the swap: another pass embeds their new text
          fruitlessSwaps = pass == 0 ? fruitlessSwaps + 1 : 0;
          if (fruitlessSwaps >= 3) {
            throw new IllegalStateException(
                source.table() + " keeps rows of " + from + " that no pass finds to re-embed");
          }
          total = staging.rowsOf(from);
          done = staging.staged(from);
        }
      }
    }
  }

  /**
   * Posts whose vector is of a model other than the active one (written by a node still configured
   * with an older model) are flagged {@code needs_embedding}, so the embedding worker redoes them.
   * Call it when this node's model is the active one; returns how many rows were flagged.
   */
  public int flagStrayRows() {
    if (!source.table().equals(ColumnSource.POSTS.table())) {
      return 0;
    }
    String active = ModelSwitch.activeModel(dataSource, source.table()).orElse(null);
    if (!target.modelId().equals(active)) {
      return 0;
    }
    int n =
        rows.update(
            """
        UPDATE viral_posts_bank SET needs_embedding = true
         WHERE embedding IS NOT NULL AND embedding_model <> :active AND NOT needs_embedding""",
            Params.of("active", active));
    if (n > 0) {
      log.info(
          "viral_posts_bank: {} posts had vectors of another model than {}; flagged for re-embedding",
          n,
          active);
    }
    return n;
  }

  /** The source this switch works on. */
  public ColumnSource source() {
    return source;
  }
}
