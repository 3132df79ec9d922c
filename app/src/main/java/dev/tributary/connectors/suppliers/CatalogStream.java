package dev.tributary.connectors.suppliers;

/**
 * A paged source of catalogue items, e.g. BigBuy's {@code productprices} endpoint or one AliExpress
 * keyword search.
 *
 * @param name unique within a sync, the key of its cursor ({@code products}, {@code search:lamp})
 * @param lists whether the products it names are products to import (BigBuy's {@code products}, a
 *     search in a full sync); other streams only add fields to products already known
 * @param complete whether it lists the whole catalogue, so a product it does not list is not on
 *     sale any more ({@code discontinued}); a keyword search is never complete
 */
public record CatalogStream(String name, boolean lists, boolean complete) {
  public CatalogStream {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a stream needs a name");
    }
  }
}
