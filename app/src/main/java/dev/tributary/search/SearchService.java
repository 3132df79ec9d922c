package dev.tributary.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ai.Embedder;
import dev.tributary.ai.Embedders;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Answers the {@code match_*} functions and text search from the in-process index, then reads the
 * matched rows' columns from Postgres by id (at most {@code count} rows, one indexed query). Input
 * arrives as plain values (the rpc's named arguments as a map, text search as a {@link TextQuery})
 * and is validated here: every problem is an {@link InvalidSearch} whose message says what to send
 * instead.
 */
public final class SearchService {
  public static final String DOCUMENTS = "documentation_embeddings";
  public static final double DEFAULT_TEXT_THRESHOLD = 0.2;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The request cannot be answered as asked; the message says what to send instead. */
  public static final class InvalidSearch extends IllegalArgumentException {
    public InvalidSearch(String message) {
      super(message);
    }
  }

  /** No embedder on this node for the model that answers for a source. */
  public static final class ModelUnavailable extends IllegalStateException {
    public ModelUnavailable(String message) {
      super(message);
    }
  }

  /**
   * A text search: {@code source} defaults to documentation_embeddings, {@code threshold} and
   * {@code count} to the defaults, {@code filters} to none.
   */
  public record TextQuery(
      String query, String source, Double threshold, Integer count, Map<String, Object> filters) {}

  private final Jdbc jdbc;
  private final SearchIndex index;
  private final Embedders embedders;

  public SearchService(DataSource dataSource, SearchIndex index, Embedders embedders) {
    this.jdbc = new Jdbc(dataSource);
    this.index = index;
    this.embedders = embedders;
  }

  /** {@code POST /rest/v1/rpc/<function>}: the same named arguments as the SQL function. */
  public List<Map<String, Object>> rpc(String functionName, Map<String, Object> args) {
    MatchFunction function =
        MatchFunction.named(functionName)
            .orElseThrow(
                () ->
                    new InvalidSearch(
                        "unknown function '"
                            + functionName
                            + "': use one of match_viral_posts, "
                            + "match_viral_posts_by_author, match_viral_posts_by_topic, match_viral_posts_filtered, "
                            + "match_topics, match_audiences, match_hook_types"));
    if (args == null) {
      throw new InvalidSearch("the body must be a JSON object of the function's named arguments");
    }
    Set<String> allowed =
        new java.util.HashSet<>(Set.of("query_embedding", "match_threshold", "match_count"));
    function.extraArgument().ifPresent(allowed::add);
    for (String name : args.keySet()) {
      if (!allowed.contains(name)) {
        throw new InvalidSearch(
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
  public Map<String, Object> searchText(TextQuery body) {
    if (body.query() == null || body.query().isBlank()) {
      throw new InvalidSearch("'query' must be a non-empty text");
    }
    String source = body.source() != null ? body.source() : DOCUMENTS;
    if (IndexedSource.ALL.stream().noneMatch(s -> s.name().equals(source))) {
      throw new InvalidSearch(
          "unknown source '"
              + source
              + "': use documentation_embeddings, "
              + "viral_posts_bank, topics, audiences or hook_types");
    }
    double threshold = threshold(body.threshold(), "threshold", DEFAULT_TEXT_THRESHOLD);
    int count = count(body.count(), "count");
    Map<String, String> filter = textFilters(body.filters());
    String model = index.activeModel(source).orElse(embedders.current().modelId());
    Embedder embedder =
        embedders
            .forModel(model)
            .orElseThrow(
                () ->
                    new ModelUnavailable(
                        "the model answering for "
                            + source
                            + " ("
                            + model
                            + ") has no embedder on this node"));
    float[] vector = embedder.embed(body.query());
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

  private float[] vector(Object node, String source) {
    if (!(node instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidSearch("query_embedding must be a non-empty array of numbers");
    }
    float[] v = new float[list.size()];
    boolean nonZero = false;
    for (int i = 0; i < v.length; i++) {
      if (!(list.get(i) instanceof Number x) || !Double.isFinite(x.doubleValue())) {
        throw new InvalidSearch("query_embedding[" + i + "] is not a finite number");
      }
      v[i] = x.floatValue();
      nonZero |= v[i] != 0;
    }
    int expected = index.dimensions(source).orElse(embedders.current().dimensions());
    if (v.length != expected) {
      throw new InvalidSearch(
          "query_embedding has "
              + v.length
              + " dimensions; "
              + source
              + " is searched with "
              + expected
              + "-dimension vectors");
    }
    if (!nonZero) {
      throw new InvalidSearch(
          "query_embedding is the zero vector, which has no direction to compare");
    }
    return v;
  }

  private static double threshold(Object node, String name, double defaultValue) {
    if (node == null) {
      return defaultValue;
    }
    if (!(node instanceof Number n) || !(n.doubleValue() >= -1 && n.doubleValue() <= 1)) {
      throw new InvalidSearch(name + " must be a number between -1 and 1 (cosine similarity)");
    }
    return n.doubleValue();
  }

  private static int count(Object node, String name) {
    if (node == null) {
      return MatchFunction.DEFAULT_COUNT;
    }
    if (!(node instanceof Integer n) || n < 1 || n > MatchFunction.MAX_COUNT) {
      throw new InvalidSearch(
          name + " must be an integer between 1 and " + MatchFunction.MAX_COUNT);
    }
    return n;
  }

  private static String uuid(Object node, String name) {
    if (!(node instanceof String text)) {
      throw new InvalidSearch(name + " is required (a uuid)");
    }
    try {
      return UUID.fromString(text).toString();
    } catch (IllegalArgumentException e) {
      throw new InvalidSearch(name + " is not a uuid: '" + text + "'");
    }
  }

  private static Map<String, String> postFilters(Object filters) {
    Map<String, String> out = new HashMap<>();
    if (filters == null) {
      return out;
    }
    if (!(filters instanceof Map<?, ?> map)) {
      throw new InvalidSearch("filters must be a JSON object, e.g. {\"topic_id\": \"<uuid>\"}");
    }
    for (Map.Entry<?, ?> f : map.entrySet()) {
      String key = String.valueOf(f.getKey());
      if (!MatchFunction.POST_FILTERS.contains(key)) {
        throw new InvalidSearch("unknown filter '" + key + "': use " + MatchFunction.POST_FILTERS);
      }
      if (f.getValue() != null) {
        out.put(key, uuid(f.getValue(), key));
      }
    }
    return out;
  }

  /**
   * Text search filters: attribute equality; {@code metadata} holds equality on stored metadata
   * keys.
   */
  private static Map<String, String> textFilters(Map<String, Object> filters) {
    Map<String, String> out = new HashMap<>();
    if (filters == null) {
      return out;
    }
    for (Map.Entry<String, Object> f : filters.entrySet()) {
      if (f.getKey().equals("metadata")) {
        if (!(f.getValue() instanceof Map<?, ?> meta)) {
          throw new InvalidSearch("filters.metadata must be an object of key: value");
        }
        meta.forEach((k, v) -> out.put("meta:" + k, scalar(v, String.valueOf(k))));
      } else if (Set.of("source_table", "author_id", "topic_id", "audience_id", "hook_type_id")
          .contains(f.getKey())) {
        out.put(f.getKey(), scalar(f.getValue(), f.getKey()));
      } else {
        throw new InvalidSearch(
            "unknown filter '"
                + f.getKey()
                + "': use source_table, author_id, topic_id, audience_id, hook_type_id or metadata");
      }
    }
    return out;
  }

  private static String scalar(Object v, String name) {
    if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
      throw new InvalidSearch("filter " + name + " must be a string, number or boolean");
    }
    return String.valueOf(v);
  }

  private static final String POST_ROWS =
      """
      SELECT id, author_id, post_url, content, hook, likes, comments, posted_at, hook_type_id, topic_id, audience_id
      FROM viral_posts_bank WHERE id = ANY (:ids::uuid[])""";
  private static final String DOCUMENT_ROWS =
      """
      SELECT id, source_table, source_id, chunk_index, content, metadata, model
      FROM documentation_embeddings WHERE id = ANY (:ids::uuid[])""";

  private static String catalogueRows(String table) {
    return "SELECT id, name, description FROM " + table + " WHERE id = ANY (:ids::uuid[])";
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
    List<Map<String, Object>> found =
        jdbc.query(
            sql,
            Params.of("ids", hits.stream().map(h -> h.item().key()).toArray(String[]::new)),
            rs -> {
              ResultSetMetaData meta = rs.getMetaData();
              Map<String, Object> row = new LinkedHashMap<>();
              for (int i = 1; i <= meta.getColumnCount(); i++) {
                Object value = rs.getObject(i);
                if (value instanceof java.sql.Timestamp ts) {
                  value = ts.toInstant().toString();
                } else if (value instanceof org.postgresql.util.PGobject pg) {
                  value = parseJson(pg.getValue());
                } else if (value instanceof UUID u) {
                  value = u.toString();
                }
                row.put(meta.getColumnLabel(i), value);
              }
              return row;
            });
    for (Map<String, Object> row : found) {
      byId.put(String.valueOf(row.get("id")), row);
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

  /** Stored jsonb as plain values for the response. */
  private static Object parseJson(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored JSON is not valid: " + e.getMessage(), e);
    }
  }
}
