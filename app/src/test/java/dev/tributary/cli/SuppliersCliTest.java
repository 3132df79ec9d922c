package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.BigBuyFake;
import dev.tributary.testing.Rows;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary suppliers …} in a child JVM against a real database and the BigBuy fake over
 * real HTTP.
 */
class SuppliersCliTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final BigBuyFake bigbuy = new BigBuyFake();
  private final Map<String, String> env =
      Map.of(
          "DATABASE_URL",
          db.getJdbcUrl(),
          "BIGBUY_API_KEY",
          BigBuyFake.KEY,
          "BIGBUY_BASE_URL",
          bigbuy.baseUrl(),
          "BIGBUY_PAGE_SIZE",
          "10");

  @AfterEach
  void close() {
    bigbuy.close();
    db.close();
  }

  private String supplier(String name) {
    return sql.text(
        "INSERT INTO suppliers (name, provider) VALUES (?, 'bigbuy') RETURNING id::text", name);
  }

  @Test
  void a_sync_runs_in_the_terminal_with_its_progress_then_a_resync_writes_only_what_changed()
      throws Exception {
    bigbuy.generate(35);
    String id = supplier("Synthetic BigBuy");

    var sync = CliProcess.run(env, "suppliers", "sync", id);
    assertThat(sync.exitCode()).as(sync.stderr()).isZero();
    assertThat(sync.stdout())
        .contains("queued")
        .contains("products ") // a line per stream as it moves (output is not a terminal)
        .contains("productsstockbyhandlingdays")
        .contains("done")
        .contains(": completed")
        .contains("inserted 35, updated 0, unchanged 0, discontinued 0, failed 0");
    assertThat(sql.count("SELECT count(*) FROM imported_products WHERE supplier_id = ?::uuid", id))
        .isEqualTo(35);

    BigBuyFake.Product p = bigbuy.get(1003);
    bigbuy.put(
        new BigBuyFake.Product(
            p.id(),
            p.sku(),
            p.name(),
            p.wholesale(),
            p.retail().add(BigDecimal.ONE),
            p.stock() + 5,
            true));
    var resync = CliProcess.run(env, "suppliers", "sync", id, "--priority", "1");
    assertThat(resync.exitCode()).as(resync.stderr()).isZero();
    assertThat(resync.stdout()).contains("inserted 0, updated 1, unchanged 34");

    var list = CliProcess.run(env, "suppliers", "list");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout()).contains(id).contains("Synthetic BigBuy").contains("1 supplier(s)");
    assertThat(list.stdout()).containsPattern("bigbuy\\s+yes\\s+35\\s");

    var jobs = CliProcess.run(env, "suppliers", "jobs", "--status", "completed");
    assertThat(jobs.exitCode()).as(jobs.stderr()).isZero();
    assertThat(jobs.stdout()).contains("supplier_api").contains("2 import job(s)");

    var stats = CliProcess.run(env, "suppliers", "stats");
    assertThat(stats.exitCode()).as(stats.stderr()).isZero();
    assertThat(stats.stdout())
        .containsPattern("completed\\s+2 job\\(s\\)")
        .containsPattern("supplier_api\\s+100 %")
        .contains("running: 0");
  }

  @Test
  void unknown_suppliers_bad_types_and_bad_options_are_clear_errors_and_nothing_is_written()
      throws Exception {
    var unknown = CliProcess.run(env, "suppliers", "sync", "00000000-0000-0000-0000-000000000042");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("00000000-0000-0000-0000-000000000042");

    String id = supplier("Synthetic BigBuy");
    var badType = CliProcess.run(env, "suppliers", "sync", id, "--type", "everything");
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.stderr()).contains("job_type must be one of");
    var badPriority = CliProcess.run(env, "suppliers", "sync", id, "--priority", "99");
    assertThat(badPriority.exitCode()).isEqualTo(2);
    assertThat(badPriority.stderr()).contains("priority must be between 1");
    var badId = CliProcess.run(env, "suppliers", "sync", "not-a-uuid");
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.stderr()).contains("SUPPLIER_ID must be a supplier's uuid");
    var badStatus = CliProcess.run(env, "suppliers", "jobs", "--status", "sleeping");
    assertThat(badStatus.exitCode()).isEqualTo(2);
    assertThat(sql.count("SELECT count(*) FROM import_jobs")).isZero();
  }

  @Test
  void a_sync_whose_vendor_refuses_the_key_ends_failed_with_the_reason() throws Exception {
    bigbuy.generate(5);
    String id = supplier("Synthetic BigBuy");
    Map<String, String> wrongKey = new java.util.HashMap<>(env);
    wrongKey.put("BIGBUY_API_KEY", "not-the-key");
    var sync = CliProcess.run(wrongKey, "suppliers", "sync", id);
    assertThat(sync.exitCode()).isEqualTo(1);
    assertThat(sync.stdout()).contains(": failed").contains("401").doesNotContain("not-the-key");
  }
}
