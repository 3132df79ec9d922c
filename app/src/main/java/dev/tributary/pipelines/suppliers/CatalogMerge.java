package dev.tributary.pipelines.suppliers;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes a sync's joined products into imported_products, in the transaction that ends the job. It
 * first reads which of the supplier's products exist (id and status), then:
 *
 * <ul>
 *   <li>new products a listing stream named are COPYed straight into imported_products, with ids
 *       made here (time-ordered, so the primary key grows at its end); should another transaction
 *       insert one of them meanwhile (a unique violation), the COPY is undone to a savepoint and
 *       they go the way below with {@code INSERT … ON CONFLICT DO NOTHING};
 *   <li>known products are COPYed into a temporary table and written by one UPDATE of the rows that
 *       changed ({@code IS DISTINCT FROM}: an unchanged product is not written and its {@code
 *       updated_at} does not move);
 *   <li>when a complete catalogue stream finished, known products it no longer lists are marked
 *       {@code discontinued}.
 * </ul>
 */
final class CatalogMerge {
  static final String JOINED =
      """
      CREATE TEMP TABLE supplier_sync_joined (
        external_id text NOT NULL, in_catalogue boolean NOT NULL, sku text, name text,
        description text, category text, price numeric(12, 2), cost_price numeric(12, 2),
        currency text, stock_quantity integer, images jsonb, attributes jsonb, active boolean
      ) ON COMMIT DROP""";

  static final String COPY_JOINED =
      """
      COPY supplier_sync_joined (external_id, in_catalogue, sku, name, description, category, price,
                                 cost_price, currency, stock_quantity, images, attributes, active)
      FROM STDIN""";

  static final String COPY_NEW =
      """
      COPY imported_products (id, user_id, supplier_id, external_id, sku, name, description, category,
                              price, cost_price, currency, stock_quantity, images, attributes, status,
                              last_synced_at)
      FROM STDIN""";

  /** The status a product takes from what this sync said of it; a draft stays a draft. */
  private static final String NEW_STATUS =
      """
      CASE WHEN p.status = 'draft' THEN 'draft'
           WHEN s.active IS FALSE THEN 'inactive'
           WHEN s.stock_quantity = 0 THEN 'out_of_stock'
           WHEN s.stock_quantity > 0 THEN 'active'
           WHEN (s.in_catalogue OR s.active) AND p.status IN ('discontinued', 'inactive') THEN 'active'
           ELSE p.status END""";

  static final String UPDATE_CHANGED =
      """
      UPDATE imported_products p SET
        sku = coalesce(s.sku, p.sku), name = coalesce(s.name, p.name),
        description = coalesce(s.description, p.description), category = coalesce(s.category, p.category),
        price = coalesce(s.price, p.price), cost_price = coalesce(s.cost_price, p.cost_price),
        currency = coalesce(s.currency, p.currency), stock_quantity = coalesce(s.stock_quantity, p.stock_quantity),
        images = coalesce(s.images, p.images), attributes = p.attributes || coalesce(s.attributes, '{}'::jsonb),
        status = %1$s, last_synced_at = :now
        FROM supplier_sync_joined s
       WHERE p.supplier_id = :supplier AND p.external_id = s.external_id
         AND (p.sku, p.name, p.description, p.category, p.price, p.cost_price, p.currency,
              p.stock_quantity, p.images, p.attributes, p.status)
             IS DISTINCT FROM
             (coalesce(s.sku, p.sku), coalesce(s.name, p.name), coalesce(s.description, p.description),
              coalesce(s.category, p.category), coalesce(s.price, p.price),
              coalesce(s.cost_price, p.cost_price), coalesce(s.currency, p.currency),
              coalesce(s.stock_quantity, p.stock_quantity), coalesce(s.images, p.images),
              p.attributes || coalesce(s.attributes, '{}'::jsonb), %1$s)"""
          .formatted(NEW_STATUS);

  /** New products when the straight COPY met a concurrent insert. */
  static final String INSERT_NEW =
      """
      INSERT INTO imported_products
             (user_id, supplier_id, external_id, sku, name, description, category, price, cost_price,
              currency, stock_quantity, images, attributes, status, last_synced_at)
      SELECT :user_id, :supplier, s.external_id, s.sku, coalesce(s.name, s.sku, s.external_id),
             s.description, s.category, s.price, s.cost_price, coalesce(s.currency, 'EUR'),
             coalesce(s.stock_quantity, 0), coalesce(s.images, '[]'::jsonb),
             coalesce(s.attributes, '{}'::jsonb),
             CASE WHEN s.active IS FALSE THEN 'inactive' WHEN s.stock_quantity = 0 THEN 'out_of_stock'
                  ELSE 'active' END,
             :now
        FROM supplier_sync_joined s
       WHERE s.in_catalogue
         AND NOT EXISTS (SELECT 1 FROM imported_products p
                          WHERE p.supplier_id = :supplier AND p.external_id = s.external_id)
      ON CONFLICT (supplier_id, external_id) DO NOTHING""";

  static final String DISCONTINUE =
      """
      UPDATE imported_products SET status = 'discontinued', last_synced_at = :now
       WHERE supplier_id = :supplier AND external_id = ANY (:ids)
         AND status NOT IN ('discontinued', 'draft')""";

  private static final Comparator<CatalogJoin.Joined> BY_ID =
      Comparator.comparing(j -> j.externalId);

  private CatalogMerge() {}

  /**
   * Writes the joined products and clears the job's staged pages.
   *
   * @param markDiscontinued whether a complete catalogue stream finished, so absence means gone
   */
  static MergeCounts merge(
      Handle h,
      UUID job,
      UUID supplier,
      UUID userId,
      boolean markDiscontinued,
      Instant now,
      CatalogJoin join)
      throws SQLException {
    return merge(
        h,
        job,
        supplier,
        userId,
        markDiscontinued,
        now,
        join,
        existing(h, supplier),
        new NewProducts(h, supplier, userId, now));
  }

  /**
   * Writes the joined products, given the supplier's products as they stood ({@link #existing}) and
   * the COPY of new ones, where those marked {@code early} were already written.
   */
  static MergeCounts merge(
      Handle h,
      UUID job,
      UUID supplier,
      UUID userId,
      boolean markDiscontinued,
      Instant now,
      CatalogJoin join,
      Map<String, String> existing,
      NewProducts rows)
      throws SQLException {
    Params p =
        Params.with("job", job).and("supplier", supplier).and("user_id", userId).and("now", now);
    if (join.changedAfterWrite()) {
      rows.discard(); // a stream said more of a product written early: write them all again
    }
    List<CatalogJoin.Joined> known = new ArrayList<>();
    List<CatalogJoin.Joined> fresh = new ArrayList<>();
    List<CatalogJoin.Joined> rest = new ArrayList<>();
    for (CatalogJoin.Joined j : join.products()) {
      if (existing.containsKey(j.externalId)) {
        known.add(j);
      } else if (j.inCatalogue) {
        fresh.add(j);
        if (!j.early || join.changedAfterWrite()) {
          rest.add(j);
        }
      }
    }
    // in the unique index's order: each row lands on the index's rightmost leaf (PostgreSQL's
    // fast path, no descent, no split in the middle) instead of a random one
    rest.sort(BY_ID);
    rows.write(rest);
    int inserted = rows.finish();
    boolean raced = inserted < 0;
    if (raced) {
      known.addAll(fresh);
      inserted = 0;
    }
    int updated = 0;
    if (!known.isEmpty()) {
      h.update("DROP TABLE IF EXISTS supplier_sync_joined");
      h.update(JOINED);
      copy(h, COPY_JOINED, known, CatalogMerge::joinedRow);
      updated = h.update(UPDATE_CHANGED, p);
      if (raced) {
        inserted = h.update(INSERT_NEW, p);
      }
      h.update("DROP TABLE supplier_sync_joined");
    }
    int discontinued = 0;
    if (markDiscontinued) {
      String[] gone = gone(existing, join);
      discontinued = gone.length == 0 ? 0 : h.update(DISCONTINUE, p.and("ids", gone));
    }
    h.update("DELETE FROM supplier_sync_pages WHERE import_job_id = :job", p);
    int unchanged = Math.max(0, known.size() - updated - (raced ? inserted : 0));
    return new MergeCounts(inserted, updated, unchanged, discontinued);
  }

  /** The supplier's products as they stand: external id to status. */
  static Map<String, String> existing(Handle h, UUID supplier) throws SQLException {
    Map<String, String> out = new HashMap<>();
    h.query(
        "SELECT external_id, status FROM imported_products WHERE supplier_id = :supplier",
        Params.of("supplier", supplier),
        rs -> out.put(rs.getString(1), rs.getString(2)));
    return out;
  }

  /** Known products no listing stream named this time, not yet discontinued (nor drafts). */
  private static String[] gone(Map<String, String> existing, CatalogJoin join) {
    List<String> out = new ArrayList<>();
    existing.forEach(
        (id, status) -> {
          if (!status.equals("discontinued") && !status.equals("draft") && !join.listed(id)) {
            out.add(id);
          }
        });
    return out.toArray(String[]::new);
  }

  /** Writes one product as a row of COPY's text format, newline included. */
  private interface Row {
    void write(StringBuilder b, CatalogJoin.Joined j);
  }

  /**
   * COPYs the products in chunks sent as they are written, so the server parses and inserts one
   * chunk while the next is being written.
   */
  private static long copy(Handle h, String sql, List<CatalogJoin.Joined> products, Row row)
      throws SQLException {
    CopyIn copy = h.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      StringBuilder b = new StringBuilder(CHUNK + 4096);
      for (CatalogJoin.Joined j : products) {
        row.write(b, j);
        if (b.length() >= CHUNK) {
          send(copy, b);
        }
      }
      send(copy, b);
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static final int CHUNK = 256 * 1024;

  private static void send(CopyIn copy, StringBuilder b) throws SQLException {
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    b.setLength(0);
  }

  private static void joinedRow(StringBuilder b, CatalogJoin.Joined j) {
    CopyText.text(b, j.externalId);
    b.append('\t').append(j.inCatalogue ? 't' : 'f');
    CopyText.field(b, j.sku);
    CopyText.field(b, j.name);
    CopyText.field(b, j.description);
    CopyText.field(b, j.category);
    CopyText.field(b, j.price == null ? null : j.price.toPlainString());
    CopyText.field(b, j.costPrice == null ? null : j.costPrice.toPlainString());
    CopyText.field(b, j.currency);
    CopyText.field(b, j.stockQuantity == null ? null : j.stockQuantity.toString());
    CopyText.field(b, j.imagesJson);
    CopyText.field(b, j.attributesJson);
    CopyText.field(b, j.active == null ? null : (j.active ? "t" : "f"));
    b.append('\n');
  }
}
