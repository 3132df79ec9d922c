package dev.tributary.connectors.suppliers;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One product as one stream sees it. A null field is "this stream does not say": BigBuy's prices
 * endpoint knows prices, its stock endpoint stock, and the join keeps what each one said.
 *
 * @param price the selling price (BigBuy {@code retailPrice}, AliExpress {@code original_price})
 * @param costPrice what the product costs us (BigBuy {@code wholesalePrice}, AliExpress {@code
 *     sale_price})
 * @param active false when the supplier lists the product as not for sale
 */
public record CatalogItem(
    String externalId,
    String sku,
    String name,
    String description,
    String category,
    BigDecimal price,
    BigDecimal costPrice,
    String currency,
    Integer stockQuantity,
    List<String> images,
    Map<String, Object> attributes,
    Boolean active) {

  public CatalogItem {
    if (externalId == null || externalId.isBlank()) {
      throw new IllegalArgumentException("a catalogue item needs an id");
    }
    images = images == null ? null : List.copyOf(images);
    attributes = attributes == null ? null : Map.copyOf(attributes);
  }

  public static CatalogItem id(String externalId) {
    return new CatalogItem(
        externalId, null, null, null, null, null, null, null, null, null, null, null);
  }

  public CatalogItem withSku(String v) {
    return new CatalogItem(
        externalId,
        v,
        name,
        description,
        category,
        price,
        costPrice,
        currency,
        stockQuantity,
        images,
        attributes,
        active);
  }

  public CatalogItem withText(String newName, String newDescription, String newCategory) {
    return new CatalogItem(
        externalId,
        sku,
        newName,
        newDescription,
        newCategory,
        price,
        costPrice,
        currency,
        stockQuantity,
        images,
        attributes,
        active);
  }

  public CatalogItem withPrices(BigDecimal newPrice, BigDecimal newCost, String newCurrency) {
    return new CatalogItem(
        externalId,
        sku,
        name,
        description,
        category,
        newPrice,
        newCost,
        newCurrency,
        stockQuantity,
        images,
        attributes,
        active);
  }

  public CatalogItem withStock(Integer v) {
    return new CatalogItem(
        externalId,
        sku,
        name,
        description,
        category,
        price,
        costPrice,
        currency,
        v,
        images,
        attributes,
        active);
  }

  public CatalogItem withImages(List<String> v) {
    return new CatalogItem(
        externalId,
        sku,
        name,
        description,
        category,
        price,
        costPrice,
        currency,
        stockQuantity,
        v,
        attributes,
        active);
  }

  public CatalogItem withAttributes(Map<String, Object> v) {
    return new CatalogItem(
        externalId,
        sku,
        name,
        description,
        category,
        price,
        costPrice,
        currency,
        stockQuantity,
        images,
        v,
        active);
  }

  public CatalogItem withActive(Boolean v) {
    return new CatalogItem(
        externalId,
        sku,
        name,
        description,
        category,
        price,
        costPrice,
        currency,
        stockQuantity,
        images,
        attributes,
        v);
  }
}
