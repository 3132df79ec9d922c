package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.suppliers.CatalogPage;
import java.util.List;

/**
 * A page read from a stream, made ready to stage on the thread that read it: its items as {@link
 * StagedItem}s (what the join folds) and as the bytes kept in {@code supplier_sync_pages}.
 */
record StagedPage(CatalogPage page, List<StagedItem> items, byte[] bytes) {
  static StagedPage of(CatalogPage page) {
    List<StagedItem> items = StagedItem.of(page.items());
    return new StagedPage(page, items, StagedItem.encode(items));
  }
}
