package dev.tributary.connectors.suppliers;

import java.util.List;

/**
 * One page of a stream: the items read, the items that could not be read (with why), and whether
 * this was the last page.
 */
public record CatalogPage(List<CatalogItem> items, List<ItemFailure> failures, boolean last) {
  public CatalogPage {
    items = List.copyOf(items);
    failures = List.copyOf(failures);
  }

  public int size() {
    return items.size() + failures.size();
  }
}
