package dev.tributary.pipelines.suppliers;

import dev.tributary.jdbc.Handle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The COPY of a sync's new products into imported_products, in COPY's binary format, under a
 * savepoint, open from the first products written until {@link #finish}: products can be written in
 * several batches (those complete before the reading ended, then the rest). Rows get the defaults
 * {@link CatalogMerge#INSERT_NEW} gives them and ids that grow with each row (UUID version 7
 * layout: the time, then a counter from a random start). Should another transaction insert one of
 * them meanwhile (a unique violation), the COPY is undone to the savepoint and {@link #finish}
 * answers -1.
 */
final class NewProducts {
  private static final int CHUNK = 256 * 1024;

  private final Handle h;
  private final UUID supplier;
  private final UUID userId;
  private final Instant now;
  private final long high;
  private long low = ThreadLocalRandom.current().nextLong() >>> 2;
  private Savepoint before;
  private CopyIn copy;
  private final CopyBinary out = new CopyBinary();
  private boolean raced;

  NewProducts(Handle h, UUID supplier, UUID userId, Instant now) {
    this.h = h;
    this.supplier = supplier;
    this.userId = userId;
    this.now = now;
    this.high = (now.toEpochMilli() << 16) | 0x7000L | ThreadLocalRandom.current().nextInt(0x1000);
  }

  /** Writes {@code products} (sent in chunks as they are encoded); nothing once a race was met. */
  void write(List<CatalogJoin.Joined> products) throws SQLException {
    if (raced || products.isEmpty()) {
      return;
    }
    try {
      if (copy == null) {
        before = h.connection().setSavepoint();
        copy =
            h.connection()
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(CatalogMerge.COPY_NEW + " (FORMAT binary)");
        out.header();
      }
      for (CatalogJoin.Joined j : products) {
        row(j);
        if (out.size() >= CHUNK) {
          send();
        }
      }
      send();
    } catch (SQLException e) {
      undo(e);
    }
  }

  /** Ends the COPY: the rows written, or -1 when another transaction inserted one of them. */
  int finish() throws SQLException {
    if (raced) {
      return -1;
    }
    if (copy == null) {
      return 0;
    }
    try {
      out.trailer();
      send();
      long rows = copy.endCopy();
      h.connection().releaseSavepoint(before);
      return (int) rows;
    } catch (SQLException e) {
      undo(e);
      return -1;
    }
  }

  /** Undoes whatever was written (the COPY is cancelled); later writes start a new COPY. */
  void discard() throws SQLException {
    if (copy != null && !raced) {
      cancel();
      h.connection().rollback(before);
    }
    copy = null;
    raced = false;
    out.clear();
  }

  /**
   * Cancels a COPY still open, so the transaction can be rolled back (the driver holds the
   * connection for an open COPY: a rollback would wait for it forever).
   */
  void abandon() {
    try {
      cancel();
    } catch (SQLException e) {
      // the connection is going back rolled back or broken either way
    }
  }

  private void undo(SQLException e) throws SQLException {
    cancel();
    if (!"23505".equals(e.getSQLState())) {
      throw e;
    }
    Connection c = h.connection();
    c.rollback(before);
    raced = true;
  }

  private void cancel() throws SQLException {
    if (copy != null && copy.isActive()) {
      copy.cancelCopy();
    }
  }

  private void send() throws SQLException {
    byte[] bytes = out.bytes();
    copy.writeToCopy(bytes, 0, bytes.length);
    out.clear();
  }

  private void row(CatalogJoin.Joined j) {
    out.row(16)
        .uuid(new UUID(high, 0x8000_0000_0000_0000L | (low++ & 0x3FFF_FFFF_FFFF_FFFFL)))
        .uuid(userId)
        .uuid(supplier)
        .text(j.externalId)
        .text(j.sku)
        .text(j.name != null ? j.name : j.sku != null ? j.sku : j.externalId)
        .text(j.description)
        .text(j.category)
        .numeric(j.price)
        .numeric(j.costPrice)
        .text(j.currency == null ? "EUR" : j.currency)
        .int4(j.stockQuantity == null ? 0 : j.stockQuantity)
        .jsonb(j.imagesJson == null ? "[]" : j.imagesJson)
        .jsonb(j.attributesJson == null ? "{}" : j.attributesJson)
        .text(status(j))
        .timestamptz(now);
  }

  private static String status(CatalogJoin.Joined j) {
    if (Boolean.FALSE.equals(j.active)) {
      return "inactive";
    }
    return j.stockQuantity != null && j.stockQuantity == 0 ? "out_of_stock" : "active";
  }
}
