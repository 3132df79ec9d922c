package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.vectorsync.ColumnRows.Row;
import java.util.ArrayList;
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
              "(v.embedding IS NULL OR v.embedding_model IS DISTINCT FROM :model)"
                  + " AND v.id > :after::uuid",
              batchSize,
              "to embed",
              Params.of("model", to, "after", after));
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
    List<Params> updates = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      if (vectors.get(i) != null) {
        updates.add(
            Params.with("embedding", vectors.get(i))
                .and("model", to)
                .and("id", batch.get(i).id())
                .and("hash", batch.get(i).hash()));
      }
    }
    int[] counts =
        rows.jdbc()
            .withConnection(
                "store " + source.table() + " vectors",
                h ->
                    h.batch(
                        "UPDATE "
                            + source.table()
                            + " v SET embedding = :embedding::real[], embedding_model = :model"
                            + " WHERE v.id = :id::uuid"
                            + " AND (v.embedding IS NULL OR v.embedding_model IS DISTINCT FROM :model)"
                            + " AND "
                            + source.hash()
                            + " = :hash",
                        updates));
    int filled = 0;
    for (int n : counts) {
      filled += Math.max(n, 0);
    }
    return filled;
  }
}
