package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.ai.Embedders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through {@code embedding_sync_queue} (S3.2-S3.4): claims a batch with SKIP LOCKED, chunks
 * each item's content, embeds only the chunks whose content hash the model has not seen for that
 * row, writes them to {@code documentation_embeddings}, and marks the item completed. A failure
 * puts the item back with {@code retry_count + 1} and a growing delay; the third failure parks it
 * as {@code failed} with its reason until an operator retries it. Callable from a job handler, a
 * schedule or the HTTP endpoint; safe to run on many nodes at once.
 */
public final class EmbeddingQueueProcessor {
  private static final Logger log = LoggerFactory.getLogger(EmbeddingQueueProcessor.class);
  public static final int MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(1);
  static final String SOURCE = "documentation_embeddings";

  private final DataSource dataSource;
  private final Embedders embedders;
  private final TextChunker chunker;
  private final Duration retryDelay;

  public EmbeddingQueueProcessor(DataSource dataSource, Embedders embedders) {
    this(dataSource, embedders, TextChunker.DEFAULT, DEFAULT_RETRY_DELAY);
  }

  public EmbeddingQueueProcessor(
      DataSource dataSource, Embedders embedders, TextChunker chunker, Duration retryDelay) {
    this.dataSource = dataSource;
    this.embedders = embedders;
    this.chunker = chunker;
    this.retryDelay = retryDelay;
  }

  public record Result(
      int claimed, int completed, int retried, int failed, int chunksEmbedded, int chunksReused) {}

  record Item(
      String id,
      String sourceTable,
      String sourceId,
      String action,
      String content,
      int retryCount,
      Timestamp createdAt,
      String metadata) {}

  /** Processes up to {@code batchSize} due items; returns what happened to them. */
  public Result processBatch(int batchSize) {
    List<Item> items = claim(batchSize);
    int completed = 0;
    int retried = 0;
    int failed = 0;
    int embedded = 0;
    int reused = 0;
    for (Item item : items) {
      try {
        int[] counts = process(item);
        embedded += counts[0];
        reused += counts[1];
        completed++;
      } catch (RuntimeException e) {
        boolean parked = fail(item, reason(e));
        if (parked) {
          failed++;
        } else {
          retried++;
        }
      }
    }
    return new Result(items.size(), completed, retried, failed, embedded, reused);
  }

  /** Processes batches until nothing is due (for tests, the CLI and on-demand runs). */
  public Result drain(int batchSize) {
    int claimed = 0, completed = 0, retried = 0, failed = 0, embedded = 0, reused = 0;
    while (true) {
      Result r = processBatch(batchSize);
      if (r.claimed() == 0) {
        return new Result(claimed, completed, retried, failed, embedded, reused);
      }
      claimed += r.claimed();
      completed += r.completed();
      retried += r.retried();
      failed += r.failed();
      embedded += r.chunksEmbedded();
      reused += r.chunksReused();
    }
  }

  private List<Item> claim(int batchSize) {
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

  /** Returns {chunks embedded, chunks reused}. */
  private int[] process(Item item) {
    if (item.action().equals("delete")) {
      inTransaction(
          item,
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM documentation_embeddings WHERE source_table = ? AND source_id = ?")) {
              ps.setString(1, item.sourceTable());
              ps.setString(2, item.sourceId());
              ps.executeUpdate();
            }
          });
      return new int[] {0, 0};
    }
    List<String> chunks = chunker.chunk(item.content());
    if (chunks.isEmpty()) {
      throw new PermanentFailure("the row's content is empty: nothing to embed");
    }
    List<String> hashes = chunks.stream().map(EmbeddingQueueProcessor::sha256).toList();
    int embedded = 0;
    int reused = 0;
    Map<Embedder, Map<Integer, float[]>> vectors = new HashMap<>();
    for (Embedder embedder : writeModels()) {
      Map<Integer, String> stored = storedHashes(item, embedder.modelId());
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        if (!hashes.get(i).equals(stored.get(i))) {
          todo.add(i);
        }
      }
      reused += chunks.size() - todo.size();
      Map<Integer, float[]> out = new HashMap<>();
      if (!todo.isEmpty()) {
        List<float[]> embeddedVectors = embedder.embed(todo.stream().map(chunks::get).toList());
        for (int j = 0; j < todo.size(); j++) {
          float[] v = embeddedVectors.get(j);
          if (v.length != embedder.dimensions()) {
            throw new IllegalStateException(
                embedder.modelId()
                    + " returned "
                    + v.length
                    + " dimensions, expected "
                    + embedder.dimensions());
          }
          out.put(todo.get(j), v);
        }
        embedded += todo.size();
      }
      vectors.put(embedder, out);
    }
    inTransaction(
        item,
        c -> {
          for (Map.Entry<Embedder, Map<Integer, float[]>> e : vectors.entrySet()) {
            write(c, item, e.getKey().modelId(), chunks, hashes, e.getValue());
          }
        });
    return new int[] {embedded, reused};
  }

  /**
   * The current model, plus the one search answers with while a switch is under way (if this node
   * has it).
   */
  private List<Embedder> writeModels() {
    Set<Embedder> out = new LinkedHashSet<>();
    out.add(embedders.current());
    ModelSwitch.activeModel(dataSource, SOURCE).flatMap(embedders::forModel).ifPresent(out::add);
    return new ArrayList<>(out);
  }

  private Map<Integer, String> storedHashes(Item item, String model) {
    Map<Integer, String> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT chunk_index, content_hash FROM documentation_embeddings"
                    + " WHERE source_table = ? AND source_id = ? AND model = ?")) {
      ps.setString(1, item.sourceTable());
      ps.setString(2, item.sourceId());
      ps.setString(3, model);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt(1), rs.getString(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read stored chunk hashes: " + e.getMessage(), e);
    }
  }

  private static void write(
      Connection c,
      Item item,
      String model,
      List<String> chunks,
      List<String> hashes,
      Map<Integer, float[]> vectors)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO documentation_embeddings
          (source_table, source_id, chunk_index, content, content_hash, embedding, model, metadata)
        VALUES (?, ?, ?, ?, ?, ?::real[], ?, ?::jsonb)
        ON CONFLICT (source_table, source_id, chunk_index, model) DO UPDATE
          SET content = EXCLUDED.content, content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding,
              metadata = EXCLUDED.metadata, updated_at = now()""")) {
      for (Map.Entry<Integer, float[]> v : vectors.entrySet()) {
        ps.setString(1, item.sourceTable());
        ps.setString(2, item.sourceId());
        ps.setInt(3, v.getKey());
        ps.setString(4, chunks.get(v.getKey()));
        ps.setString(5, hashes.get(v.getKey()));
        ps.setArray(6, c.createArrayOf("real", box(v.getValue())));
        ps.setString(7, model);
        ps.setString(8, item.metadata() == null ? "{}" : item.metadata());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM documentation_embeddings"
                + " WHERE source_table = ? AND source_id = ? AND model = ? AND chunk_index >= ?")) {
      ps.setString(1, item.sourceTable());
      ps.setString(2, item.sourceId());
      ps.setString(3, model);
      ps.setInt(4, chunks.size());
      ps.executeUpdate();
    }
  }

  @FunctionalInterface
  private interface Work {
    void run(Connection c) throws SQLException;
  }

  /**
   * Applies an item's effect and marks it completed in one transaction, serialised per row by an
   * advisory lock. An item that a newer change of the same row has overtaken writes nothing: the
   * newer item sets the final state.
   */
  private void inTransaction(Item item, Work work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended(? || '/' || ?, 7))")) {
          ps.setString(1, item.sourceTable());
          ps.setString(2, item.sourceId());
          ps.execute();
        }
        boolean superseded;
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
            superseded = rs.getBoolean(1);
          }
        }
        if (!superseded) {
          work.run(c);
        }
        settle(c, item, "completed", null);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not write embeddings: " + e.getMessage(), e);
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

  /** Returns true when the item is parked as failed, false when it will be retried. */
  private boolean fail(Item item, String reason) {
    int attempts = item.retryCount() + 1;
    boolean park = attempts >= MAX_ATTEMPTS || reason.startsWith(PermanentFailure.PREFIX);
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
        } else if (update(
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
                item.action())
            == 0) {
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

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static String reason(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof PermanentFailure) {
      return PermanentFailure.PREFIX + m;
    }
    return m.length() > 1000 ? m.substring(0, 1000) : m;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** A failure retrying cannot fix (e.g. empty content): parked at once. */
  static final class PermanentFailure extends RuntimeException {
    static final String PREFIX = "cannot be embedded: ";

    PermanentFailure(String message) {
      super(message);
    }
  }
}
