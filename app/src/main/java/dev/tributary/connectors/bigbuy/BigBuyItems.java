package dev.tributary.connectors.bigbuy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogValues;
import dev.tributary.connectors.suppliers.ItemFailure;
import dev.tributary.connectors.suppliers.OrderTracking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the items of BigBuy's list endpoints. A malformed item (no id, a negative price, text where
 * a number belongs) becomes an {@link ItemFailure} with its reason; the rest of the page is kept.
 */
final class BigBuyItems {
  private BigBuyItems() {}

  static CatalogPage page(String endpoint, JsonNode array, int pageSize) {
    List<CatalogItem> items = new ArrayList<>(array.size());
    List<ItemFailure> failures = new ArrayList<>();
    for (JsonNode node : array) {
      String id = null;
      try {
        if (!node.isObject()) {
          throw new IllegalArgumentException("the item is not a JSON object");
        }
        id = CatalogValues.id(node, "id", "product");
        if (id == null) {
          throw new IllegalArgumentException("the item has no id");
        }
        items.add(read(endpoint, id, node));
      } catch (IllegalArgumentException e) {
        failures.add(new ItemFailure(id, e.getMessage()));
      }
    }
    return new CatalogPage(items, failures, array.size() < pageSize);
  }

  private static CatalogItem read(String endpoint, String id, JsonNode n) {
    CatalogItem item = CatalogItem.id(id);
    return switch (endpoint) {
      case BigBuyClient.PRODUCTS -> product(item, n);
      case BigBuyClient.INFORMATION ->
          item.withSku(CatalogValues.text(n, "sku"))
              .withText(CatalogValues.text(n, "name"), CatalogValues.text(n, "description"), null);
      case BigBuyClient.PRICES ->
          item.withPrices(
              CatalogValues.amount(n, "retailPrice"),
              CatalogValues.amount(n, "wholesalePrice"),
              "EUR");
      case BigBuyClient.STOCK -> item.withStock(stock(n));
      default -> throw new IllegalStateException("no reader for BigBuy endpoint " + endpoint);
    };
  }

  private static CatalogItem product(CatalogItem item, JsonNode n) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    putIf(attributes, "ean13", CatalogValues.text(n, "ean13"));
    putIf(attributes, "condition", CatalogValues.text(n, "condition"));
    putIf(attributes, "taxonomy", CatalogValues.text(n, "taxonomy"));
    putIf(attributes, "manufacturer", CatalogValues.text(n, "manufacturer"));
    putIf(attributes, "in_shops_price", CatalogValues.amount(n, "inShopsPrice"));
    putIf(attributes, "date_upd", CatalogValues.text(n, "dateUpd"));
    return new CatalogItem(
        item.externalId(),
        CatalogValues.text(n, "sku"),
        null,
        null,
        CatalogValues.text(n, "category"),
        CatalogValues.amount(n, "retailPrice"),
        CatalogValues.amount(n, "wholesalePrice"),
        "EUR",
        null,
        null,
        attributes,
        CatalogValues.flag(n, "active"));
  }

  /** The sum over {@code stocks[]} (handling-days buckets), or a flat {@code quantity}. */
  private static Integer stock(JsonNode n) {
    JsonNode stocks = n.get("stocks");
    if (stocks == null || stocks.isNull()) {
      Integer flat = CatalogValues.count(n, "quantity");
      if (flat == null) {
        throw new IllegalArgumentException("the item has neither stocks nor quantity");
      }
      return flat;
    }
    if (!stocks.isArray()) {
      throw new IllegalArgumentException("stocks is not an array");
    }
    long total = 0;
    for (JsonNode s : stocks) {
      Integer q = CatalogValues.count(s, "quantity");
      total += q == null ? 0 : q;
    }
    return (int) Math.min(total, Integer.MAX_VALUE);
  }

  static Optional<OrderTracking> tracking(String orderId, JsonNode root) {
    JsonNode order = root.isArray() ? (root.isEmpty() ? null : root.get(0)) : root;
    if (order == null || !order.isObject()) {
      return Optional.empty();
    }
    if (order.has("message") && !order.has("trackings")) {
      throw new dev.tributary.connectors.ConnectorException(
          BigBuyClient.VENDOR,
          200,
          false,
          null,
          root.toString(),
          "an error inside HTTP 200 from tracking: " + order.path("message").asText(""));
    }
    JsonNode trackings = order.path("trackings");
    if (!trackings.isArray() || trackings.isEmpty()) {
      return Optional.empty();
    }
    JsonNode t = trackings.get(trackings.size() - 1);
    String number = CatalogValues.text(t, "trackingNumber");
    String carrier = CatalogValues.text(t.path("carrier"), "name");
    String status = delivered(CatalogValues.text(t, "statusDescription")) ? "delivered" : "shipped";
    return Optional.of(new OrderTracking(orderId, number, carrier, status));
  }

  /** Carrier wording that mentions delivery without the parcel having arrived. */
  private static final Pattern NOT_YET =
      Pattern.compile(
          "\\b(undelivered|undeliverable|not delivered|non delivered|delivery failed|failed delivery"
              + "|delivery (attempt|exception|failure|delayed|rescheduled)|attempted delivery"
              + "|out for delivery|to be delivered|awaiting delivery|returned|return to sender)\\b");

  private static final Pattern ARRIVED =
      Pattern.compile("\\b(delivered|entregado|livre|consegnato|zugestellt)\\b");

  /**
   * Whether a carrier's status text says the parcel arrived: the word "delivered" (or its Spanish,
   * French, Italian, German forms) on its own, and none of the phrases that mention delivery before
   * or instead of it ("undelivered", "out for delivery", "delivery attempt", "not delivered", …).
   */
  static boolean delivered(String description) {
    if (description == null) {
      return false;
    }
    String words =
        java.text.Normalizer.normalize(description, java.text.Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z]+", " ")
            .strip();
    return !NOT_YET.matcher(words).find() && ARRIVED.matcher(words).find();
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value instanceof java.math.BigDecimal d ? d.toPlainString() : value);
    }
  }
}
