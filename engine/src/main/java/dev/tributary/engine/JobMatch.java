package dev.tributary.engine;

import java.time.Instant;

/**
 * Which jobs an operator means: every job with this state, queue and kind, created in {@code
 * [createdFrom, createdTo)}, and with an id of at most {@code upToId}; a null field matches
 * everything. {@code upToId} freezes a set: a bulk action confirmed on a count touches no job
 * enqueued after that count was taken.
 */
public record JobMatch(
    JobState state,
    String queue,
    String kind,
    Instant createdFrom,
    Instant createdTo,
    Long upToId) {

  public JobMatch {
    queue = blankToNull(queue);
    kind = blankToNull(kind);
    if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
      throw new IllegalArgumentException(
          "the time range is empty: from " + createdFrom + " is not before to " + createdTo);
    }
    if (upToId != null && upToId < 1) {
      throw new IllegalArgumentException("up_to_id must be at least 1, got " + upToId);
    }
  }

  public static JobMatch all() {
    return new JobMatch(null, null, null, null, null, null);
  }

  public JobMatch state(JobState s) {
    return new JobMatch(s, queue, kind, createdFrom, createdTo, upToId);
  }

  public JobMatch queue(String q) {
    return new JobMatch(state, q, kind, createdFrom, createdTo, upToId);
  }

  public JobMatch kind(String k) {
    return new JobMatch(state, queue, k, createdFrom, createdTo, upToId);
  }

  public JobMatch created(Instant from, Instant to) {
    return new JobMatch(state, queue, kind, from, to, upToId);
  }

  public JobMatch upToId(Long id) {
    return new JobMatch(state, queue, kind, createdFrom, createdTo, id);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
