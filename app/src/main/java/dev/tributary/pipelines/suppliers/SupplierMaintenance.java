package dev.tributary.pipelines.suppliers;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * After each cycle (S2.4): import logs older than 30 days and finished jobs older than 7 days are
 * deleted, and every live product's {@code ai_score} is recomputed.
 *
 * <p>The score, 0 to 100, is the sum of four parts: margin up to 40 ({@code (price - cost) /
 * price}, full at 50 % and above), stock up to 25 ({@code ln(1 + stock) / ln(101)}, full at 100
 * units), recent orders up to 25 (orders of the last 30 days whose {@code items} name the product
 * by {@code product_id} or {@code external_id}, full at 10) and freshness up to 10 (synced within a
 * day, falling to 0 at 30 days). A discontinued product scores 0.
 */
public final class SupplierMaintenance {
  public static final Duration LOG_RETENTION = Duration.ofDays(30);
  public static final Duration JOB_RETENTION = Duration.ofDays(7);

  public record Report(int logsDeleted, int jobsDeleted, int scoresUpdated) {}

  static final String SCORE =
      """
      WITH recent AS (
        SELECT coalesce(i->>'product_id', i->>'external_id') AS ref, count(*) AS n
          FROM orders o, jsonb_array_elements(CASE WHEN jsonb_typeof(o.items) = 'array' THEN o.items ELSE '[]' END) i
         WHERE o.created_at > :now::timestamptz - interval '30 days' AND jsonb_typeof(i) = 'object'
         GROUP BY 1),
      scored AS (
        SELECT p.id,
               CASE WHEN p.status = 'discontinued' THEN 0 ELSE round((
                 40 * CASE WHEN p.price > 0 AND p.cost_price IS NOT NULL
                           THEN least(1, greatest(0, (p.price - p.cost_price) / p.price) / 0.5) ELSE 0 END
               + 25 * least(1, ln(1 + greatest(p.stock_quantity, 0)) / ln(101))
               + 25 * least(1, coalesce((SELECT sum(r.n) FROM recent r
                                          WHERE r.ref IN (p.id::text, p.external_id)), 0) / 10.0)
               + 10 * CASE WHEN p.last_synced_at IS NULL THEN 0
                           ELSE greatest(0, least(1, 1 - (extract(epoch FROM :now::timestamptz - p.last_synced_at) / 86400 - 1) / 29)) END
               )::numeric, 2) END AS score
          FROM imported_products p)
      UPDATE imported_products p SET ai_score = s.score
        FROM scored s
       WHERE p.id = s.id AND p.ai_score IS DISTINCT FROM s.score""";

  private final Jdbc jdbc;
  private final Clock clock;

  public SupplierMaintenance(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public Report run() {
    Instant now = clock.instant();
    return jdbc.inTransaction(
        "supplier maintenance",
        h -> {
          int logs =
              h.update(
                  "DELETE FROM import_job_logs WHERE created_at < :cutoff",
                  Params.of("cutoff", now.minus(LOG_RETENTION)));
          int jobs =
              h.update(
                  """
                  DELETE FROM import_jobs
                   WHERE status IN ('completed', 'failed') AND completed_at < :cutoff""",
                  Params.of("cutoff", now.minus(JOB_RETENTION)));
          int scores = h.update(SCORE, Params.of("now", now));
          return new Report(logs, jobs, scores);
        });
  }
}
