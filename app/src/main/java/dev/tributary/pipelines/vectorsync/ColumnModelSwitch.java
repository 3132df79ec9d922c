package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
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
  private static final String FIRST_ID = "00000000-0000-0000-0000-000000000000";
  private static final long LOG_EVERY_NANOS = 30_000_000_000L;

  /**
   * A swap waits this long for writers to finish; past it the pass ends and the next run tries
   * again.
   */
  static final String SWAP_LOCK_TIMEOUT = "10s";

  private final DataSource dataSource;
  private final ColumnSource source;
  private final Embedder target;
  private final int batchSize;
  private final int textColumnCount;

  public ColumnModelSwitch(
      DataSource dataSource, ColumnSource source, Embedder target, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.dataSource = dataSource;
    this.source = source;
    this.target = target;
    this.batchSize = batchSize;
    this.textColumnCount = source.textColumns().split(",").length;
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

  private enum Swap {
    SWITCHED,
    INCOMPLETE,
    MOVED
  }

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
    int filled = source.fillInPlace() ? fill(to, stop) : 0;
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
    // vectors of an abandoned switch to some other model are of no use to this one
    update("DELETE FROM embedding_staging WHERE source = ? AND model <> ?", source.table(), to);
    long total = rowsOf(from);
    long done = staged(from);
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
      String after = FIRST_ID;
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
        Staged batch = stageBatch(from, after);
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
      switch (swap(from)) {
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
          total = rowsOf(from);
          done = staged(from);
        }
      }
    }
  }

  private long rowsOf(String model) {
    return count(
        "SELECT count(*) FROM " + source.table() + " v WHERE v.embedding_model = ?", model);
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
        update(
            """
        UPDATE viral_posts_bank SET needs_embedding = true
         WHERE embedding IS NOT NULL AND embedding_model <> ? AND NOT needs_embedding""",
            active);
    if (n > 0) {
      log.info(
          "viral_posts_bank: {} posts had vectors of another model than {}; flagged for re-embedding",
          n,
          active);
    }
    return n;
  }

  private record Staged(int rows, String lastId) {}

  /**
   * Stages the next batch of rows of {@code from} (ids after {@code after}) lacking a vector of
   * their current text.
   */
  private Staged stageBatch(String from, String after) {
    record Row(String id, String text, String hash) {}
    List<Row> rows = new ArrayList<>();
    String sql =
        "SELECT v.id::text, "
            + source.textColumns()
            + ", "
            + source.hash()
            + " FROM "
            + source.table()
            + " v"
            + " WHERE v.embedding_model = ? AND v.id > ?::uuid"
            + " AND NOT EXISTS (SELECT 1 FROM embedding_staging s WHERE s.source = ? AND s.row_id = v.id"
            + " AND s.model = ? AND s.content_hash = "
            + source.hash()
            + ")"
            + " ORDER BY v.id LIMIT ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, from);
      ps.setString(2, after);
      ps.setString(3, source.table());
      ps.setString(4, target.modelId());
      ps.setInt(5, batchSize);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getString(1), source.reader().text(rs, 2), rs.getString(2 + textColumnCount)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read " + source.table() + " rows to re-embed: " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      return new Staged(0, after);
    }
    List<float[]> vectors = TargetVectors.embed(target, rows.stream().map(Row::text).toList());
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
        INSERT INTO embedding_staging (source, row_id, model, content_hash, embedding)
        VALUES (?, ?::uuid, ?, ?, ?::real[])
        ON CONFLICT (source, row_id, model) DO UPDATE
          SET content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding, created_at = now()""")) {
      for (int i = 0; i < rows.size(); i++) {
        ps.setString(1, source.table());
        ps.setString(2, rows.get(i).id());
        ps.setString(3, target.modelId());
        ps.setString(4, rows.get(i).hash());
        if (vectors.get(i) == null) {
          ps.setNull(5, Types.ARRAY);
        } else {
          ps.setArray(5, c.createArrayOf("real", TargetVectors.box(vectors.get(i))));
        }
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not stage " + source.table() + " vectors: " + e.getMessage(), e);
    }
    return new Staged(rows.size(), rows.get(rows.size() - 1).id());
  }

  /**
   * Copies the staged vectors into the rows and switches the active model, in one transaction, if
   * no row of {@code from} is left without one. Writers wait meanwhile (they would otherwise be
   * able to change a row between the check and the switch).
   */
  private Swap swap(String from) {
    long started = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement("SET LOCAL lock_timeout = '" + SWAP_LOCK_TIMEOUT + "'")) {
          ps.execute();
        }
        try (PreparedStatement ps =
            c.prepareStatement("LOCK TABLE " + source.table() + " IN SHARE ROW EXCLUSIVE MODE")) {
          ps.execute();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT model FROM search_active_models WHERE source = ? FOR UPDATE")) {
          ps.setString(1, source.table());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !from.equals(rs.getString(1))) {
              c.rollback();
              return Swap.MOVED;
            }
          }
        }
        String embeddedAt =
            source.embeddedAt()
                ? ", embedded_at = CASE WHEN s.embedding IS NULL THEN NULL ELSE now() END"
                : "";
        int swapped;
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
          swapped = ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM " + source.table() + " v WHERE v.embedding_model = ?")) {
          ps.setString(1, from);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
              c.rollback();
              return Swap.INCOMPLETE;
            }
          }
        }
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
        SwitchProgress.switched(c, source.table(), swapped);
        c.commit();
        log.info(
            "{} now answers with {}: {} vectors swapped in one transaction ({} ms)",
            source.table(),
            target.modelId(),
            swapped,
            (System.nanoTime() - started) / 1_000_000);
        return Swap.SWITCHED;
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

  /** Embeds in place the rows without a vector of the active model {@code to}; returns how many. */
  private int fill(String to, BooleanSupplier stop) {
    record Row(String id, String text, String hash) {}
    int filled = 0;
    String after = FIRST_ID;
    while (!stop.getAsBoolean()) {
      List<Row> rows = new ArrayList<>();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT v.id::text, "
                      + source.textColumns()
                      + ", "
                      + source.hash()
                      + " FROM "
                      + source.table()
                      + " v"
                      + " WHERE (v.embedding IS NULL OR v.embedding_model IS DISTINCT FROM ?) AND v.id > ?::uuid"
                      + " ORDER BY v.id LIMIT ?")) {
        ps.setString(1, to);
        ps.setString(2, after);
        ps.setInt(3, batchSize);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(
                new Row(
                    rs.getString(1),
                    source.reader().text(rs, 2),
                    rs.getString(2 + textColumnCount)));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "could not read " + source.table() + " rows to embed: " + e.getMessage(), e);
      }
      if (rows.isEmpty()) {
        break;
      }
      after = rows.get(rows.size() - 1).id();
      List<float[]> vectors = TargetVectors.embed(target, rows.stream().map(Row::text).toList());
      // a row edited since it was read keeps what it has: its trigger cleared the vector, the next
      // run fills it
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + source.table()
                      + " v SET embedding = ?::real[], embedding_model = ?"
                      + " WHERE v.id = ?::uuid AND (v.embedding IS NULL OR v.embedding_model IS DISTINCT FROM ?)"
                      + " AND "
                      + source.hash()
                      + " = ?")) {
        for (int i = 0; i < rows.size(); i++) {
          if (vectors.get(i) == null) {
            continue;
          }
          ps.setArray(1, c.createArrayOf("real", TargetVectors.box(vectors.get(i))));
          ps.setString(2, to);
          ps.setString(3, rows.get(i).id());
          ps.setString(4, to);
          ps.setString(5, rows.get(i).hash());
          ps.addBatch();
        }
        for (int n : ps.executeBatch()) {
          filled += Math.max(n, 0);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "could not store " + source.table() + " vectors: " + e.getMessage(), e);
      }
    }
    return filled;
  }

  /** Rows of {@code from} whose current text has a staged vector of the target. */
  private long staged(String from) {
    return count(
        "SELECT count(*) FROM "
            + source.table()
            + " v JOIN embedding_staging s ON s.source = ?"
            + " AND s.row_id = v.id AND s.model = ? AND s.content_hash = "
            + source.hash()
            + " WHERE v.embedding_model = ?",
        source.table(),
        target.modelId(),
        from);
  }

  private long count(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not count " + source.table() + " rows: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not update " + source.table() + ": " + e.getMessage(), e);
    }
  }

  /** The source this switch works on. */
  public ColumnSource source() {
    return source;
  }
}
