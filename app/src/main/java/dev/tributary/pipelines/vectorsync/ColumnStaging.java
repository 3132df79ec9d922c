package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.vectorsync.ColumnRows.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a column source's new vectors beside the live ones, in {@code embedding_staging}: a batch
 * of rows of the old model lacking a staged vector of their current text at a time, through the
 * target embedder. Search keeps answering from the rows' own columns meanwhile.
 */
final class ColumnStaging {
  private final ColumnRows rows;
  private final Embedder target;
  private final int batchSize;

  ColumnStaging(ColumnRows rows, Embedder target, int batchSize) {
    this.rows = rows;
    this.target = target;
    this.batchSize = batchSize;
  }

  /** How many rows a batch staged, and the id to continue after. */
  record Staged(int rows, String lastId) {}

  /** Vectors of an abandoned switch to some other model are of no use to this one. */
  void dropOtherModels() {
    rows.update(
        "DELETE FROM embedding_staging WHERE source = :source AND model <> :model",
        Params.of("source", rows.table(), "model", target.modelId()));
  }

  /** Rows whose vector is of {@code model}. */
  long rowsOf(String model) {
    return rows.count(
        "SELECT count(*) FROM " + rows.table() + " v WHERE v.embedding_model = :model",
        Params.of("model", model));
  }

  /** Rows of {@code from} whose current text has a staged vector of the target. */
  long staged(String from) {
    ColumnSource source = rows.source();
    return rows.count(
        "SELECT count(*) FROM "
            + source.table()
            + " v JOIN embedding_staging s ON s.source = :source"
            + " AND s.row_id = v.id AND s.model = :target AND s.content_hash = "
            + source.hash()
            + " WHERE v.embedding_model = :from",
        Params.of("source", source.table(), "target", target.modelId(), "from", from));
  }

  /**
   * Stages the next batch of rows of {@code from} (ids after {@code after}) lacking a vector of
   * their current text.
   */
  Staged stageBatch(String from, String after) {
    ColumnSource source = rows.source();
    List<Row> batch =
        rows.read(
            "v.embedding_model = :from AND v.id > :after::uuid"
                + " AND NOT EXISTS (SELECT 1 FROM embedding_staging s"
                + " WHERE s.source = :source AND s.row_id = v.id"
                + " AND s.model = :target AND s.content_hash = "
                + source.hash()
                + ")",
            batchSize,
            "to re-embed",
            Params.with("from", from)
                .and("after", after)
                .and("source", source.table())
                .and("target", target.modelId()));
    if (batch.isEmpty()) {
      return new Staged(0, after);
    }
    List<float[]> vectors = TargetVectors.embed(target, batch.stream().map(Row::text).toList());
    store(batch, vectors);
    return new Staged(batch.size(), batch.get(batch.size() - 1).id());
  }

  private void store(List<Row> batch, List<float[]> vectors) {
    List<Params> inserts = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      inserts.add(
          Params.with("source", rows.table())
              .and("row_id", batch.get(i).id())
              .and("model", target.modelId())
              .and("hash", batch.get(i).hash())
              .and("embedding", vectors.get(i)));
    }
    rows.jdbc()
        .withConnection(
            "stage " + rows.table() + " vectors",
            h ->
                h.batch(
                    """
                    INSERT INTO embedding_staging (source, row_id, model, content_hash, embedding)
                    VALUES (:source, :row_id::uuid, :model, :hash, :embedding::real[])
                    ON CONFLICT (source, row_id, model) DO UPDATE
                      SET content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding,
                          created_at = now()""",
                    inserts));
  }
}
