package dev.tributary.pipelines.suppliers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.testing.SettableClock;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.testing.Rows;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupplierMaintenanceTest {
  final Rows rows = Rows.fresh();
  final SettableClock clock = SettableClock.startingNow();
  final SupplierMaintenance maintenance =
      new SupplierMaintenance(new Jdbc(rows.dataSource()), clock);
  final UUID supplier =
      rows.value("INSERT INTO suppliers (name, provider) VALUES ('s', 'bigbuy') RETURNING id");

  @AfterEach
  void close() {
    rows.close();
  }

  UUID product(
      String ext, String price, String cost, int stock, Duration syncedAgo, String status) {
    return rows.value(
        """
        INSERT INTO imported_products (supplier_id, external_id, name, price, cost_price, stock_quantity,
                                       last_synced_at, status)
        VALUES (?, ?, 'p', ?::numeric, ?::numeric, ?, ?, ?) RETURNING id""",
        supplier,
        ext,
        price,
        cost,
        stock,
        Timestamp.from(clock.instant().minus(syncedAgo)),
        status);
  }

  BigDecimal score(UUID id) {
    return rows.value("SELECT ai_score FROM imported_products WHERE id = ?", id);
  }

  @Test
  void the_score_adds_margin_stock_recent_orders_and_freshness_up_to_100() {
    UUID best = product("a", "100", "50", 100, Duration.ZERO, "active");
    UUID half = product("b", "100", "75", 0, Duration.ofHours(12), "active");
    UUID stale = product("c", "100", "100", 0, Duration.ofDays(40), "active");
    UUID gone = product("d", "100", "10", 100, Duration.ZERO, "discontinued");
    for (int i = 0; i < 10; i++) {
      rows.execute(
          "INSERT INTO orders (supplier_id, items) VALUES (?, '[{\"external_id\":\"a\"}]')",
          supplier);
    }
    maintenance.run();
    assertThat(score(best)).isEqualByComparingTo("100");
    assertThat(score(half)).isEqualByComparingTo("30"); // 40 * 0.25/0.5 + 10 fresh
    assertThat(score(stale)).isEqualByComparingTo("0");
    assertThat(score(gone)).isEqualByComparingTo("0");
  }

  @Test
  void old_logs_and_old_finished_jobs_are_deleted_and_recent_ones_kept() {
    Timestamp old = Timestamp.from(clock.instant().minus(Duration.ofDays(8)));
    UUID oldJob =
        rows.value(
            "INSERT INTO import_jobs (supplier_id, job_type, status, started_at, completed_at) VALUES (?, 'order_sync', 'completed', ?, ?) RETURNING id",
            supplier,
            old,
            old);
    rows.execute(
        "INSERT INTO import_jobs (supplier_id, job_type, status) VALUES (?, 'order_sync', 'pending')",
        supplier);
    rows.execute(
        "INSERT INTO import_job_logs (message, created_at) VALUES ('old', ?), ('new', now())",
        Timestamp.from(clock.instant().minus(Duration.ofDays(31))));
    SupplierMaintenance.Report r = maintenance.run();
    assertThat(r.jobsDeleted()).isEqualTo(1);
    assertThat(r.logsDeleted()).isEqualTo(1);
    assertThat(rows.count("SELECT count(*) FROM import_jobs WHERE id = ?", oldJob)).isZero();
    assertThat(rows.count("SELECT count(*) FROM import_jobs")).isEqualTo(1);
  }
}
