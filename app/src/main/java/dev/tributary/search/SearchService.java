package dev.tributary.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.ai.Embedder;
import dev.tributary.web.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Answers the {@code match_*} functions and text search from the in-process index, then reads the
 * matched rows' columns from Postgres by id (at most {@code count} rows, one indexed query). Input
 * is validated here; every problem is a 400 with a message that says what to send instead.
 */
public final class SearchService {
  public static final String DOCUMENTS = "documentation_embeddings";
  public static final double DEFAULT_TEXT_THRESHOLD = 0.2;

  private final DataSource dataSource;
  private final SearchIndex index;
  private final Embedders embedders;

  public SearchService(DataSource dataSource, SearchIndex index, Embedders embedders) {
    this.dataSource = dataSource;
    this.index = index;
    this.embedders = embedders;
  }

  /** {@code POST /rest/v1/rpc/<function>}: the same named arguments as the SQL function. */
  public List<Map<String, Object>> rpc(String functionName, JsonNode args) {
    MatchFunction function =
        MatchFunction.named(functionName)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "unknown function '"
                            + functionName
                            + "': use one of match_viral_posts, "
                            + "match_viral_posts_by_author, match_viral_posts_by_topic, match_viral_posts_filtered, "
                            + "match_topics, match_audiences, match_hook_types"));
    if (args == null || !args.isObject()) {
      throw ApiException.badRequest(
          "the body must be a JSON object of the function's named arguments");
    }
    Set<String> allowed =
        new java.util.HashSet<>(Set.of("query_embedding", "match_threshold", "match_count"));
    function.extraArgument().ifPresent(allowed::add);
    for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw ApiException.badRequest(
            function.sqlName() + " has no argument '" + name + "'; it takes " + allowed);
      }
    }
    float[] query = vector(args.get("query_embedding"), function.source());
    double threshold =
        threshold(args.get("match_threshold"), "match_threshold", MatchFunction.DEFAULT_THRESHOLD);
    int count = count(args.get("match_count"), "match_count");
    Map<String, String> filter = new HashMap<>();
    switch (function) {
      case MATCH_VIRAL_POSTS_BY_AUTHOR ->
          filter.put("author_id", uuid(args.get("author_id"), "author_id"));
      case MATCH_VIRAL_POSTS_BY_TOPIC ->
          filter.put("topic_id", uuid(args.get("topic_id"), "topic_id"));
      case MATCH_VIRAL_POSTS_FILTERED -> filter.putAll(postFilters(args.get("filters")));
      default -> {}
    }
    List<SearchHit> hits = index.search(function.source(), query, filter, threshold, count);
    return function.searchesPosts()
        ? rows(POST_ROWS, hits)
        : rows(catalogueRows(function.source()), hits);
  }

  /** {@code POST /api/search}: text embedded with the model that answers for the source. */
  public Map<String, Object> searchText(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object with a text 'query'");
    }
    JsonNode q = body.get("query");
    if (q == null || !q.isTextual() || q.asText().isBlank()) {
      throw ApiException.badRequest("'query' must be a non-empty text");
    }
    String source = body.hasNonNull("source") ? body.get("source").asText() : DOCUMENTS;
    if (IndexedSource.ALL.stream().noneMatch(s -> s.name().equals(source))) {
      throw ApiException.badRequest(
          "unknown source '"
              + source
              + "': use documentation_embeddings, "
              + "viral_posts_bank, topics, audiences or hook_types");
    }
    double threshold = threshold(body.get("threshold"), "threshold", DEFAULT_TEXT_THRESHOLD);
    int count = count(body.get("count"), "count");
    Map<String, String> filter = textFilters(body.get("filters"));
    String model = index.activeModel(source).orElse(embedders.current().modelId());
    Embedder embedder =
        embedders
            .forModel(model)
            .orElseThrow(
                () ->
                    new ApiException(
                        503,
                        "model_unavailable",
                        "the model answering for "
                            + source
                            + " ("
                            + model
                            + ") has no embedder on this node"));
    float[] vector = embedder.embed(q.asText());
    List<SearchHit> hits =
        index.search(new SpaceKey(source, model), vector, filter, threshold, count);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", source);
    out.put("model", model);
    out.put(
        "results",
        source.equals(DOCUMENTS)
            ? rows(DOCUMENT_ROWS, hits)
            : source.equals("viral_posts_bank")
                ? rows(POST_ROWS, hits)
                : rows(catalogueRows(source), hits));
    return out;
  }

  private float[] vector(JsonNode node, String source) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw ApiException.badRequest("query_embedding must be a non-empty array of numbers");
    }
    float[] v = new float[node.size()];
    boolean nonZero = false;
    for (int i = 0; i < v.length; i++) {
      JsonNode x = node.get(i);
      if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
        throw ApiException.badRequest("query_embedding[" + i + "] is not a finite number");
      }
      v[i] = (float) x.asDouble();
      nonZero |= v[i] != 0;
    }
    int expected = index.dimensions(source).orElse(embedders.current().dimensions());
    if (v.length != expected) {
      throw ApiException.badRequest(
          "query_embedding has "
              + v.length
              + " dimensions; "
              + source
              + " is searched with "
              + expected
              + "-dimension vectors");
    }
    if (!nonZero) {
      throw ApiException.badRequest(
          "query_embedding is the zero vector, which has no direction to compare");
    }
    return v;
  }

  private static double threshold(JsonNode node, String name, double defaultValue) {
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isNumber() || node.asDouble() < -1 || node.asDouble() > 1) {
      throw ApiException.badRequest(
          name + " must be a number between -1 and 1 (cosine similarity)");
    }
    return node.asDouble();
  }

  private static int count(JsonNode node, String name) {
    if (node == null || node.isNull()) {
      return MatchFunction.DEFAULT_COUNT;
    }
    if (!node.canConvertToInt()
        || !node.isIntegralNumber()
        || node.asInt() < 1
        || node.asInt() > MatchFunction.MAX_COUNT) {
      throw ApiException.badRequest(
          name + " must be an integer between 1 and " + MatchFunction.MAX_COUNT);
    }
    return node.asInt();
  }

  private static String uuid(JsonNode node, String name) {
    if (node == null || !node.isTextual()) {
      throw ApiException.badRequest(name + " is required (a uuid)");
    }
    try {
      return UUID.fromString(node.asText()).toString();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(name + " is not a uuid: '" + node.asText() + "'");
    }
  }

  private static Map<String, String> postFilters(JsonNode filters) {
    Map<String, String> out = new HashMap<>();
    if (filters == null || filters.isNull()) {
      return out;
    }
    if (!filters.isObject()) {
      throw ApiException.badRequest(
          "filters must be a JSON object, e.g. {\"topic_id\": \"<uuid>\"}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!MatchFunction.POST_FILTERS.contains(f.getKey())) {
        throw ApiException.badRequest(
            "unknown filter '" + f.getKey() + "': use " + MatchFunction.POST_FILTERS);
      }
      if (!f.getValue().isNull()) {
        out.put(f.getKey(), uuid(f.getValue(), f.getKey()));
      }
    }
    return out;
  }

  /**
   * Text search filters: attribute equality; {@code metadata} holds equality on stored metadata
   * keys.
   */
  private static Map<String, String> textFilters(JsonNode filters) {
    Map<String, String> out = new HashMap<>();
    if (filters == null || filters.isNull()) {
      return out;
    }
    if (!filters.isObject()) {
      throw ApiException.badRequest("filters must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("metadata")) {
        if (!f.getValue().isObject()) {
          throw ApiException.badRequest("filters.metadata must be an object of key: value");
        }
        f.getValue()
            .fields()
            .forEachRemaining(m -> out.put("meta:" + m.getKey(), scalar(m.getValue(), m.getKey())));
      } else if (Set.of("source_table", "author_id", "topic_id", "audience_id", "hook_type_id")
          .contains(f.getKey())) {
        out.put(f.getKey(), scalar(f.getValue(), f.getKey()));
      } else {
        throw ApiException.badRequest(
            "unknown filter '"
                + f.getKey()
                + "': use source_table, author_id, topic_id, audience_id, hook_type_id or metadata");
      }
    }
    return out;
  }

  private static String scalar(JsonNode v, String name) {
    if (!v.isValueNode() || v.isNull()) {
      throw ApiException.badRequest("filter " + name + " must be a string, number or boolean");
    }
    return v.asText();
  }

  private static final String POST_ROWS =
      """
      SELECT id, author_id, post_url, content, hook, likes, comments, posted_at, hook_type_id, topic_id, audience_id
      FROM viral_posts_bank WHERE id = ANY (?::uuid[])""";
  private static final String DOCUMENT_ROWS =
      """
      SELECT id, source_table, source_id, chunk_index, content, metadata, model
      FROM documentation_embeddings WHERE id = ANY (?::uuid[])""";

  private static String catalogueRows(String table) {
    return "SELECT id, name, description FROM " + table + " WHERE id = ANY (?::uuid[])";
  }

  /**
   * The hits' rows in rank order with their similarity; rows deleted since the index saw them are
   * left out.
   */
  private List<Map<String, Object>> rows(String sql, List<SearchHit> hits) {
    if (hits.isEmpty()) {
      return List.of();
    }
    Map<String, Map<String, Object>> byId = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", hits.stream().map(h -> h.item().key()).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            if (value instanceof java.sql.Timestamp ts) {
              value = ts.toInstant().toString();
            } else if (value instanceof org.postgresql.util.PGobject pg) {
              value = WebJson.parse(pg.getValue());
            } else if (value instanceof UUID u) {
              value = u.toString();
            }
            row.put(meta.getColumnLabel(i), value);
          }
          byId.put(String.valueOf(row.get("id")), row);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the matched rows: " + e.getMessage(), e);
    }
    List<Map<String, Object>> out = new ArrayList<>(hits.size());
    for (SearchHit h : hits) {
      Map<String, Object> row = byId.get(h.item().key());
      if (row != null) {
        row.put("similarity", h.similarity());
        out.add(row);
      }
    }
    return out;
  }

  /** Parses stored jsonb for the response; kept apart so the service has one JSON dependency. */
  private static final class WebJson {
    static JsonNode parse(String json) {
      try {
        return dev.tributary.web.WebServer.JSON.readTree(json);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("stored JSON is not valid: " + e.getMessage(), e);
      }
    }
  }
}
