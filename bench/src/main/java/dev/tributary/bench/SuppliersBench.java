package dev.tributary.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.connectors.bigbuy.BigBuyClient;
import dev.tributary.connectors.bigbuy.BigBuyConfig;
import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.connectors.suppliers.SupplierRef;
import dev.tributary.connectors.suppliers.SyncScope;
import dev.tributary.db.Migrations;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.pipelines.suppliers.ImportJobRequest;
import dev.tributary.pipelines.suppliers.ImportJobView;
import dev.tributary.pipelines.suppliers.PostgresEndpointQuota;
import dev.tributary.pipelines.suppliers.SupplierConnectors;
import dev.tributary.pipelines.suppliers.SupplierPipeline;
import dev.tributary.sandbox.SupplierSandbox;
import dev.tributary.sandbox.SyntheticCatalogue;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Supplier sync (S2): a full sync of a BigBuy catalogue from the local paged sandbox over real HTTP
 * (four endpoints, each in its own order, joined by id), then a resync after 10% of prices and
 * stock moved, as import jobs run by the pipeline (durable staging per page, one merge); side by
 * side, the seed's approach: the same endpoints read through the same client, then one SELECT and
 * one INSERT or UPDATE per product, each its own transaction. Options: {@code --products N}
 * (100000), {@code --page-size N} (10000, BigBuy's maximum), {@code --seed-products N} (20000: the
 * row-by-row side on a catalogue of that size, to keep the run short; its rate is per product),
 * {@code --durable 0|1} (1: fsync and synchronous_commit on, PostgreSQL's defaults), {@code
 * --warmup N} (as many as {@code --products}: both sides run once on an N-product catalogue of
 * other suppliers before anything is timed, and those first lines show the cold JVM's rates; 0
 * times a cold JVM).
 */
public final class SuppliersBench {
  private static final String KEY = "bench-sandbox-key";

  /** CPU of this JVM (pipeline and sandbox) and of the embedded server, around each timed sync. */
  private static CpuTime cpu;

  private SuppliersBench() {}

  public static void main(String[] args) throws Exception {
    int products = option(args, "--products", 100_000);
    int pageSize = option(args, "--page-size", SupplierSandbox.MAX_PAGE_SIZE);
    int seedProducts = Math.min(products, option(args, "--seed-products", 20_000));
    boolean durable = option(args, "--durable", 1) == 1;
    int warmup = option(args, "--warmup", products);
    java.nio.file.Path dataDir =
        java.nio.file.Files.createTempDirectory("tributary-suppliers-bench");
    cpu = new CpuTime(dataDir);
    EmbeddedPostgres.Builder server =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(true)
            .setServerConfig("shared_buffers", "512MB")
            .setServerConfig("max_wal_size", "4GB");
    if (durable) {
      server.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    try (EmbeddedPostgres pg = server.start();
        HikariDataSource ds = pool(pg)) {
      Migrations.apply(ds);
      if (warmup > 0) {
        warmUp(ds, warmup, pageSize);
      }
      SyntheticCatalogue catalogue = new SyntheticCatalogue(2026, products, 10);
      double full;
      double resync;
      long written;
      try (SupplierSandbox sandbox = SupplierSandbox.start(catalogue, KEY);
          BigBuyClient client = client(ds, sandbox, pageSize)) {
        SupplierPipeline pipeline = pipeline(ds, client);
        UUID supplier = supplier(ds, "bench tributary");
        full = timedSync(pipeline, supplier, products, "full");
        sandbox.advanceRound();
        Timestamp before = dbNow(ds);
        resync = timedSync(pipeline, supplier, products, "resync");
        written = writtenSince(ds, supplier, before);
        System.out.printf(
            Locale.ROOT,
            "suppliers: resync wrote %d rows; %d products had a new price and stock (%.2f%%)%n",
            written,
            catalogue.changedPerRound(),
            100.0 * (written - catalogue.changedPerRound()) / catalogue.changedPerRound());
      }
      double seed = seedApproach(ds, seedProducts, pageSize);
      SandboxFloor.measure(catalogue, pageSize, KEY);
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      System.out.printf(
          Locale.ROOT,
          "suppliers: durable=%s page-size=%d seed-approach on %d products; load average %.2f on %d"
              + " cores%n",
          durable,
          pageSize,
          seedProducts,
          load,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "suppliers: products=%d full=%.0f/s resync=%.0f/s rows_written_on_resync=%d"
              + " seed-approach=%.0f/s ratio=%.1f%n",
          products,
          full,
          resync,
          written,
          seed,
          full / seed);
    }
  }

  /**
   * Both sides once on a small catalogue of other suppliers before anything is timed, as in a node
   * that has run before: the timed runs then measure the pipeline, not the JIT compiling it.
   */
  private static void warmUp(DataSource ds, int products, int pageSize) throws Exception {
    SyntheticCatalogue catalogue = new SyntheticCatalogue(7, products, 10);
    try (SupplierSandbox sandbox = SupplierSandbox.start(catalogue, KEY);
        BigBuyClient client = client(ds, sandbox, pageSize)) {
      SupplierPipeline pipeline = pipeline(ds, client);
      UUID supplier = supplier(ds, "bench warm-up");
      timedSync(pipeline, supplier, products, "warm-up");
      sandbox.advanceRound();
      timedSync(pipeline, supplier, products, "warm-up re");
    }
    seedApproach(ds, Math.min(products, 2_000), pageSize);
  }

  private static double timedSync(
      SupplierPipeline pipeline, UUID supplier, int products, String label) {
    ImportJobView job =
        pipeline.create(
            new ImportJobRequest(
                supplier, "supplier_api", ImportJobRequest.DEFAULT_PRIORITY, null));
    Map<String, Long> threads0 = CpuTime.threadCpu();
    double[] cpu0 = cpu.now();
    long t0 = System.nanoTime();
    ImportJobView done = pipeline.runNow(job.id()).orElseThrow();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double[] cpu1 = cpu.now();
    Map<String, Long> threads = CpuTime.threadCpu();
    threads0.forEach((name, ns) -> threads.merge(name, -ns, Long::sum));
    if (!done.status().equals("completed")) {
      throw new IllegalStateException(
          label + " sync ended " + done.status() + ": " + done.lastError());
    }
    System.out.printf(
        Locale.ROOT,
        "suppliers: %s sync of %d products in %.2f s: %s; CPU s: JVM %.2f (JIT %.2f, sandbox"
            + " included), PostgreSQL %.2f; load %s%n",
        label,
        products,
        seconds,
        counts(done.result()),
        cpu1[0] - cpu0[0],
        cpu1[2] - cpu0[2],
        cpu1[1] - cpu0[1],
        CpuTime.loadAverage());
    System.out.printf(
        Locale.ROOT,
        "suppliers: %s sync, JVM CPU s by thread: %s%n",
        label,
        threads.entrySet().stream()
            .filter(e -> e.getValue() >= 50_000_000L)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
            .collect(java.util.stream.Collectors.joining(", ")));
    return products / seconds;
  }

  private static Map<String, Object> counts(Map<String, Object> result) {
    Map<String, Object> m = new LinkedHashMap<>(result);
    m.remove("streams");
    return m;
  }

  /**
   * The seed's way: the same four endpoints through the same client, joined in memory, then per
   * product a SELECT and an INSERT or an UPDATE of every column, each in its own transaction.
   */
  private static double seedApproach(DataSource ds, int products, int pageSize) throws Exception {
    SyntheticCatalogue catalogue = new SyntheticCatalogue(2026, products, 10);
    UUID supplier = supplier(ds, "bench seed approach");
    try (SupplierSandbox sandbox = SupplierSandbox.start(catalogue, KEY);
        BigBuyClient client = client(ds, sandbox, pageSize)) {
      long t0 = System.nanoTime();
      SupplierRef ref = new SupplierRef(supplier.toString(), Map.of(), List.of());
      Map<String, CatalogItem> byId = new LinkedHashMap<>();
      for (CatalogStream stream : client.streams(SyncScope.FULL, ref)) {
        for (int page = 0; ; page++) {
          CatalogPage p = client.fetch(stream, ref, page);
          for (CatalogItem item : p.items()) {
            if (stream.lists()) {
              byId.merge(item.externalId(), item, SuppliersBench::overlay);
            } else {
              byId.computeIfPresent(item.externalId(), (k, v) -> overlay(v, item));
            }
          }
          if (p.last()) {
            break;
          }
        }
      }
      try (Connection c = ds.getConnection();
          PreparedStatement find =
              c.prepareStatement(
                  "SELECT id FROM imported_products WHERE supplier_id = ? AND external_id = ?");
          PreparedStatement update =
              c.prepareStatement(
                  "UPDATE imported_products SET sku = ?, name = ?, description = ?, category = ?,"
                      + " price = ?, cost_price = ?, currency = ?, stock_quantity = ?,"
                      + " last_synced_at = now() WHERE id = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO imported_products (sku, name, description, category, price,"
                      + " cost_price, currency, stock_quantity, supplier_id, external_id,"
                      + " last_synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())")) {
        c.setAutoCommit(true);
        for (CatalogItem item : byId.values()) {
          find.setObject(1, supplier);
          find.setString(2, item.externalId());
          Optional<UUID> id;
          try (ResultSet rs = find.executeQuery()) {
            id = rs.next() ? Optional.of((UUID) rs.getObject(1)) : Optional.empty();
          }
          PreparedStatement write = id.isPresent() ? update : insert;
          write.setString(1, item.sku());
          write.setString(2, item.name() == null ? item.externalId() : item.name());
          write.setString(3, item.description());
          write.setString(4, item.category());
          write.setBigDecimal(5, item.price());
          write.setBigDecimal(6, item.costPrice());
          write.setString(7, item.currency() == null ? "EUR" : item.currency());
          write.setInt(8, item.stockQuantity() == null ? 0 : item.stockQuantity());
          if (id.isPresent()) {
            write.setObject(9, id.get());
          } else {
            write.setObject(9, supplier);
            write.setString(10, item.externalId());
          }
          write.executeUpdate();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "suppliers: seed approach (row by row) synced %d products in %.2f s%n",
          byId.size(),
          seconds);
      return byId.size() / seconds;
    }
  }

  private static CatalogItem overlay(CatalogItem a, CatalogItem b) {
    CatalogItem r = a;
    if (b.sku() != null) {
      r = r.withSku(b.sku());
    }
    if (b.name() != null || b.description() != null || b.category() != null) {
      r =
          r.withText(
              b.name() != null ? b.name() : r.name(),
              b.description() != null ? b.description() : r.description(),
              b.category() != null ? b.category() : r.category());
    }
    if (b.price() != null || b.costPrice() != null) {
      r =
          r.withPrices(
              b.price() != null ? b.price() : r.price(),
              b.costPrice() != null ? b.costPrice() : r.costPrice(),
              b.currency() != null ? b.currency() : r.currency());
    }
    if (b.stockQuantity() != null) {
      r = r.withStock(b.stockQuantity());
    }
    return r;
  }

  private static BigBuyClient client(DataSource ds, SupplierSandbox sandbox, int pageSize) {
    return new BigBuyClient(
        BigBuyConfig.of(KEY, sandbox.baseUrl(), pageSize, Clock.systemUTC()),
        new PostgresEndpointQuota(new Jdbc(ds), BigBuyClient.PROVIDER));
  }

  private static SupplierPipeline pipeline(DataSource ds, BigBuyClient client) {
    return new SupplierPipeline(
        ds,
        new SupplierConnectors().add(client),
        Optional.empty(),
        SupplierPipeline.DEFAULT_BACKOFF,
        SupplierPipeline.DEFAULT_PAUSE_OVER,
        Clock.systemUTC());
  }

  private static UUID supplier(DataSource ds, String name) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO suppliers (name, provider) VALUES (?, 'bigbuy') RETURNING id")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return (UUID) rs.getObject(1);
      }
    }
  }

  private static Timestamp dbNow(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getTimestamp(1);
    }
  }

  /** Rows whose updated_at moved since {@code t}: what the resync really wrote. */
  private static long writtenSince(DataSource ds, UUID supplier, Timestamp t) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM imported_products WHERE supplier_id = ? AND updated_at >= ?")) {
      ps.setObject(1, supplier);
      ps.setTimestamp(2, t);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static HikariDataSource pool(EmbeddedPostgres pg) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }

  private static int option(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
