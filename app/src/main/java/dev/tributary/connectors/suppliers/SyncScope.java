package dev.tributary.connectors.suppliers;

/** What a sync reads: the whole catalogue, stock only, or prices only. */
public enum SyncScope {
  FULL,
  STOCK,
  PRICES
}
