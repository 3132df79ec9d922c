package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The SQL of {@code documentation_embeddings}, where every chunk of a synced row has one vector per
 * model: the one upsert that the queue processor and a model switch both write through, the reads
 * of stored chunk hashes, and the deletes.
 */
final class DocumentationEmbeddings {
  static final String TABLE = "documentation_embeddings";

  private static final String UPSERT =
      """
      INSERT INTO documentation_embeddings
        (source_table, source_id, chunk_index, content, content_hash, embedding, model, metadata)
      VALUES (:source_table, :source_id, :chunk_index, :content, :content_hash, :embedding::real[],
              :model, :metadata::jsonb)
      ON CONFLICT (source_table, source_id, chunk_index, model) DO UPDATE
        SET content = EXCLUDED.content, content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding,
            metadata = EXCLUDED.metadata, updated_at = now()""";

  private DocumentationEmbeddings() {}

  /** One chunk of a source row with its vector; {@code metadata} is JSON text (or null). */
  record Chunk(
      String sourceTable,
      String sourceId,
      int index,
      String content,
      String contentHash,
      String metadata,
      float[] embedding) {}

  /** Inserts or replaces each chunk's vector of {@code model}, in one batch. */
  static void upsert(Handle h, String model, List<Chunk> chunks) throws SQLException {
    h.batch(
        UPSERT,
        chunks.stream()
            .map(
                k ->
                    Params.with("source_table", k.sourceTable())
                        .and("source_id", k.sourceId())
                        .and("chunk_index", k.index())
                        .and("content", k.content())
                        .and("content_hash", k.contentHash())
                        .and("embedding", k.embedding())
                        .and("model", model)
                        .and("metadata", k.metadata()))
            .toList());
  }

  /** Removes the chunks of {@code model} from {@code fromIndex} on, left over when a row shrank. */
  static void deleteChunksFrom(
      Handle h, String sourceTable, String sourceId, String model, int fromIndex)
      throws SQLException {
    h.update(
        """
        DELETE FROM documentation_embeddings
         WHERE source_table = :source_table AND source_id = :source_id AND model = :model
           AND chunk_index >= :from_index""",
        Params.of(
            "source_table",
            sourceTable,
            "source_id",
            sourceId,
            "model",
            model,
            "from_index",
            fromIndex));
  }

  /** Removes every chunk of a source row, of every model. */
  static void deleteRow(Handle h, String sourceTable, String sourceId) throws SQLException {
    h.update(
        "DELETE FROM documentation_embeddings"
            + " WHERE source_table = :source_table AND source_id = :source_id",
        Params.of("source_table", sourceTable, "source_id", sourceId));
  }

  /** The content hash stored per chunk index for a source row and model. */
  static Map<Integer, String> storedHashes(
      DataSource dataSource, String sourceTable, String sourceId, String model) {
    List<Map.Entry<Integer, String>> rows =
        new Jdbc(dataSource)
            .withConnection(
                "read stored chunk hashes",
                h ->
                    h.query(
                        """
                    SELECT chunk_index, content_hash FROM documentation_embeddings
                     WHERE source_table = :source_table AND source_id = :source_id AND model = :model""",
                        Params.of(
                            "source_table", sourceTable, "source_id", sourceId, "model", model),
                        rs -> Map.entry(rs.getInt(1), rs.getString(2))));
    Map<Integer, String> out = new HashMap<>();
    rows.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
