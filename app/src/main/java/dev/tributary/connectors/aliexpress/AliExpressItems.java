package dev.tributary.connectors.aliexpress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogValues;
import dev.tributary.connectors.suppliers.ItemFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code result.products.product}, an array or a single object. */
final class AliExpressItems {
  private AliExpressItems() {}

  static CatalogPage page(JsonNode result, int pageSize) {
    JsonNode product = result.path("products").path("product");
    List<JsonNode> nodes = new ArrayList<>();
    if (product.isArray()) {
      product.forEach(nodes::add);
    } else if (product.isObject()) {
      nodes.add(product);
    }
    List<CatalogItem> items = new ArrayList<>();
    List<ItemFailure> failures = new ArrayList<>();
    for (JsonNode n : nodes) {
      String id = null;
      try {
        if (!n.isObject()) {
          throw new IllegalArgumentException("the product is not a JSON object");
        }
        id = CatalogValues.id(n, "product_id");
        if (id == null) {
          throw new IllegalArgumentException("the product has no product_id");
        }
        items.add(read(id, n));
      } catch (IllegalArgumentException e) {
        failures.add(new ItemFailure(id, e.getMessage()));
      }
    }
    int current = result.path("current_page_no").asInt(0);
    int total = result.path("total_page_no").asInt(0);
    boolean last = nodes.size() < pageSize || (total > 0 && current >= total) || nodes.isEmpty();
    return new CatalogPage(items, failures, last);
  }

  private static CatalogItem read(String id, JsonNode n) {
    List<String> images = new ArrayList<>();
    String main = CatalogValues.text(n, "product_main_image_url");
    if (main != null) {
      images.add(main);
    }
    JsonNode small = n.path("product_small_image_urls").path("string");
    if (small.isArray()) {
      small.forEach(s -> images.add(s.asText()));
    } else if (small.isTextual()) {
      images.add(small.asText());
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    putIf(attributes, "detail_url", CatalogValues.text(n, "product_detail_url"));
    putIf(attributes, "promotion_link", CatalogValues.text(n, "promotion_link"));
    putIf(attributes, "evaluate_rate", CatalogValues.text(n, "evaluate_rate"));
    putIf(attributes, "lastest_volume", CatalogValues.text(n, "lastest_volume"));
    putIf(attributes, "commission_rate", CatalogValues.text(n, "commission_rate"));
    putIf(attributes, "shop_id", CatalogValues.text(n, "shop_id"));
    boolean target = n.hasNonNull("target_sale_price");
    String currency =
        CatalogValues.text(n, target ? "target_sale_price_currency" : "sale_price_currency");
    return CatalogItem.id(id)
        .withText(
            CatalogValues.text(n, "product_title"),
            null,
            CatalogValues.text(n, "second_level_category_name"))
        .withPrices(
            CatalogValues.amount(n, target ? "target_original_price" : "original_price"),
            CatalogValues.amount(n, target ? "target_sale_price" : "sale_price"),
            currency == null ? "USD" : currency)
        .withImages(images)
        .withAttributes(attributes)
        .withActive(true);
  }

  private static void putIf(Map<String, Object> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
