package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.ItemFailure;
import java.util.List;

/**
 * A page read from a stream, made ready to stage on the thread that read it: its items as {@link
 * StagedItem}s (what the join folds) and as the bytes kept in {@code supplier_sync_pages}, the
 * items that could not be read, and whether it was the stream's last page.
 */
record StagedPage(List<StagedItem> items, List<ItemFailure> failures, boolean last, byte[] bytes) {
  static StagedPage of(CatalogPage page) {
    List<StagedItem> items = StagedItem.of(page.items());
    return new StagedPage(items, page.failures(), page.last(), StagedItem.encode(items));
  }

  /** Items read plus items that failed. */
  int size() {
    return items.size() + failures.size();
  }
}
