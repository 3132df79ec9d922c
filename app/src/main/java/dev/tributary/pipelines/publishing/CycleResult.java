package dev.tributary.pipelines.publishing;

/** The counts of one publishing cycle, as {@code publish-scheduled} answers them. */
public record CycleResult(
    int processed, int published, int reconciled, int failed, int unknown, int busy, int refused) {
  public static final CycleResult NONE = new CycleResult(0, 0, 0, 0, 0, 0, 0);
}
