package dev.tributary.pipelines.publishing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** One entry of a post's {@code media} column: {@code {url, type, name}} (the seed's shape). */
public record MediaItem(String url, String type, String name) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public MediaItem {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a media item needs a url");
    }
  }

  /** The items of a media JSON array; a malformed entry is an IllegalArgumentException. */
  public static List<MediaItem> parse(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the media list is not valid JSON");
    }
    if (root == null || root.isNull()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException("the media list is not a JSON array");
    }
    List<MediaItem> out = new ArrayList<>();
    for (JsonNode n : root) {
      if (!n.isObject() || !n.path("url").isTextual()) {
        throw new IllegalArgumentException("a media item has no url: " + n);
      }
      out.add(
          new MediaItem(
              n.get("url").asText(),
              n.path("type").isTextual() ? n.get("type").asText() : null,
              n.path("name").isTextual() ? n.get("name").asText() : null));
    }
    return out;
  }
}
