package dev.tributary.pipelines.vectorsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
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
        VALUES (?, ?, ?, 'embedding', ?, ?)
        ON CONFLICT (source) DO UPDATE SET
          started_at = CASE WHEN search_model_switches.from_model = EXCLUDED.from_model
                             AND search_model_switches.to_model = EXCLUDED.to_model
                             AND search_model_switches.state = 'embedding'
                            THEN search_model_switches.started_at ELSE now() END,
          from_model = EXCLUDED.from_model, to_model = EXCLUDED.to_model, state = 'embedding',
          rows_total = EXCLUDED.rows_total, rows_done = EXCLUDED.rows_done, updated_at = now(),
          switched_at = NULL, last_error = NULL""",
        source,
        from,
        to,
        (int) total,
        (int) done);
  }

  static void advance(DataSource ds, String source, long done, long total) {
    run(
        ds,
        "UPDATE search_model_switches SET rows_done = ?, rows_total = ?, updated_at = now() WHERE source = ?",
        (int) done,
        (int) total,
        source);
  }

  /** Inside the swap's transaction, so the status says 'switched' exactly when search does. */
  static void switched(Connection c, String source, long done) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        UPDATE search_model_switches SET state = 'switched', rows_done = ?, rows_total = ?, updated_at = now(),
          switched_at = now(), last_error = NULL WHERE source = ?""")) {
      ps.setInt(1, (int) done);
      ps.setInt(2, (int) done);
      ps.setString(3, source);
      ps.executeUpdate();
    }
  }

  static void markSwitched(DataSource ds, String source, long done) {
    try (Connection c = ds.getConnection()) {
      switched(c, source, done);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not record the model switch's progress: " + e.getMessage(), e);
    }
  }

  /** Records why the running switch of {@code source} stopped; the next run resumes it. */
  static void failed(DataSource ds, String source, String error) {
    String e =
        error == null ? "unknown error" : error.length() > 1000 ? error.substring(0, 1000) : error;
    run(
        ds,
        "UPDATE search_model_switches SET last_error = ?, updated_at = now() WHERE source = ? AND state = 'embedding'",
        e,
        source);
  }

  /** Every source's active model beside its last or running switch, for the status route. */
  static List<Map<String, Object>> status(DataSource ds) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
        SELECT a.source, a.model, s.from_model, s.to_model, s.state, s.rows_total, s.rows_done, s.started_at,
               s.updated_at, s.switched_at, s.last_error
        FROM search_active_models a LEFT JOIN search_model_switches s USING (source)
        ORDER BY a.source""");
        ResultSet rs = ps.executeQuery()) {
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
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
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the model switches: " + e.getMessage(), e);
    }
  }

  private static String instant(Timestamp t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static void run(DataSource ds, String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not record the model switch's progress: " + e.getMessage(), e);
    }
  }
}
