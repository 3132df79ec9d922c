package dev.tributary.pipelines.publishing;

import java.util.List;

/**
 * {@code GET /api/publishing/status}: how many rows wait and are due, are publishing, were
 * published today (UTC) and failed; the failures with their reasons; profile posts whose company
 * re-posts failed (partially published); per account; lateness of today's posts.
 */
public record PublishingStatus(
    long due,
    long waiting,
    long publishing,
    long publishedToday,
    long failed,
    long partiallyPublished,
    long reconciledToday,
    Long latenessP50Ms,
    Long latenessP99Ms,
    List<PostView> failures,
    List<AccountCounts> accounts) {

  public record AccountCounts(
      String accountId, String status, long waiting, long published, long failed) {}
}
