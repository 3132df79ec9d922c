package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resumable state of one import job ({@code import_jobs.sync_state}): a cursor per stream and
 * the merge's counts. Saved in the same transaction as the page it follows, so a crash resumes at
 * the first page not yet saved and nothing is counted twice.
 */
public record SyncState(Map<String, StreamState> streams, MergeCounts merge) {
  static final ObjectMapper JSON = new ObjectMapper();

  public SyncState {
    streams = new LinkedHashMap<>(streams);
  }

  public static SyncState empty() {
    return new SyncState(Map.of(), null);
  }

  public StreamState stream(String name) {
    return streams.getOrDefault(name, StreamState.START);
  }

  SyncState with(String name, StreamState s) {
    Map<String, StreamState> m = new LinkedHashMap<>(streams);
    m.put(name, s);
    return new SyncState(m, merge);
  }

  SyncState withMerge(MergeCounts counts) {
    return new SyncState(streams, counts);
  }

  static SyncState parse(String json) {
    if (json == null || json.isBlank()) {
      return empty();
    }
    try {
      JsonNode root = JSON.readTree(json);
      Map<String, StreamState> streams = new LinkedHashMap<>();
      root.path("streams")
          .properties()
          .forEach(
              e -> {
                JsonNode s = e.getValue();
                streams.put(
                    e.getKey(),
                    new StreamState(
                        s.path("page").asInt(0),
                        s.path("status").asText("pending"),
                        s.path("items").asInt(0),
                        s.path("failed").asInt(0),
                        s.hasNonNull("error") ? s.get("error").asText() : null,
                        s.hasNonNull("wait_until")
                            ? Instant.parse(s.get("wait_until").asText())
                            : null));
              });
      JsonNode m = root.get("merge");
      MergeCounts merge =
          m == null || m.isNull()
              ? null
              : new MergeCounts(
                  m.path("inserted").asInt(),
                  m.path("updated").asInt(),
                  m.path("unchanged").asInt(),
                  m.path("discontinued").asInt());
      return new SyncState(streams, merge);
    } catch (JsonProcessingException e) {
      return empty();
    }
  }

  String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode streamsNode = root.putObject("streams");
    streams.forEach(
        (name, s) -> {
          ObjectNode n = streamsNode.putObject(name);
          n.put("page", s.page());
          n.put("status", s.status());
          n.put("items", s.items());
          n.put("failed", s.failed());
          if (s.error() != null) {
            n.put("error", s.error());
          }
          if (s.waitUntil() != null) {
            n.put("wait_until", s.waitUntil().toString());
          }
        });
    if (merge != null) {
      ObjectNode n = root.putObject("merge");
      n.put("inserted", merge.inserted());
      n.put("updated", merge.updated());
      n.put("unchanged", merge.unchanged());
      n.put("discontinued", merge.discontinued());
    }
    return root.toString();
  }
}
