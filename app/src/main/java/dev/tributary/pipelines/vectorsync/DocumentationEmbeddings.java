package dev.tributary.pipelines.vectorsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
      VALUES (?, ?, ?, ?, ?, ?::real[], ?, ?::jsonb)
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
  static void upsert(Connection c, String model, List<Chunk> chunks) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (Chunk k : chunks) {
        ps.setString(1, k.sourceTable());
        ps.setString(2, k.sourceId());
        ps.setInt(3, k.index());
        ps.setString(4, k.content());
        ps.setString(5, k.contentHash());
        ps.setArray(6, c.createArrayOf("real", box(k.embedding())));
        ps.setString(7, model);
        ps.setString(8, k.metadata());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Removes the chunks of {@code model} from {@code fromIndex} on, left over when a row shrank. */
  static void deleteChunksFrom(
      Connection c, String sourceTable, String sourceId, String model, int fromIndex)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM documentation_embeddings"
                + " WHERE source_table = ? AND source_id = ? AND model = ? AND chunk_index >= ?")) {
      ps.setString(1, sourceTable);
      ps.setString(2, sourceId);
      ps.setString(3, model);
      ps.setInt(4, fromIndex);
      ps.executeUpdate();
    }
  }

  /** Removes every chunk of a source row, of every model. */
  static void deleteRow(Connection c, String sourceTable, String sourceId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM documentation_embeddings WHERE source_table = ? AND source_id = ?")) {
      ps.setString(1, sourceTable);
      ps.setString(2, sourceId);
      ps.executeUpdate();
    }
  }

  /** The content hash stored per chunk index for a source row and model. */
  static Map<Integer, String> storedHashes(
      DataSource dataSource, String sourceTable, String sourceId, String model) {
    Map<Integer, String> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT chunk_index, content_hash FROM documentation_embeddings"
                    + " WHERE source_table = ? AND source_id = ? AND model = ?")) {
      ps.setString(1, sourceTable);
      ps.setString(2, sourceId);
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

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
