package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code search_model_switches}: where each source's last or running switch stands, written by the
 * node that holds the switch lock and read by any node ({@code GET /api/vectorize/status}).
 */
final class SwitchProgress {
  private SwitchProgress() {}

  /**
   * Records a switch from {@code from} to {@code to} as running; keeps its start time if it is
   * resuming.
   */
  static void begin(DataSource ds, String source, String from, String to, long total, long done) {
    run(
        ds,
        """
        INSERT INTO search_model_switches (source, from_model, to_model, state, rows_total, rows_done)
        VALUES (:source, :from, :to, 'embedding', :total, :done)
        ON CONFLICT (source) DO UPDATE SET
          started_at = CASE WHEN search_model_switches.from_model = EXCLUDED.from_model
                             AND search_model_switches.to_model = EXCLUDED.to_model
                             AND search_model_switches.state = 'embedding'
                            THEN search_model_switches.started_at ELSE now() END,
          from_model = EXCLUDED.from_model, to_model = EXCLUDED.to_model, state = 'embedding',
          rows_total = EXCLUDED.rows_total, rows_done = EXCLUDED.rows_done, updated_at = now(),
          switched_at = NULL, last_error = NULL""",
        Params.with("source", source)
            .and("from", from)
            .and("to", to)
            .and("total", (int) total)
            .and("done", (int) done));
  }

  static void advance(DataSource ds, String source, long done, long total) {
    run(
        ds,
        """
        UPDATE search_model_switches SET rows_done = :done, rows_total = :total, updated_at = now()
         WHERE source = :source""",
        Params.of("done", (int) done, "total", (int) total, "source", source));
  }

  /** Inside the swap's transaction, so the status says 'switched' exactly when search does. */
  static void switched(Handle h, String source, long done) throws SQLException {
    h.update(
        """
        UPDATE search_model_switches SET state = 'switched', rows_done = :done, rows_total = :done,
          updated_at = now(), switched_at = now(), last_error = NULL WHERE source = :source""",
        Params.of("done", (int) done, "source", source));
  }

  static void markSwitched(DataSource ds, String source, long done) {
    new Jdbc(ds)
        .withConnection(
            "record the model switch's progress",
            h -> {
              switched(h, source, done);
              return null;
            });
  }

  /** Records why the running switch of {@code source} stopped; the next run resumes it. */
  static void failed(DataSource ds, String source, String error) {
    String e =
        error == null ? "unknown error" : error.length() > 1000 ? error.substring(0, 1000) : error;
    run(
        ds,
        """
        UPDATE search_model_switches SET last_error = :error, updated_at = now()
         WHERE source = :source AND state = 'embedding'""",
        Params.of("error", e, "source", source));
  }

  /** Every source's active model beside its last or running switch, for the status route. */
  static List<Map<String, Object>> status(DataSource ds) {
    return new Jdbc(ds)
        .query(
            """
            SELECT a.source, a.model, s.from_model, s.to_model, s.state, s.rows_total, s.rows_done, s.started_at,
                   s.updated_at, s.switched_at, s.last_error
            FROM search_active_models a LEFT JOIN search_model_switches s USING (source)
            ORDER BY a.source""",
            Params.NONE,
            rs -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("source", rs.getString(1));
              row.put("active_model", rs.getString(2));
              if (rs.getString(3) != null) {
                Map<String, Object> sw = new LinkedHashMap<>();
                sw.put("from_model", rs.getString(3));
                sw.put("to_model", rs.getString(4));
                sw.put("state", rs.getString(5));
                sw.put("rows_total", rs.getInt(6));
                sw.put("rows_done", rs.getInt(7));
                sw.put("started_at", instant(rs.getTimestamp(8)));
                sw.put("updated_at", instant(rs.getTimestamp(9)));
                sw.put("switched_at", instant(rs.getTimestamp(10)));
                sw.put("last_error", rs.getString(11));
                row.put("last_switch", sw);
              }
              return row;
            });
  }

  private static String instant(Timestamp t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static void run(DataSource ds, String sql, Params params) {
    new Jdbc(ds).withConnection("record the model switch's progress", h -> h.update(sql, params));
  }
}
