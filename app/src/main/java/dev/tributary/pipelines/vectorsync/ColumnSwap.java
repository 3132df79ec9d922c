package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  private final DataSource dataSource;
  private final ColumnSource source;
  private final Embedder target;

  ColumnSwap(DataSource dataSource, ColumnSource source, Embedder target) {
    this.dataSource = dataSource;
    this.source = source;
    this.target = target;
  }

  Result swap(String from) {
    long started = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        lockTable(c);
        if (!stillActive(c, from)) {
          c.rollback();
          return Result.MOVED;
        }
        int swapped = copyStaged(c, from);
        if (rowsLeft(c, from) > 0) {
          c.rollback();
          return Result.INCOMPLETE;
        }
        activateTarget(c);
        SwitchProgress.switched(c, source.table(), swapped);
        c.commit();
        log.info(
            "{} now answers with {}: {} vectors swapped in one transaction ({} ms)",
            source.table(),
            target.modelId(),
            swapped,
            (System.nanoTime() - started) / 1_000_000);
        return Result.SWITCHED;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not swap " + source.table() + " to " + target.modelId() + ": " + e.getMessage(),
          e);
    }
  }

  private void lockTable(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'")) {
      ps.execute();
    }
    try (PreparedStatement ps =
        c.prepareStatement("LOCK TABLE " + source.table() + " IN SHARE ROW EXCLUSIVE MODE")) {
      ps.execute();
    }
  }

  /** Whether search still answers with {@code from}; holds the row until the transaction ends. */
  private boolean stillActive(Connection c, String from) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT model FROM search_active_models WHERE source = ? FOR UPDATE")) {
      ps.setString(1, source.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && from.equals(rs.getString(1));
      }
    }
  }

  /** Copies each staged vector made from a row's current text into the row; returns how many. */
  private int copyStaged(Connection c, String from) throws SQLException {
    String embeddedAt =
        source.embeddedAt()
            ? ", embedded_at = CASE WHEN s.embedding IS NULL THEN NULL ELSE now() END"
            : "";
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + source.table()
                + " v"
                + " SET embedding = s.embedding, embedding_model = CASE WHEN s.embedding IS NULL THEN NULL ELSE s.model END"
                + embeddedAt
                + " FROM embedding_staging s WHERE s.source = ? AND s.model = ? AND s.row_id = v.id"
                + " AND v.embedding_model = ? AND s.content_hash = "
                + source.hash())) {
      ps.setString(1, source.table());
      ps.setString(2, target.modelId());
      ps.setString(3, from);
      return ps.executeUpdate();
    }
  }

  private long rowsLeft(Connection c, String from) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM " + source.table() + " v WHERE v.embedding_model = ?")) {
      ps.setString(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void activateTarget(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE search_active_models SET model = ?, updated_at = now() WHERE source = ?")) {
      ps.setString(1, target.modelId());
      ps.setString(2, source.table());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM embedding_staging WHERE source = ?")) {
      ps.setString(1, source.table());
      ps.executeUpdate();
    }
  }
}
