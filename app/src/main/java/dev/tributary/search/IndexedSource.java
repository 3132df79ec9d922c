package dev.tributary.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A vector table the index mirrors: how to read all its vectors, or some rows by id, and how a row
 * becomes an {@link IndexedItem} in the space of its model. Every source's key column is a uuid id.
 */
public record IndexedSource(String name, String columns, String where, RowMapper mapper) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final IndexedSource VIRAL_POSTS =
      new IndexedSource(
          "viral_posts_bank",
          "id::text, embedding, embedding_model, author_id::text, topic_id::text, audience_id::text, hook_type_id::text",
          "embedding IS NOT NULL AND embedding_model IS NOT NULL",
          rs -> {
            Map<String, String> attrs = new HashMap<>();
            put(attrs, "author_id", rs.getString(4));
            put(attrs, "topic_id", rs.getString(5));
            put(attrs, "audience_id", rs.getString(6));
            put(attrs, "hook_type_id", rs.getString(7));
            String id = rs.getString(1);
            return new Row(
                rs.getString(3), new IndexedItem(id, id, 0, attrs), floats(rs.getArray(2)));
          });
  public static final IndexedSource HOOK_TYPES = catalogue("hook_types");
  public static final IndexedSource TOPICS = catalogue("topics");
  public static final IndexedSource AUDIENCES = catalogue("audiences");
  public static final IndexedSource DOCUMENTS =
      new IndexedSource(
          "documentation_embeddings",
          "id::text, embedding, model, source_table, source_id, chunk_index, metadata::text",
          "true",
          rs -> {
            Map<String, String> attrs = new HashMap<>();
            attrs.put("source_table", rs.getString(4));
            metadata(attrs, rs.getString(7));
            return new Row(
                rs.getString(3),
                new IndexedItem(rs.getString(1), rs.getString(5), rs.getInt(6), attrs),
                floats(rs.getArray(2)));
          });

  public static final List<IndexedSource> ALL =
      List.of(VIRAL_POSTS, HOOK_TYPES, TOPICS, AUDIENCES, DOCUMENTS);

  /** One vector read from the database, with the model that made it. */
  public record Row(String model, IndexedItem item, float[] vector) {}

  @FunctionalInterface
  public interface RowMapper {
    Row map(ResultSet rs) throws SQLException;
  }

  String selectAll() {
    return "SELECT " + columns + " FROM " + name + " WHERE " + where;
  }

  String selectByIds() {
    return "SELECT " + columns + " FROM " + name + " WHERE id = ANY (:ids::uuid[]) AND " + where;
  }

  private static IndexedSource catalogue(String table) {
    return new IndexedSource(
        table,
        "id::text, embedding, embedding_model",
        "embedding IS NOT NULL AND embedding_model IS NOT NULL",
        rs -> {
          String id = rs.getString(1);
          return new Row(
              rs.getString(3), new IndexedItem(id, id, 0, Map.of()), floats(rs.getArray(2)));
        });
  }

  private static void put(Map<String, String> attrs, String name, String value) {
    if (value != null) {
      attrs.put(name, value);
    }
  }

  /**
   * Scalar metadata values become {@code meta:<key>} attributes that filters can test for equality.
   */
  private static void metadata(Map<String, String> attrs, String json) throws SQLException {
    if (json == null) {
      return;
    }
    try {
      JsonNode node = JSON.readTree(json);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode() && !e.getValue().isNull()) {
          attrs.put("meta:" + e.getKey(), e.getValue().asText());
        }
      }
    } catch (java.io.IOException e) {
      throw new SQLException("metadata is not JSON: " + e.getMessage(), e);
    }
  }

  static float[] floats(Array array) throws SQLException {
    Object raw = array.getArray();
    if (raw instanceof float[] f) {
      return f;
    }
    Float[] boxed = (Float[]) raw;
    float[] out = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      out[i] = boxed[i] == null ? 0f : boxed[i];
    }
    return out;
  }
}
