package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The bulk writes of a sync. A page is COPYed into {@code supplier_sync_items} (append-only: one
 * row per item per stream, nothing to resolve while reading) in the transaction that saves its
 * cursor. The merge joins the streams' rows by product id once ({@link #JOIN}), then writes
 * imported_products set-wise: one UPDATE of the rows that changed (an unchanged product is not
 * written and its {@code updated_at} does not move), one INSERT of new products, one UPDATE marking
 * products a complete catalogue no longer lists as {@code discontinued}.
 */
final class CatalogStaging {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String COPY =
      """
      COPY supplier_sync_items (import_job_id, in_catalogue, external_id, sku, name, description,
                                category, price, cost_price, currency, stock_quantity, images,
                                attributes, active) FROM STDIN""";

  /**
   * One row per product from every stream's rows: a value said by a stream that only adds fields
   * (BigBuy's prices, stock, information) wins over one said by a stream that lists products; a
   * product listed twice keeps one of its values.
   */
  static final String JOIN =
      """
      CREATE TEMP TABLE supplier_sync_joined ON COMMIT DROP AS
      SELECT external_id, bool_or(in_catalogue) AS in_catalogue,
             coalesce(max(sku COLLATE "C") FILTER (WHERE NOT in_catalogue), max(sku COLLATE "C")) AS sku,
             coalesce(max(name COLLATE "C") FILTER (WHERE NOT in_catalogue), max(name COLLATE "C")) AS name,
             coalesce(max(description COLLATE "C") FILTER (WHERE NOT in_catalogue), max(description COLLATE "C")) AS description,
             coalesce(max(category COLLATE "C") FILTER (WHERE NOT in_catalogue), max(category COLLATE "C")) AS category,
             coalesce(max(price) FILTER (WHERE NOT in_catalogue), max(price)) AS price,
             coalesce(max(cost_price) FILTER (WHERE NOT in_catalogue), max(cost_price)) AS cost_price,
             coalesce(max(currency COLLATE "C") FILTER (WHERE NOT in_catalogue), max(currency COLLATE "C")) AS currency,
             coalesce(max(stock_quantity) FILTER (WHERE NOT in_catalogue), max(stock_quantity))
               AS stock_quantity,
             (array_agg(images) FILTER (WHERE images IS NOT NULL))[1] AS images,
             supplier_jsonb_merge(attributes) AS attributes,
             bool_and(active) AS active
        FROM supplier_sync_items WHERE import_job_id = :job
       GROUP BY external_id""";

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
      UPDATE imported_products p SET status = 'discontinued', last_synced_at = :now
       WHERE p.supplier_id = :supplier AND p.status NOT IN ('discontinued', 'draft')
         AND NOT EXISTS (SELECT 1 FROM supplier_sync_joined s
                          WHERE s.external_id = p.external_id AND s.in_catalogue)""";

  private CatalogStaging() {}

  /**
   * COPYs one page's items (already readable) into the staging table, on the caller's transaction;
   * returns rows written.
   */
  static long stage(Handle h, UUID job, boolean lists, Collection<CatalogItem> page)
      throws SQLException {
    if (page.isEmpty()) {
      return 0;
    }
    StringBuilder b = new StringBuilder(page.size() * 200);
    String jobText = job.toString();
    String inCatalogue = lists ? "t" : "f";
    for (CatalogItem it : page) {
      b.append(jobText).append('\t').append(inCatalogue);
      field(b, it.externalId());
      field(b, it.sku());
      field(b, it.name());
      field(b, it.description());
      field(b, it.category());
      field(b, it.price() == null ? null : it.price().toPlainString());
      field(b, it.costPrice() == null ? null : it.costPrice().toPlainString());
      field(b, it.currency());
      field(b, it.stockQuantity() == null ? null : it.stockQuantity().toString());
      field(b, it.images() == null ? null : json(it.images()));
      field(b, it.attributes() == null ? null : json(it.attributes()));
      field(b, it.active() == null ? null : (it.active() ? "t" : "f"));
      b.append('\n');
    }
    try {
      return h.connection()
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(COPY, new StringReader(b.toString()));
    } catch (IOException e) {
      throw new SQLException("could not COPY a page into supplier_sync_items", e);
    }
  }

  /** A tab and the value in COPY's text format (\N for null; backslash, tab, newlines escaped). */
  private static void field(StringBuilder b, String v) {
    b.append('\t');
    if (v == null) {
      b.append("\\N");
      return;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\u0000' -> {} // PostgreSQL text cannot hold NUL
        default -> b.append(c);
      }
    }
  }

  /**
   * Writes the staged products into imported_products and clears the staging rows.
   *
   * @param markDiscontinued whether a complete catalogue stream finished, so absence means gone
   */
  static MergeCounts merge(
      Handle h, UUID job, UUID supplier, UUID userId, boolean markDiscontinued, Instant now)
      throws SQLException {
    Params p =
        Params.with("job", job).and("supplier", supplier).and("user_id", userId).and("now", now);
    h.update("DROP TABLE IF EXISTS supplier_sync_joined");
    h.update(JOIN, p);
    h.update("ANALYZE supplier_sync_joined");
    int staged =
        h.queryOne("SELECT count(*) FROM supplier_sync_joined", Params.NONE, rs -> rs.getInt(1))
            .orElse(0);
    int updated = h.update(UPDATE_CHANGED, p);
    int inserted = h.update(INSERT_NEW, p);
    int discontinued = markDiscontinued ? h.update(DISCONTINUE, p) : 0;
    int known =
        h.queryOne(
                """
            SELECT count(*) FROM supplier_sync_joined s
             WHERE EXISTS (SELECT 1 FROM imported_products p
                            WHERE p.supplier_id = :supplier AND p.external_id = s.external_id)""",
                p,
                rs -> rs.getInt(1))
            .orElse(0);
    h.update("DELETE FROM supplier_sync_items WHERE import_job_id = :job", p);
    h.update("DROP TABLE supplier_sync_joined");
    int unchanged = Math.max(0, Math.min(staged, known) - updated - inserted);
    return new MergeCounts(inserted, updated, unchanged, discontinued);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
