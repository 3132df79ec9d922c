package dev.tributary.demo;

import dev.tributary.sandbox.SupplierSandbox;
import dev.tributary.sandbox.SyntheticCatalogue;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The demo's supplier part: a SYNTHETIC BigBuy catalogue served by the local {@link
 * SupplierSandbox}, synced by the node's engine as import jobs (an INSERT into {@code import_jobs}
 * wakes it), once at the catalogue's current round, then again after prices and stock moved, so the
 * second sync writes only what changed. The round is the number of syncs the demo supplier already
 * completed, so a rerun meets later prices. The supplier is active only while the demo runs.
 */
final class SupplierDemo {
  static final String NAME = "SYNTHETIC BigBuy sandbox (tributary demo)";
  static final int PRODUCTS = 3_000;
  static final int CHANGE_PERCENT = 10;
  static final Duration DEADLINE = Duration.ofMinutes(2);

  private final DataSource ds;
  private final PrintStream out;

  SupplierDemo(DataSource ds, PrintStream out) {
    this.ds = ds;
    this.out = out;
  }

  static SyntheticCatalogue catalogue() {
    return new SyntheticCatalogue(DemoWorld.SEED, PRODUCTS, CHANGE_PERCENT);
  }

  /** The demo supplier's id (created on the first run) and the round its catalogue is at. */
  int prepare(SupplierSandbox sandbox) throws SQLException {
    UUID id = supplierId();
    long foreign =
        count(
            "SELECT count(*) FROM import_jobs WHERE supplier_id <> ? AND status IN ('pending', 'running')",
            id,
            null);
    if (foreign > 0) {
      throw new dev.tributary.config.StartupException(
          "the database holds "
              + foreign
              + " pending import job(s) of other suppliers; the demo's node would sync them from its"
              + " synthetic sandbox. Run the demo on a database of its own, e.g."
              + " TRIBUTARY_DATA_DIR=./.tributary-demo ./tributary demo");
    }
    int round =
        (int) count("SELECT count(*) FROM import_jobs WHERE supplier_id = ?", id, "completed");
    sandbox.setRound(round);
    setActive(id, true);
    return round;
  }

  /** Runs the full sync and the incremental one; returns 0 when both completed. */
  int run(SupplierSandbox sandbox) throws SQLException, InterruptedException {
    UUID id = supplierId();
    try {
      out.printf(
          "SYNTHETIC supplier sandbox at %s: %d products in BigBuy's format, catalogue round %d%n",
          sandbox.baseUrl(), PRODUCTS, sandbox.round());
      long before = count("SELECT count(*) FROM imported_products WHERE supplier_id = ?", id, null);
      Optional<String> first = sync(id, "catalogue sync", before == 0 ? "full, first" : "full");
      if (first.isPresent()) {
        out.println("the demo stopped: " + first.get());
        return 1;
      }
      sandbox.advanceRound();
      out.printf(
          "      time passes: %d%% of the products get a new price and stock (%d products)%n",
          CHANGE_PERCENT, sandbox.catalogue().changedPerRound());
      Optional<String> second = sync(id, "resync", "incremental");
      if (second.isPresent()) {
        out.println("the demo stopped: " + second.get());
        return 1;
      }
      return 0;
    } finally {
      setActive(id, false);
    }
  }

  private Optional<String> sync(UUID supplier, String label, String kind)
      throws SQLException, InterruptedException {
    long t0 = System.nanoTime();
    UUID job;
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO import_jobs (supplier_id, job_type, priority) VALUES (?, 'supplier_api', 1)"
                    + " RETURNING id")) {
      ps.setObject(1, supplier);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        job = (UUID) rs.getObject(1);
      }
    }
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT status, result->>'inserted', result->>'updated', result->>'unchanged',"
                      + " result->>'discontinued', result->>'failed', last_error FROM import_jobs"
                      + " WHERE id = ?")) {
        ps.setObject(1, job);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          String status = rs.getString(1);
          if (status.equals("completed")) {
            out.printf(
                Locale.ROOT,
                "      %s (%s) as engine import job %s: %s inserted, %s updated, %s unchanged"
                    + " (not written), %s discontinued, %s failed in %.1f s%n",
                label,
                kind,
                job,
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                (System.nanoTime() - t0) / 1e9);
            return Optional.empty();
          }
          if (status.equals("failed")) {
            return Optional.of("the supplier " + label + " failed: " + rs.getString(7));
          }
        }
      }
      if (System.nanoTime() > deadline) {
        return Optional.of("the supplier " + label + " did not end within " + DEADLINE);
      }
      Thread.sleep(Demo.POLL.toMillis());
    }
  }

  private UUID supplierId() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                WITH found AS (SELECT id FROM suppliers WHERE name = ? AND provider = 'bigbuy'),
                     made AS (INSERT INTO suppliers (name, provider, is_active, settings)
                              SELECT ?, 'bigbuy', false, '{"synthetic": true}'
                               WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
                SELECT id FROM found UNION ALL SELECT id FROM made""")) {
      ps.setString(1, NAME);
      ps.setString(2, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return (UUID) rs.getObject(1);
      }
    }
  }

  private void setActive(UUID id, boolean active) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE suppliers SET is_active = ? WHERE id = ?")) {
      ps.setBoolean(1, active);
      ps.setObject(2, id);
      ps.executeUpdate();
    }
  }

  private long count(String sql, UUID id, String status) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(status == null ? sql : sql + " AND status = ?")) {
      ps.setObject(1, id);
      if (status != null) {
        ps.setString(2, status);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
