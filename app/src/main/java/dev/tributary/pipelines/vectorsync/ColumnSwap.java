package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a column source's model switch: in one transaction, copies the staged vectors
 * into the rows and switches {@code search_active_models}, if no row of the old model is left
 * without one. Writers wait meanwhile (they could otherwise change a row between the check and the
 * switch).
 */
final class ColumnSwap {
  private static final Logger log = LoggerFactory.getLogger(ColumnSwap.class);

  /**
   * A swap waits this long for writers to finish; past it the pass ends and the next run tries
   * again.
   */
  static final String LOCK_TIMEOUT = "10s";

  enum Result {
    SWITCHED,
    INCOMPLETE,
    MOVED
  }

  private final Jdbc jdbc;
  private final ColumnSource source;
  private final Embedder target;

  ColumnSwap(DataSource dataSource, ColumnSource source, Embedder target) {
    this.jdbc = new Jdbc(dataSource);
    this.source = source;
    this.target = target;
  }

  /** What a swap's transaction did: its result and how many vectors it swapped in. */
  private record Swapped(Result result, int rows) {}

  /** Thrown inside the swap's transaction to roll back a copy that left rows behind. */
  private static final class Incomplete extends RuntimeException {
    Incomplete() {
      super(null, null, false, false);
    }
  }

  Result swap(String from) {
    long started = System.nanoTime();
    Swapped done;
    try {
      done =
          jdbc.inTransaction(
              "swap " + source.table() + " to " + target.modelId(),
              h -> {
                lockTable(h);
                if (!stillActive(h, from)) {
                  return new Swapped(Result.MOVED, 0); // nothing written: only locks held
                }
                int swapped = copyStaged(h, from);
                if (rowsLeft(h, from) > 0) {
                  throw new Incomplete(); // rolls the copy back
                }
                activateTarget(h);
                SwitchProgress.switched(h, source.table(), swapped);
                return new Swapped(Result.SWITCHED, swapped);
              });
    } catch (Incomplete e) {
      return Result.INCOMPLETE;
    }
    if (done.result() == Result.SWITCHED) {
      log.info(
          "{} now answers with {}: {} vectors swapped in one transaction ({} ms)",
          source.table(),
          target.modelId(),
          done.rows(),
          (System.nanoTime() - started) / 1_000_000);
    }
    return done.result();
  }

  private void lockTable(Handle h) throws SQLException {
    h.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'", Params.NONE);
    h.execute("LOCK TABLE " + source.table() + " IN SHARE ROW EXCLUSIVE MODE", Params.NONE);
  }

  /** Whether search still answers with {@code from}; holds the row until the transaction ends. */
  private boolean stillActive(Handle h, String from) throws SQLException {
    return h.queryOne(
            "SELECT model FROM search_active_models WHERE source = :source FOR UPDATE",
            Params.of("source", source.table()),
            rs -> rs.getString(1))
        .map(from::equals)
        .orElse(false);
  }

  /** Copies each staged vector made from a row's current text into the row; returns how many. */
  private int copyStaged(Handle h, String from) throws SQLException {
    String embeddedAt =
        source.embeddedAt()
            ? ", embedded_at = CASE WHEN s.embedding IS NULL THEN NULL ELSE now() END"
            : "";
    return h.update(
        "UPDATE "
            + source.table()
            + " v"
            + " SET embedding = s.embedding,"
            + " embedding_model = CASE WHEN s.embedding IS NULL THEN NULL ELSE s.model END"
            + embeddedAt
            + " FROM embedding_staging s"
            + " WHERE s.source = :source AND s.model = :target AND s.row_id = v.id"
            + " AND v.embedding_model = :from AND s.content_hash = "
            + source.hash(),
        Params.of("source", source.table(), "target", target.modelId(), "from", from));
  }

  private long rowsLeft(Handle h, String from) throws SQLException {
    return h.queryOne(
            "SELECT count(*) FROM " + source.table() + " v WHERE v.embedding_model = :from",
            Params.of("from", from),
            rs -> rs.getLong(1))
        .orElseThrow();
  }

  private void activateTarget(Handle h) throws SQLException {
    h.update(
        "UPDATE search_active_models SET model = :target, updated_at = now() WHERE source = :source",
        Params.of("target", target.modelId(), "source", source.table()));
    h.update(
        "DELETE FROM embedding_staging WHERE source = :source",
        Params.of("source", source.table()));
  }
}
