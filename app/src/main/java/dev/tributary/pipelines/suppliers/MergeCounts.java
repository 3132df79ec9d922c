package dev.tributary.pipelines.suppliers;

/** What writing a sync's products into imported_products did. */
public record MergeCounts(int inserted, int updated, int unchanged, int discontinued) {
  public static final MergeCounts ZERO = new MergeCounts(0, 0, 0, 0);

  MergeCounts plus(MergeCounts o) {
    return new MergeCounts(
        inserted + o.inserted,
        updated + o.updated,
        unchanged + o.unchanged,
        discontinued + o.discontinued);
  }
}
