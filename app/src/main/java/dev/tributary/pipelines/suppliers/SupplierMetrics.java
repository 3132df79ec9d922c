package dev.tributary.pipelines.suppliers;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Duration;

/**
 * Supplier sync metrics in the Prometheus text format, per supplier and job type, read from the
 * tables at scrape time so every node reports the cluster's numbers: jobs per status over 7 days,
 * the duration of finished jobs, items processed and failed, and products per status.
 */
public final class SupplierMetrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Jdbc jdbc;
  private final Clock clock;

  public SupplierMetrics(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    Params p = Params.of("since", clock.instant().minus(Duration.ofDays(7)));
    header(
        out, "tributary_supplier_import_jobs", "gauge", "import jobs created in the last 7 days");
    header(out, "tributary_supplier_import_duration_seconds_sum", "gauge", "");
    header(out, "tributary_supplier_import_duration_seconds_count", "gauge", "");
    header(out, "tributary_supplier_items_processed", "gauge", "");
    header(out, "tributary_supplier_items_failed", "gauge", "");
    jdbc.query(
            """
            SELECT coalesce(s.name, '') AS supplier, coalesce(s.provider, '') AS provider, j.job_type, j.status,
                   count(*) AS n, coalesce(sum(extract(epoch FROM j.completed_at - j.started_at)), 0) AS secs,
                   count(j.completed_at) AS finished, sum(j.processed_items) AS processed,
                   sum(j.failed_items) AS failed
              FROM import_jobs j LEFT JOIN suppliers s ON s.id = j.supplier_id
             WHERE j.created_at > :since
             GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""",
            p,
            rs -> {
              String labels =
                  "supplier=\""
                      + esc(rs.getString(1))
                      + "\",provider=\""
                      + esc(rs.getString(2))
                      + "\",job_type=\""
                      + esc(rs.getString(3))
                      + "\"";
              String status = ",status=\"" + esc(rs.getString(4)) + "\"";
              return "tributary_supplier_import_jobs{"
                  + labels
                  + status
                  + "} "
                  + rs.getLong(5)
                  + "\n"
                  + "tributary_supplier_import_duration_seconds_sum{"
                  + labels
                  + status
                  + "} "
                  + rs.getDouble(6)
                  + "\n"
                  + "tributary_supplier_import_duration_seconds_count{"
                  + labels
                  + status
                  + "} "
                  + rs.getLong(7)
                  + "\n"
                  + "tributary_supplier_items_processed{"
                  + labels
                  + status
                  + "} "
                  + rs.getLong(8)
                  + "\n"
                  + "tributary_supplier_items_failed{"
                  + labels
                  + status
                  + "} "
                  + rs.getLong(9)
                  + "\n";
            })
        .forEach(out::append);
    header(
        out, "tributary_supplier_products", "gauge", "imported products per supplier and status");
    jdbc.query(
            """
            SELECT s.name, s.provider, p.status, count(*) FROM imported_products p
              JOIN suppliers s ON s.id = p.supplier_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
            Params.NONE,
            rs ->
                "tributary_supplier_products{supplier=\""
                    + esc(rs.getString(1))
                    + "\",provider=\""
                    + esc(rs.getString(2))
                    + "\",status=\""
                    + esc(rs.getString(3))
                    + "\"} "
                    + rs.getLong(4)
                    + "\n")
        .forEach(out::append);
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    if (!help.isEmpty()) {
      out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    }
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String esc(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
