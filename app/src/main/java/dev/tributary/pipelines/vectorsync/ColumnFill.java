package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.pipelines.vectorsync.ColumnRows.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Embeds in place, with the active model, the rows of a column source that lack a vector of it (a
 * catalogue's new or edited rows).
 */
final class ColumnFill {
  private final ColumnRows rows;
  private final Embedder target;
  private final int batchSize;

  ColumnFill(ColumnRows rows, Embedder target, int batchSize) {
    this.rows = rows;
    this.target = target;
    this.batchSize = batchSize;
  }

  /** Embeds in place the rows without a vector of the active model {@code to}; returns how many. */
  int fill(String to, BooleanSupplier stop) {
    int filled = 0;
    String after = ColumnRows.FIRST_ID;
    while (!stop.getAsBoolean()) {
      List<Row> batch =
          rows.read(
              "(v.embedding IS NULL OR v.embedding_model IS DISTINCT FROM ?) AND v.id > ?::uuid",
              batchSize,
              "to embed",
              to,
              after);
      if (batch.isEmpty()) {
        break;
      }
      after = batch.get(batch.size() - 1).id();
      List<float[]> vectors = TargetVectors.embed(target, batch.stream().map(Row::text).toList());
      filled += store(to, batch, vectors);
    }
    return filled;
  }

  /**
   * Writes the vectors; a row edited since it was read keeps what it has: its trigger cleared the
   * vector, the next run fills it.
   */
  private int store(String to, List<Row> batch, List<float[]> vectors) {
    ColumnSource source = rows.source();
    int filled = 0;
    try (Connection c = rows.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + source.table()
                    + " v SET embedding = ?::real[], embedding_model = ?"
                    + " WHERE v.id = ?::uuid AND (v.embedding IS NULL OR v.embedding_model IS DISTINCT FROM ?)"
                    + " AND "
                    + source.hash()
                    + " = ?")) {
      for (int i = 0; i < batch.size(); i++) {
        if (vectors.get(i) == null) {
          continue;
        }
        ps.setArray(1, c.createArrayOf("real", TargetVectors.box(vectors.get(i))));
        ps.setString(2, to);
        ps.setString(3, batch.get(i).id());
        ps.setString(4, to);
        ps.setString(5, batch.get(i).hash());
        ps.addBatch();
      }
      for (int n : ps.executeBatch()) {
        filled += Math.max(n, 0);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not store " + source.table() + " vectors: " + e.getMessage(), e);
    }
    return filled;
  }
}
