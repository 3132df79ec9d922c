package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.DatabaseException;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
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

  private static final String CLAIM =
      """
      UPDATE embedding_sync_queue q SET status = 'processing', started_at = now()
      WHERE q.id IN (
        SELECT p.id FROM embedding_sync_queue p
        WHERE p.status = 'pending' AND p.next_attempt_at <= now()
          AND NOT EXISTS (SELECT 1 FROM embedding_sync_queue b
                          WHERE b.source_table = p.source_table AND b.source_id = p.source_id
                            AND b.status = 'processing')
        ORDER BY p.created_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED)
      RETURNING q.id::text, q.source_table, q.source_id, q.action, q.content, q.retry_count, q.created_at,
                q.metadata::text""";

  private final Jdbc jdbc;
  private final Duration retryDelay;

  EmbeddingQueue(DataSource dataSource, Duration retryDelay) {
    this.jdbc = new Jdbc(dataSource);
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
    void run(Handle h) throws SQLException;
  }

  /** Claims up to {@code batchSize} due items, oldest first. */
  List<Item> claim(int batchSize) {
    // an item whose key another worker is processing waits, so one row's changes apply in order
    List<Item> items;
    try {
      items =
          jdbc.withConnection(
              "claim embedding queue items",
              h ->
                  h.query(
                      CLAIM,
                      Params.of("limit", batchSize),
                      rs ->
                          new Item(
                              rs.getString(1),
                              rs.getString(2),
                              rs.getString(3),
                              rs.getString(4),
                              rs.getString(5),
                              rs.getInt(6),
                              rs.getTimestamp(7),
                              rs.getString(8))));
    } catch (DatabaseException e) {
      if (e.isUniqueViolation()) {
        return List.of(); // another node claimed the same key at the same instant; next round
      }
      throw e;
    }
    items = new ArrayList<>(items);
    items.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
    return items;
  }

  /**
   * Applies an item's effect and marks it completed in one transaction, serialised per row by an
   * advisory lock. An item that a newer change of the same row has overtaken writes nothing: the
   * newer item sets the final state.
   */
  void complete(Item item, Work work) {
    jdbc.inTransaction(
        "write embeddings",
        h -> {
          lockRow(h, item);
          if (!superseded(h, item)) {
            work.run(h);
          }
          settle(h, item, "completed", null);
          return null;
        });
  }

  private static void lockRow(Handle h, Item item) throws SQLException {
    h.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended(:source_table || '/' || :source_id, 7))",
        key(item));
  }

  private static boolean superseded(Handle h, Item item) throws SQLException {
    return h.queryOne(
            """
            SELECT EXISTS (SELECT 1 FROM embedding_sync_queue
                           WHERE source_table = :source_table AND source_id = :source_id
                             AND created_at > :created_at AND status <> 'failed'
                             AND id <> :id::uuid)""",
            key(item).and("created_at", item.createdAt()).and("id", item.id()),
            rs -> rs.getBoolean(1))
        .orElseThrow();
  }

  /**
   * Moves the item to {@code status}, first removing an older item that holds that status for the
   * same key.
   */
  private static void settle(Handle h, Item item, String status, String error) throws SQLException {
    h.update(
        """
        DELETE FROM embedding_sync_queue
         WHERE source_table = :source_table AND source_id = :source_id AND action = :action
           AND status = :status AND id <> :id::uuid""",
        key(item).and("action", item.action()).and("status", status).and("id", item.id()));
    h.update(
        """
        UPDATE embedding_sync_queue SET status = :status, error = :error, processed_at = now()
         WHERE id = :id::uuid""",
        Params.of("status", status, "error", error, "id", item.id()));
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
    jdbc.inTransaction(
        "record an embedding failure",
        h -> {
          if (park) {
            settle(h, item, "failed", reason);
            h.update(
                "UPDATE embedding_sync_queue SET retry_count = :attempts WHERE id = :id::uuid",
                Params.of("attempts", attempts, "id", item.id()));
          } else if (retryLater(h, item, reason, attempts) == 0) {
            // a newer change of the row is already pending and will carry the latest content
            h.update(
                "DELETE FROM embedding_sync_queue WHERE id = :id::uuid",
                Params.of("id", item.id()));
          }
          return null;
        });
    return park;
  }

  private int retryLater(Handle h, Item item, String reason, int attempts) throws SQLException {
    return h.update(
        """
        UPDATE embedding_sync_queue
        SET status = 'pending', retry_count = :attempts, error = :reason, started_at = NULL,
            next_attempt_at = now() + make_interval(secs => :delay_seconds)
        WHERE id = :id::uuid
          AND NOT EXISTS (SELECT 1 FROM embedding_sync_queue p
                          WHERE p.source_table = :source_table AND p.source_id = :source_id
                            AND p.action = :action AND p.status = 'pending')""",
        key(item)
            .and("attempts", attempts)
            .and("reason", reason)
            .and("delay_seconds", retryDelay.toMillis() / 1000.0 * attempts * attempts)
            .and("id", item.id())
            .and("action", item.action()));
  }

  private static Params key(Item item) {
    return Params.of("source_table", item.sourceTable(), "source_id", item.sourceId());
  }
}
