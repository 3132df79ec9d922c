package dev.tributary.pipelines.vectorsync;

import dev.tributary.pipelines.enrichment.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states of {@code embedding_sync_queue}: claims due items with SKIP LOCKED, applies an item's
 * effect and completes it in one transaction, and puts a failed item back for a retry or parks it.
 */
final class EmbeddingQueue {
  private static final Logger log = LoggerFactory.getLogger(EmbeddingQueue.class);

  private final DataSource dataSource;
  private final Duration retryDelay;

  EmbeddingQueue(DataSource dataSource, Duration retryDelay) {
    this.dataSource = dataSource;
    this.retryDelay = retryDelay;
  }

  record Item(
      String id,
      String sourceTable,
      String sourceId,
      String action,
      String content,
      int retryCount,
      Timestamp createdAt,
      String metadata) {}

  @FunctionalInterface
  interface Work {
    void run(Connection c) throws SQLException;
  }

  /** Claims up to {@code batchSize} due items, oldest first. */
  List<Item> claim(int batchSize) {
    // an item whose key another worker is processing waits, so one row's changes apply in order
    String sql =
        """
        UPDATE embedding_sync_queue q SET status = 'processing', started_at = now()
        WHERE q.id IN (
          SELECT p.id FROM embedding_sync_queue p
          WHERE p.status = 'pending' AND p.next_attempt_at <= now()
            AND NOT EXISTS (SELECT 1 FROM embedding_sync_queue b
                            WHERE b.source_table = p.source_table AND b.source_id = p.source_id
                              AND b.status = 'processing')
          ORDER BY p.created_at
          LIMIT ?
          FOR UPDATE SKIP LOCKED)
        RETURNING q.id::text, q.source_table, q.source_id, q.action, q.content, q.retry_count, q.created_at,
                  q.metadata::text""";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, batchSize);
      List<Item> items = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(
              new Item(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getInt(6),
                  rs.getTimestamp(7),
                  rs.getString(8)));
        }
      }
      items.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
      return items;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        return List.of(); // another node claimed the same key at the same instant; next round
      }
      throw new IllegalStateException(
          "could not claim embedding queue items: " + e.getMessage(), e);
    }
  }

  /**
   * Applies an item's effect and marks it completed in one transaction, serialised per row by an
   * advisory lock. An item that a newer change of the same row has overtaken writes nothing: the
   * newer item sets the final state.
   */
  void complete(Item item, Work work) {
    Jdbc.inTransaction(
        dataSource,
        "writing embeddings",
        c -> {
          lockRow(c, item);
          if (!superseded(c, item)) {
            work.run(c);
          }
          settle(c, item, "completed", null);
          return null;
        });
  }

  private static void lockRow(Connection c, Item item) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(? || '/' || ?, 7))")) {
      ps.setString(1, item.sourceTable());
      ps.setString(2, item.sourceId());
      ps.execute();
    }
  }

  private static boolean superseded(Connection c, Item item) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT EXISTS (SELECT 1 FROM embedding_sync_queue
                           WHERE source_table = ? AND source_id = ? AND created_at > ? AND status <> 'failed'
                             AND id <> ?::uuid)""")) {
      ps.setString(1, item.sourceTable());
      ps.setString(2, item.sourceId());
      ps.setTimestamp(3, item.createdAt());
      ps.setString(4, item.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Moves the item to {@code status}, first removing an older item that holds that status for the
   * same key.
   */
  private static void settle(Connection c, Item item, String status, String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            DELETE FROM embedding_sync_queue WHERE source_table = ? AND source_id = ? AND action = ? AND status = ?
              AND id <> ?::uuid""")) {
      ps.setString(1, item.sourceTable());
      ps.setString(2, item.sourceId());
      ps.setString(3, item.action());
      ps.setString(4, status);
      ps.setString(5, item.id());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            UPDATE embedding_sync_queue SET status = ?, error = ?, processed_at = now() WHERE id = ?::uuid""")) {
      ps.setString(1, status);
      ps.setString(2, error);
      ps.setString(3, item.id());
      ps.executeUpdate();
    }
  }

  /**
   * Records a failed attempt: parks the item as failed after {@code maxAttempts} or when {@code
   * permanent}, else puts it back with a growing delay. Returns true when the item is parked.
   */
  boolean fail(Item item, String reason, boolean permanent, int maxAttempts) {
    int attempts = item.retryCount() + 1;
    boolean park = attempts >= maxAttempts || permanent;
    log.warn(
        "embedding {} {} of {} failed (attempt {}): {}",
        item.action(),
        item.sourceId(),
        item.sourceTable(),
        attempts,
        reason);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (park) {
          settle(c, item, "failed", reason);
          update(
              c,
              "UPDATE embedding_sync_queue SET retry_count = ? WHERE id = ?::uuid",
              attempts,
              item.id());
        } else if (retryLater(c, item, reason, attempts) == 0) {
          // a newer change of the row is already pending and will carry the latest content
          update(c, "DELETE FROM embedding_sync_queue WHERE id = ?::uuid", item.id());
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not record an embedding failure: " + e.getMessage(), e);
    }
    return park;
  }

  private int retryLater(Connection c, Item item, String reason, int attempts) throws SQLException {
    return update(
        c,
        """
        UPDATE embedding_sync_queue
        SET status = 'pending', retry_count = ?, error = ?, started_at = NULL,
            next_attempt_at = now() + make_interval(secs => ?)
        WHERE id = ?::uuid
          AND NOT EXISTS (SELECT 1 FROM embedding_sync_queue p WHERE p.source_table = ? AND p.source_id = ?
                          AND p.action = ? AND p.status = 'pending')""",
        attempts,
        reason,
        retryDelay.toMillis() / 1000.0 * attempts * attempts,
        item.id(),
        item.sourceTable(),
        item.sourceId(),
        item.action());
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }
}
