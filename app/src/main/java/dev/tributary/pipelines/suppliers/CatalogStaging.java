package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The bulk writes of a sync. A page goes into {@code supplier_sync_rows} in one statement (arrays
 * bound as parameters, unnested server-side), where the streams' items meet by product id; the
 * merge then writes imported_products set-wise: one UPDATE of the rows that changed (an unchanged
 * product is not written and its {@code updated_at} does not move), one INSERT of new products, one
 * UPDATE marking products a complete catalogue no longer lists as {@code discontinued}.
 */
final class CatalogStaging {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String STAGE =
      """
      INSERT INTO supplier_sync_rows AS r
             (import_job_id, external_id, in_catalogue, sku, name, description, category, price,
              cost_price, currency, stock_quantity, images, attributes, active)
      SELECT :job, u.external_id, :lists, u.sku, u.name, u.description, u.category, u.price,
             u.cost_price, u.currency, u.stock, u.images, u.attributes, u.active
        FROM unnest(:ids::text[], :skus::text[], :names::text[], :descriptions::text[],
                    :categories::text[], :prices::numeric[], :costs::numeric[], :currencies::text[],
                    :stocks::int[], :images::jsonb[], :attributes::jsonb[], :active::boolean[])
             AS u(external_id, sku, name, description, category, price, cost_price, currency, stock,
                  images, attributes, active)
      ON CONFLICT (import_job_id, external_id) DO UPDATE SET
        in_catalogue = r.in_catalogue OR EXCLUDED.in_catalogue,
        sku = coalesce(EXCLUDED.sku, r.sku), name = coalesce(EXCLUDED.name, r.name),
        description = coalesce(EXCLUDED.description, r.description),
        category = coalesce(EXCLUDED.category, r.category), price = coalesce(EXCLUDED.price, r.price),
        cost_price = coalesce(EXCLUDED.cost_price, r.cost_price),
        currency = coalesce(EXCLUDED.currency, r.currency),
        stock_quantity = coalesce(EXCLUDED.stock_quantity, r.stock_quantity),
        images = coalesce(EXCLUDED.images, r.images),
        attributes = coalesce(r.attributes, '{}'::jsonb) || coalesce(EXCLUDED.attributes, '{}'::jsonb),
        active = coalesce(EXCLUDED.active, r.active)""";

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
        FROM supplier_sync_rows s
       WHERE s.import_job_id = :job AND p.supplier_id = :supplier AND p.external_id = s.external_id
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
        FROM supplier_sync_rows s
       WHERE s.import_job_id = :job AND s.in_catalogue
      ON CONFLICT (supplier_id, external_id) DO NOTHING""";

  static final String DISCONTINUE =
      """
      UPDATE imported_products p SET status = 'discontinued', last_synced_at = :now
       WHERE p.supplier_id = :supplier AND p.status NOT IN ('discontinued', 'draft')
         AND NOT EXISTS (SELECT 1 FROM supplier_sync_rows s
                          WHERE s.import_job_id = :job AND s.external_id = p.external_id
                            AND s.in_catalogue)""";

  private CatalogStaging() {}

  /** Writes one page's items (already readable) in one statement; returns rows written. */
  static int stage(Handle h, UUID job, boolean lists, Collection<CatalogItem> page)
      throws SQLException {
    Map<String, CatalogItem> byId = new LinkedHashMap<>();
    for (CatalogItem item : page) {
      byId.merge(item.externalId(), item, CatalogStaging::overlay); // one row per id per statement
    }
    int n = byId.size();
    if (n == 0) {
      return 0;
    }
    String[] ids = new String[n], skus = new String[n], names = new String[n];
    String[] descriptions = new String[n], categories = new String[n], prices = new String[n];
    String[] costs = new String[n], currencies = new String[n], images = new String[n];
    String[] attributes = new String[n];
    Integer[] stocks = new Integer[n];
    Boolean[] active = new Boolean[n];
    int i = 0;
    for (CatalogItem it : byId.values()) {
      ids[i] = it.externalId();
      skus[i] = it.sku();
      names[i] = it.name();
      descriptions[i] = it.description();
      categories[i] = it.category();
      prices[i] = it.price() == null ? null : it.price().toPlainString();
      costs[i] = it.costPrice() == null ? null : it.costPrice().toPlainString();
      currencies[i] = it.currency();
      stocks[i] = it.stockQuantity();
      images[i] = it.images() == null ? null : json(it.images());
      attributes[i] = it.attributes() == null ? null : json(it.attributes());
      active[i] = it.active();
      i++;
    }
    return h.update(
        STAGE,
        Params.with("job", job)
            .and("lists", lists)
            .and("ids", ids)
            .and("skus", skus)
            .and("names", names)
            .and("descriptions", descriptions)
            .and("categories", categories)
            .and("prices", prices)
            .and("costs", costs)
            .and("currencies", currencies)
            .and("stocks", stocks)
            .and("images", images)
            .and("attributes", attributes)
            .and("active", active));
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
    int staged =
        h.queryOne(
                "SELECT count(*) FROM supplier_sync_rows WHERE import_job_id = :job",
                p,
                rs -> rs.getInt(1))
            .orElse(0);
    int updated = h.update(UPDATE_CHANGED, p);
    int inserted = h.update(INSERT_NEW, p);
    int discontinued = markDiscontinued ? h.update(DISCONTINUE, p) : 0;
    int notWritten =
        h.queryOne(
                """
            SELECT count(*) FROM supplier_sync_rows s
             WHERE s.import_job_id = :job
               AND EXISTS (SELECT 1 FROM imported_products p
                            WHERE p.supplier_id = :supplier AND p.external_id = s.external_id)""",
                p,
                rs -> rs.getInt(1))
            .orElse(0);
    h.update("DELETE FROM supplier_sync_rows WHERE import_job_id = :job", p);
    int unchanged = Math.max(0, Math.min(staged, notWritten) - updated - inserted);
    return new MergeCounts(inserted, updated, unchanged, discontinued);
  }

  private static CatalogItem overlay(CatalogItem a, CatalogItem b) {
    return new CatalogItem(
        a.externalId(),
        b.sku() != null ? b.sku() : a.sku(),
        b.name() != null ? b.name() : a.name(),
        b.description() != null ? b.description() : a.description(),
        b.category() != null ? b.category() : a.category(),
        b.price() != null ? b.price() : a.price(),
        b.costPrice() != null ? b.costPrice() : a.costPrice(),
        b.currency() != null ? b.currency() : a.currency(),
        b.stockQuantity() != null ? b.stockQuantity() : a.stockQuantity(),
        b.images() != null ? b.images() : a.images(),
        b.attributes() != null ? b.attributes() : a.attributes(),
        b.active() != null ? b.active() : a.active());
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
