package dev.tributary.search;

import java.util.Map;

/**
 * What the index knows of one vector besides the vector itself: its key in the space (a row id, or
 * {@code source_table/source_id/chunk} for documents), the row it points to, the chunk number, and
 * the attributes filters can test (author_id, topic_id, audience_id, source_table, {@code
 * meta:<key>}).
 */
public record IndexedItem(
    String key, String rowId, int chunkIndex, Map<String, String> attributes) {
  public IndexedItem {
    attributes = Map.copyOf(attributes);
  }

  public String attribute(String name) {
    return attributes.get(name);
  }
}
