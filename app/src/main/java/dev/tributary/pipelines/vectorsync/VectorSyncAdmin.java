package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.DatabaseException;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Registering sources and the operator's side of S3.5: status per source, stuck items, the
 * consistency check, cleanup, full resync and retrying parked items. Register and resync run the
 * SQL functions of V053, so the CLI, the API and a SQL client behave the same.
 */
public final class VectorSyncAdmin {
  public static final Duration COMPLETED_RETENTION = Duration.ofDays(7);
  public static final Duration STUCK_AFTER = Duration.ofMinutes(10);

  private final DataSource dataSource;
  private final Jdbc jdbc;

  public VectorSyncAdmin(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
  }

  /** A problem with what the caller asked (unknown table or column, bad SQL expression). */
  public static final class InvalidRequest extends RuntimeException {
    InvalidRequest(String message) {
      super(message);
    }
  }

  /** A stored document: its id in {@code client_documents}, from where vector sync picks it up. */
  public record StoredDocument(String id, String title, int pages, int characters, int chunks) {}

  /**
   * Stores an uploaded PDF's text in {@code client_documents}; its trigger queues it for embedding.
   * NUL characters, which PostgreSQL's text refuses, are dropped.
   */
  public StoredDocument storeDocument(String title, String filename, DocumentText.Extracted doc) {
    String text = doc.text().replace("\u0000", "");
    String id =
        jdbc.queryOne(
                """
                INSERT INTO client_documents (title, filename, content_type, page_count, content)
                VALUES (:title, :filename, 'application/pdf', :pages, :content) RETURNING id::text""",
                Params.of(
                    "title", title, "filename", filename, "pages", doc.pages(), "content", text),
                rs -> rs.getString(1))
            .orElseThrow();
    return new StoredDocument(
        id, title, doc.pages(), doc.text().length(), TextChunker.DEFAULT.chunk(doc.text()).size());
  }

  /**
   * Installs the trigger on {@code table} and enqueues its rows; returns how many were enqueued. An
   * administrator's act (the CLI, or the API with ADMIN_KEY): {@code contentSql} and {@code
   * whereSql} are single SQL expressions over the row's columns, checked, evaluated with the
   * restricted role {@code tributary_expression} and tried on one row before the trigger exists
   * (V120); a refused expression is an {@link InvalidRequest} with the database's message.
   */
  public int register(String table, String idColumn, String contentSql, String whereSql) {
    if (table == null || table.isBlank() || idColumn == null || idColumn.isBlank()) {
      throw new InvalidRequest("table and id column are required");
    }
    try {
      return jdbc.queryOne(
              "SELECT vector_sync_register(:table, :id_column, :content_sql, :where_sql)",
              Params.of(
                  "table",
                  table,
                  "id_column",
                  idColumn,
                  "content_sql",
                  contentSql,
                  "where_sql",
                  whereSql),
              rs -> rs.getInt(1))
          .orElseThrow();
    } catch (DatabaseException e) {
      // whatever an expression did wrong is the caller's (the database's words); only a lost
      // connection, lack of resources or an internal error is the server's
      String state = e.sqlState() == null ? "" : e.sqlState();
      if (state.length() == 5 && !List.of("08", "53", "58", "XX").contains(state.substring(0, 2))) {
        String m = e.getCause() == null ? null : e.getCause().getMessage();
        throw new InvalidRequest(m == null ? state : m.replaceFirst("^ERROR: ", "").split("\n")[0]);
      }
      throw e;
    }
  }

  /**
   * Re-enqueues every row of {@code table}, or of every registered source when it is null (S3.5).
   */
  public int resync(String table) {
    String sql =
        table == null
            ? "SELECT coalesce(sum(vector_sync_enqueue_all(source_table)), 0)::int FROM vector_sync_sources"
            : "SELECT vector_sync_enqueue_all(:table)";
    try {
      return jdbc.queryOne(
              sql, table == null ? Params.NONE : Params.of("table", table), rs -> rs.getInt(1))
          .orElseThrow();
    } catch (DatabaseException e) {
      throw translate(e);
    }
  }

  public List<Map<String, Object>> sources() {
    return query(
        "SELECT source_table, id_column, content_sql, where_sql, created_at::text FROM vector_sync_sources"
            + " ORDER BY source_table");
  }

  public List<Map<String, Object>> status() {
    return query("SELECT * FROM embedding_sync_status ORDER BY source_table");
  }

  /**
   * Each vector source's active model and its last or running model switch (from, to, state, rows
   * done of total, when, last error): {@code search_model_switches}.
   */
  public List<Map<String, Object>> modelSwitches() {
    return SwitchProgress.status(dataSource);
  }

  /**
   * Items 'processing' for longer than {@code olderThan}: their worker died or hangs (the alert).
   */
  public List<Map<String, Object>> stuckItems(Duration olderThan) {
    return query(
        """
        SELECT id::text, source_table, source_id, action, started_at::text, retry_count FROM embedding_sync_queue
        WHERE status = 'processing' AND started_at < now() - make_interval(secs => :seconds) ORDER BY started_at""",
        Params.of("seconds", (double) olderThan.toSeconds()));
  }

  /**
   * Puts stuck items back in the queue (a newer pending item of the same row makes them redundant).
   */
  public int releaseStuck(Duration olderThan) {
    return update(
        """
        WITH stuck AS (
          SELECT s.id, EXISTS (SELECT 1 FROM embedding_sync_queue p WHERE p.source_table = s.source_table
                               AND p.source_id = s.source_id AND p.action = s.action AND p.status = 'pending') AS dup
          FROM embedding_sync_queue s
          WHERE s.status = 'processing' AND s.started_at < now() - make_interval(secs => :seconds)),
        dropped AS (DELETE FROM embedding_sync_queue q USING stuck WHERE q.id = stuck.id AND stuck.dup RETURNING q.id)
        UPDATE embedding_sync_queue q SET status = 'pending', started_at = NULL, next_attempt_at = now()
        FROM stuck WHERE q.id = stuck.id AND NOT stuck.dup""",
        Params.of("seconds", (double) olderThan.toSeconds()));
  }

  /**
   * Parked items of {@code table} (all when null) go back to pending with their retry count reset.
   */
  public int retryFailed(String table) {
    return update(
        """
        UPDATE embedding_sync_queue q SET status = 'pending', retry_count = 0, error = NULL, next_attempt_at = now()
        WHERE q.status = 'failed' AND (:table::text IS NULL OR q.source_table = :table)
          AND NOT EXISTS (SELECT 1 FROM embedding_sync_queue p WHERE p.source_table = q.source_table
                          AND p.source_id = q.source_id AND p.action = q.action AND p.status = 'pending')""",
        Params.of("table", table));
  }

  /** Deletes completed items processed more than 7 days ago (S3.5). */
  public int cleanup() {
    return update(
        "DELETE FROM embedding_sync_queue WHERE status = 'completed'"
            + " AND processed_at < now() - make_interval(secs => :seconds)",
        Params.of("seconds", (double) COMPLETED_RETENTION.toSeconds()));
  }

  /**
   * The consistency check: ids of included rows of {@code table} with no embedding in the model
   * search answers with (the seed's "published FAQs without embedding", for any registered table).
   */
  public List<String> missingEmbeddings(String table) {
    try {
      return jdbc.withConnection(
          "check " + table,
          h -> {
            String fn =
                h.queryOne(
                        "SELECT row_function FROM vector_sync_sources WHERE source_table = :table",
                        Params.of("table", table),
                        rs -> rs.getString(1))
                    .orElseThrow(
                        () ->
                            new InvalidRequest(
                                "table " + table + " is not registered for vector sync"));
            // table and function names come from the registry, where V053 stored them quoted
            String sql =
                "SELECT r.id FROM \""
                    + table.replace("\"", "\"\"")
                    + "\" AS x, LATERAL "
                    + fn
                    + "(x) AS r"
                    + " WHERE r.included AND NOT EXISTS (SELECT 1 FROM documentation_embeddings de"
                    + " WHERE de.source_table = :table AND de.source_id = r.id"
                    + " AND de.model = coalesce((SELECT model FROM search_active_models"
                    + " WHERE source = 'documentation_embeddings'), de.model))"
                    + " ORDER BY r.id";
            return h.query(sql, Params.of("table", table), rs -> rs.getString(1));
          });
    } catch (DatabaseException e) {
      throw translate(e);
    }
  }

  private List<Map<String, Object>> query(String sql) {
    return query(sql, Params.NONE);
  }

  private List<Map<String, Object>> query(String sql, Params params) {
    try {
      return jdbc.query(
          sql,
          params,
          rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              row.put(meta.getColumnLabel(i), rs.getObject(i));
            }
            return row;
          });
    } catch (DatabaseException e) {
      throw translate(e);
    }
  }

  private int update(String sql, Params params) {
    try {
      return jdbc.update(sql, params);
    } catch (DatabaseException e) {
      throw translate(e);
    }
  }

  /**
   * Errors the caller can fix (SQL states of class 22, 42) become {@link InvalidRequest}; others
   * stay database failures.
   */
  private static RuntimeException translate(DatabaseException e) {
    String state = e.sqlState() == null ? "" : e.sqlState();
    if (state.startsWith("22") || state.startsWith("42")) {
      String m = e.getCause() == null ? null : e.getCause().getMessage();
      return new InvalidRequest(m == null ? "" : m.replaceFirst("^ERROR: ", "").split("\n")[0]);
    }
    return e;
  }
}
