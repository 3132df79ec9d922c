package dev.tributary.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.node.TributaryNode;
import dev.tributary.pipelines.enrichment.CascadeWorker;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.search.SearchService;
import java.io.PrintStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the demo prints once the cascade drained, read back from the seed's own records: the sync's
 * {@code sync_jobs} row, the workers' {@code task_execution_logs_v2} rows since the run began, the
 * enriched posts and profiles of the synthetic world, and a search over the node's index.
 */
final class DemoReport {
  static final String SEARCH_QUERY = "how should I set the price of my product";
  private static final int TOP_LABELS = 3;

  private final DataSource dataSource;
  private final DemoWorld world;
  private final TributaryNode node;
  private final Timestamp since;
  private final long jobId;

  DemoReport(
      DataSource dataSource, DemoWorld world, TributaryNode node, Timestamp since, long jobId) {
    this.dataSource = dataSource;
    this.world = world;
    this.node = node;
    this.since = since;
    this.jobId = jobId;
  }

  void print(PrintStream out, Duration drained, Duration total) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Array ids = c.createArrayOf("text", world.linkedinIds().toArray());
      out.println();
      double scrapeSeconds = sync(c, out);
      Map<String, double[]> stages = workers(c, out);
      enrichment(c, ids, out);
      styles(c, ids, out);
      double busy = stages.values().stream().mapToDouble(s -> s[1]).sum();
      out.printf(
          Locale.ROOT,
          "Time: %.1f s from enqueue to drained (scrape %.1f s; the workers busy %.1f s in all,"
              + " partly while the scrape ran); %.1f s for the whole demo%n",
          seconds(drained),
          scrapeSeconds,
          busy,
          seconds(total));
      search(c, out);
    }
    out.println();
    out.println(
        "Run ./tributary demo again: the sandbox moves on a SYNTHETIC week, so new posts arrive beside"
            + " already known ones (counters refreshed, nothing duplicated).");
  }

  /** The sync_jobs row of the demo's engine job, and one line per synthetic profile. */
  private double sync(Connection c, PrintStream out) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT id, job_type, status, duration_seconds, profiles_processed, successful_profiles, posts_scraped,
               posts_new, results::text
          FROM sync_jobs WHERE triggered_by = ? ORDER BY created_at DESC LIMIT 1""")) {
      ps.setString(1, "job:" + jobId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          out.println("Sync: no sync_jobs row for engine job " + jobId);
          return 0;
        }
        double seconds = rs.getDouble(4);
        JsonNode results = readJson(rs.getString(9));
        int known = 0;
        int refreshed = 0;
        int reshares = 0;
        for (JsonNode r : results) {
          known += r.path("posts_refreshed").asInt() + r.path("posts_unchanged").asInt();
          refreshed += r.path("posts_refreshed").asInt();
          reshares += r.path("reshares_skipped").asInt();
        }
        out.printf(
            Locale.ROOT,
            "Sync (sync_jobs %s, %s, %s in %.1f s)%n",
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            seconds);
        out.printf(
            Locale.ROOT, "  profiles: %d processed, %d successful%n", rs.getInt(5), rs.getInt(6));
        out.printf(
            Locale.ROOT,
            "  posts: %d scraped · %d new · %d already known (%d with refreshed counters)"
                + " · %d reshares skipped%n",
            rs.getInt(7),
            rs.getInt(8),
            known,
            refreshed,
            reshares);
        out.printf(
            "  %-34s %-7s %7s %5s %6s %9s%n",
            "SYNTHETIC profile", "status", "scraped", "new", "known", "reshares");
        for (JsonNode r : results) {
          out.printf(
              "  %-34s %-7s %7d %5d %6d %9d%n",
              r.path("linkedin_id").asText(),
              r.path("status").asText(),
              r.path("posts_scraped").asInt(),
              r.path("posts_new").asInt(),
              r.path("posts_refreshed").asInt() + r.path("posts_unchanged").asInt(),
              r.path("reshares_skipped").asInt());
        }
        return seconds;
      }
    }
  }

  /**
   * Each worker's runs since the demo began: runs, items, failures, time spent. Key → {items,
   * seconds}.
   */
  private Map<String, double[]> workers(Connection c, PrintStream out) throws SQLException {
    Map<String, double[]> byWorker = new HashMap<>();
    Map<String, String> lines = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT worker_name, count(*), sum(items_processed), sum(items_failed), coalesce(sum(duration_ms), 0),
               count(*) FILTER (WHERE status <> 'completed')
          FROM task_execution_logs_v2 WHERE started_at >= ? GROUP BY worker_name""")) {
      ps.setTimestamp(1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double secs = rs.getLong(5) / 1000.0;
          byWorker.put(rs.getString(1), new double[] {rs.getLong(3), secs});
          lines.put(
              rs.getString(1),
              String.format(
                  Locale.ROOT,
                  "  %-30s %5d %6d %7d %9.1f s%s",
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  secs,
                  rs.getInt(6) > 0 ? "  (" + rs.getInt(6) + " run(s) not completed)" : ""));
        }
      }
    }
    out.println("Cascade (the six S1.1 workers as engine jobs; task_execution_logs_v2)");
    out.printf("  %-30s %5s %6s %7s %11s%n", "worker", "runs", "items", "failed", "time");
    for (CascadeWorker w : node.profiles().workers()) {
      out.println(
          lines.getOrDefault(
              w.name(), String.format("  %-30s %5d %6d %7d %9.1f s", w.name(), 0, 0, 0, 0.0)));
    }
    inline(c, out);
    return byWorker;
  }

  /** What the embedding worker did for the other workers in its own pass (local models). */
  private void inline(Connection c, PrintStream out) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT coalesce(sum((result->'inline'->>'hooks_extracted')::int), 0),
               coalesce(sum((result->'inline'->>'hook_types')::int), 0),
               coalesce(sum((result->'inline'->>'topics')::int), 0),
               coalesce(sum((result->'inline'->>'audiences')::int), 0)
          FROM task_execution_logs_v2
         WHERE started_at >= ? AND worker_name = ? AND result->'inline' IS NOT NULL""")) {
      ps.setTimestamp(1, since);
      ps.setString(2, EmbeddingWorker.NAME);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(1) + rs.getLong(2) + rs.getLong(3) + rs.getLong(4) > 0) {
          out.printf(
              "  in the embedding pass (local models, one inference per post): %d hooks stored,"
                  + " %d hook types, %d topics, %d audiences%n",
              rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
      }
    }
  }

  private void enrichment(Connection c, Array ids, PrintStream out) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT count(*), count(v.embedding), count(v.hook), count(v.hook_type_id), count(v.topic_id),
               count(v.audience_id), string_agg(DISTINCT v.embedding_model, ', '), string_agg(DISTINCT v.classified_by, ', '),
               count(*) FILTER (WHERE coalesce(btrim(v.content), '') = '')
          FROM viral_posts_bank v JOIN profiles p ON p.id = v.author_id WHERE p.linkedin_id = ANY (?)""")) {
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        out.printf("Posts of the SYNTHETIC world in viral_posts_bank: %d%n", rs.getLong(1));
        out.printf(
            "  embeddings: %d (%s, %d dimensions)%s%n",
            rs.getLong(2),
            rs.getString(7),
            node.ai().embedder().dimensions(),
            rs.getLong(9) == 0
                ? ""
                : "; " + rs.getLong(9) + " posts without text have nothing to embed or classify");
        out.printf(
            "  hooks extracted: %d · classified by %s: hook types %d, topics %d, audiences %d%n",
            rs.getLong(3), rs.getString(8), rs.getLong(4), rs.getLong(5), rs.getLong(6));
      }
    }
    topLabels(c, ids, out, "hook types", "hook_types", "hook_type_id");
    topLabels(c, ids, out, "topics", "topics", "topic_id");
    topLabels(c, ids, out, "audiences", "audiences", "audience_id");
  }

  private void topLabels(
      Connection c, Array ids, PrintStream out, String title, String table, String column)
      throws SQLException {
    // table and column come from the three fixed catalogues above, never from input
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT t.name, count(*), (SELECT count(*) FROM "
                + table
                + ")"
                + " FROM viral_posts_bank v JOIN profiles p ON p.id = v.author_id JOIN "
                + table
                + " t ON t.id = v."
                + column
                + " WHERE p.linkedin_id = ANY (?) GROUP BY t.name ORDER BY 2 DESC, 1")) {
      ps.setArray(1, ids);
      List<String> top = new ArrayList<>();
      int used = 0;
      long catalogue = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          used++;
          catalogue = rs.getLong(3);
          if (top.size() < TOP_LABELS) {
            top.add(rs.getString(1) + " (" + rs.getLong(2) + ")");
          }
        }
      }
      out.printf(
          "  top %s: %s — %d of %d labels used%n",
          title, top.isEmpty() ? "none" : String.join(", ", top), used, catalogue);
    }
  }

  private void styles(Connection c, Array ids, PrintStream out) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT count(*) FILTER (WHERE writing_style_prompt IS NOT NULL),
               count(*) FILTER (WHERE style_analyzed_at >= ?),
               string_agg(DISTINCT style_analyzed_by, ', '),
               (array_agg(full_name || ': ' || writing_style_prompt ORDER BY linkedin_id)
                  FILTER (WHERE writing_style_prompt IS NOT NULL))[1]
          FROM profiles WHERE linkedin_id = ANY (?)""")) {
      ps.setTimestamp(1, since);
      ps.setArray(2, ids);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        out.printf(
            "Writing styles (profiles.writing_style_prompt): %d SYNTHETIC profiles have one (by %s), %d analysed"
                + " in this run%n",
            rs.getLong(1), rs.getString(3) == null ? "-" : rs.getString(3), rs.getLong(2));
        if (rs.getString(4) != null) {
          out.printf("  e.g. %s%n", shorten(rs.getString(4), 150));
        }
      }
    }
  }

  /** A text search over the posts, answered by the node's in-memory index (S1.10). */
  private void search(Connection c, PrintStream out) throws SQLException {
    Map<String, Object> answer =
        node.search()
            .service()
            .searchText(
                new SearchService.TextQuery(SEARCH_QUERY, "viral_posts_bank", 0.0, 3, null));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) answer.get("results");
    Map<String, String> names = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id::text, full_name FROM profiles");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.put(rs.getString(1), rs.getString(2));
      }
    }
    out.printf(
        "Semantic search over the SYNTHETIC posts (in-process index, %s): \"%s\"%n",
        answer.get("model"), SEARCH_QUERY);
    if (results.isEmpty()) {
      out.println("  no post matched");
    }
    for (Map<String, Object> r : results) {
      String hook =
          r.get("hook") == null ? String.valueOf(r.get("content")) : String.valueOf(r.get("hook"));
      out.printf(
          Locale.ROOT,
          "  %.2f  %s — \"%s\"%n",
          ((Number) r.get("similarity")).doubleValue(),
          names.getOrDefault(String.valueOf(r.get("author_id")), "?"),
          shorten(hook, 90));
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text == null ? "[]" : text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "sync_jobs.results is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String shorten(String s, int max) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
