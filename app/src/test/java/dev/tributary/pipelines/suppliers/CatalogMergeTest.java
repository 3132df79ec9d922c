package dev.tributary.pipelines.suppliers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.testing.Rows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogMergeTest {
  DataSource ds;
  Rows rows;
  UUID supplier;

  @BeforeEach
  void setUp() {
    ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
    rows = new Rows(ds);
    supplier =
        rows.value(
            "INSERT INTO suppliers (name, provider) VALUES ('BigBuy', 'bigbuy') RETURNING id");
  }

  @AfterEach
  void tearDown() {
    rows.close();
  }

  static CatalogJoin catalogue(String... ids) {
    CatalogJoin join = new CatalogJoin();
    for (String id : ids) {
      join.add(
          true,
          List.of(
              StagedItem.of(
                  CatalogItem.id(id)
                      .withText("Ours " + id, null, null)
                      .withPrices(new BigDecimal("10.00"), new BigDecimal("5.00"), "EUR")
                      .withStock(4))));
    }
    return join;
  }

  /** "1" to "n": enough rows for the COPY to go out in several chunks. */
  static String[] ids(int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Integer.toString(i + 1);
    }
    return ids;
  }

  @Test
  void new_products_inserted_by_another_transaction_during_the_merge_are_updated_not_duplicated()
      throws Exception {
    Jdbc jdbc = new Jdbc(ds);
    try (Connection other = competingInsertOfProduct2()) {
      CompletableFuture<MergeCounts> merge =
          CompletableFuture.supplyAsync(
              () ->
                  jdbc.inTransaction(
                      "merge",
                      h ->
                          CatalogMerge.merge(
                              h,
                              UUID.randomUUID(),
                              supplier,
                              null,
                              true,
                              Instant.now(),
                              catalogue(ids(3_000)))));
      Await.until(
          "the merge's COPY waits for the other transaction's product 2",
          () ->
              rows.count(
                      "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY imported_products%'")
                  == 1);
      other.commit();
      MergeCounts counts = merge.get(30, TimeUnit.SECONDS);
      assertThat(counts.inserted()).isEqualTo(2_999);
      assertThat(counts.updated()).isEqualTo(1);
      assertThat(counts.unchanged()).isZero();
    }
    assertThat(rows.count("SELECT count(*) FROM imported_products")).isEqualTo(3_000);
    assertThat(rows.text("SELECT name FROM imported_products WHERE external_id = '2'"))
        .isEqualTo("Ours 2");
  }

  @Test
  void amounts_times_and_text_arrive_intact_through_the_binary_copy() {
    String[] prices = {"0.00", "0.05", "12.34", "100.00", "10000.50", "9999999999.99", "7"};
    CatalogJoin join = new CatalogJoin();
    for (int i = 0; i < prices.length; i++) {
      join.add(
          true,
          List.of(
              StagedItem.of(
                  CatalogItem.id("p" + i)
                      .withText("Lámpara\t漢 \\N \u0000end", null, null)
                      .withPrices(new BigDecimal(prices[i]), null, null))));
    }
    Instant now = Instant.parse("2026-01-02T03:04:05.678901Z");
    MergeCounts counts =
        new Jdbc(ds)
            .inTransaction(
                "merge",
                h -> CatalogMerge.merge(h, UUID.randomUUID(), supplier, null, false, now, join));
    assertThat(counts.inserted()).isEqualTo(prices.length);
    for (int i = 0; i < prices.length; i++) {
      assertThat(
              rows.text("SELECT price::text FROM imported_products WHERE external_id = ?", "p" + i))
          .isEqualTo(new BigDecimal(prices[i]).setScale(2).toPlainString());
    }
    assertThat(rows.text("SELECT DISTINCT name FROM imported_products"))
        .isEqualTo("Lámpara\t漢 \\N end");
    assertThat(
            rows.text(
                "SELECT DISTINCT to_char(last_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || currency || stock_quantity || images::text || attributes::text || status FROM imported_products"))
        .isEqualTo("2026-01-02 03:04:05.678901EUR0[]{}active");
  }

  @Test
  void a_complete_catalogue_discontinues_what_it_no_longer_lists_but_leaves_drafts_alone() {
    Jdbc jdbc = new Jdbc(ds);
    jdbc.inTransaction(
        "first",
        h ->
            CatalogMerge.merge(
                h,
                UUID.randomUUID(),
                supplier,
                null,
                true,
                Instant.now(),
                catalogue("1", "2", "3")));
    rows.update("UPDATE imported_products SET status = 'draft' WHERE external_id = '3'");
    MergeCounts second =
        jdbc.inTransaction(
            "second",
            h ->
                CatalogMerge.merge(
                    h, UUID.randomUUID(), supplier, null, true, Instant.now(), catalogue("1")));
    assertThat(second)
        .isEqualTo(new MergeCounts(0, 0, 1, 1)); // 1 unchanged, 2 discontinued, 3 a draft
    assertThat(rows.text("SELECT status FROM imported_products WHERE external_id = '2'"))
        .isEqualTo("discontinued");
    assertThat(rows.text("SELECT status FROM imported_products WHERE external_id = '3'"))
        .isEqualTo("draft");
  }

  /** Products "1" to "n" said by a listing stream (0) then by a stream that adds stock (1). */
  static CatalogJoin twoStreams(int n, List<CatalogJoin.Joined> complete) {
    CatalogJoin join = new CatalogJoin(2);
    List<StagedItem> listed = new ArrayList<>();
    List<StagedItem> stock = new ArrayList<>();
    for (String id : ids(n)) {
      listed.add(
          StagedItem.of(
              CatalogItem.id(id)
                  .withText("Ours " + id, null, null)
                  .withPrices(new BigDecimal("10.00"), null, "EUR")));
      stock.add(StagedItem.of(CatalogItem.id(id).withStock(4)));
    }
    join.add(true, 0, listed, complete);
    assertThat(complete).isEmpty();
    join.add(false, 1, stock, complete);
    assertThat(complete).hasSize(n);
    return join;
  }

  @Test
  void a_product_said_more_of_after_its_early_write_is_written_as_the_streams_finally_said_once() {
    List<CatalogJoin.Joined> complete = new ArrayList<>();
    CatalogJoin join = twoStreams(3_000, complete);
    MergeCounts counts =
        new Jdbc(ds)
            .inTransaction(
                "merge",
                h ->
                    writeEarlyThenMerge(
                        h,
                        join,
                        complete,
                        // the stock stream names product 5 again (its pages shifted), out of stock
                        () ->
                            join.add(
                                false,
                                1,
                                List.of(
                                    StagedItem.of(
                                        CatalogItem.id("5")
                                            .withText("Renamed", null, null)
                                            .withStock(0))),
                                new ArrayList<>())));
    assertThat(join.changedAfterWrite()).isTrue();
    assertThat(counts).isEqualTo(new MergeCounts(3_000, 0, 0, 0));
    assertThat(rows.count("SELECT count(*) FROM imported_products")).isEqualTo(3_000);
    assertThat(rows.text("SELECT name FROM imported_products WHERE external_id = '5'"))
        .isEqualTo("Renamed");
    assertThat(rows.text("SELECT status FROM imported_products WHERE external_id = '5'"))
        .isEqualTo("active"); // the larger stock of the two the stock stream said: 4
    assertThat(rows.text("SELECT name FROM imported_products WHERE external_id = '6'"))
        .isEqualTo("Ours 6");
  }

  @Test
  void a_product_inserted_by_another_transaction_during_an_early_write_is_updated_not_duplicated()
      throws Exception {
    List<CatalogJoin.Joined> complete = new ArrayList<>();
    CatalogJoin join = twoStreams(3_000, complete);
    Jdbc jdbc = new Jdbc(ds);
    try (Connection other = competingInsertOfProduct2()) {
      CompletableFuture<MergeCounts> merge =
          CompletableFuture.supplyAsync(
              () ->
                  jdbc.inTransaction(
                      "merge", h -> writeEarlyThenMerge(h, join, complete, () -> {})));
      Await.until(
          "the early COPY waits for the other transaction's product 2",
          () ->
              rows.count(
                      "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY imported_products%'")
                  == 1);
      other.commit();
      MergeCounts counts = merge.get(30, TimeUnit.SECONDS);
      assertThat(counts).isEqualTo(new MergeCounts(2_999, 1, 0, 0));
    }
    assertThat(rows.count("SELECT count(*) FROM imported_products")).isEqualTo(3_000);
    assertThat(rows.text("SELECT name FROM imported_products WHERE external_id = '2'"))
        .isEqualTo("Ours 2");
  }

  /**
   * The end of a run as the pipeline's early merge does it: the complete products written early,
   * then {@code between} (what the streams said after that write), then the merge.
   */
  private MergeCounts writeEarlyThenMerge(
      Handle h, CatalogJoin join, List<CatalogJoin.Joined> complete, Runnable between)
      throws SQLException {
    Map<String, String> existing = CatalogMerge.existing(h, supplier);
    NewProducts early = new NewProducts(h, supplier, null, Instant.now());
    complete.forEach(j -> j.early = true);
    early.write(complete);
    between.run();
    return CatalogMerge.merge(
        h, UUID.randomUUID(), supplier, null, false, Instant.now(), join, existing, early);
  }

  /** Another transaction that has inserted product 2 and not committed yet. */
  private Connection competingInsertOfProduct2() throws SQLException {
    Connection other = ds.getConnection();
    other.setAutoCommit(false);
    try (PreparedStatement ps =
        other.prepareStatement(
            "INSERT INTO imported_products (supplier_id, external_id, name, price) VALUES (?, '2', 'Theirs', 1)")) {
      ps.setObject(1, supplier);
      ps.executeUpdate();
    }
    return other;
  }
}
