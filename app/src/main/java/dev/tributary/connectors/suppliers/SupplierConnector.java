package dev.tributary.connectors.suppliers;

import java.util.List;

/**
 * One supplier's API behind the interface every supplier shares (S2.2): the catalogue is a set of
 * named streams (one per vendor endpoint or search), each read page by page from a cursor, so a
 * sync can stop after any page and resume at the next. Items of different streams are joined by
 * {@link CatalogItem#externalId()} by the caller, never page by page: each endpoint orders its
 * items its own way.
 *
 * <p>Errors are {@code ConnectorException}s: retryable ones (429 with the vendor's reset, 5xx,
 * timeouts) carry the wait the vendor asked for; final ones (bad key, an empty or error answer)
 * fail the stream.
 */
public interface SupplierConnector {
  /** The value of {@code suppliers.provider} this connector serves. */
  String provider();

  /** The streams that make up a sync of {@code scope} for this supplier, in the order to read. */
  List<CatalogStream> streams(SyncScope scope, SupplierRef supplier);

  /** One page of a stream; {@code page} counts from 0 for every connector. */
  CatalogPage fetch(CatalogStream stream, SupplierRef supplier, int page);
}
