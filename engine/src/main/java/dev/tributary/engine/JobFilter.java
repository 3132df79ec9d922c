package dev.tributary.engine;

/** Which jobs to list; null fields match everything. Newest first. */
public record JobFilter(JobState state, String queue, String kind, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public JobFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
  }

  public static JobFilter all() {
    return new JobFilter(null, null, null, DEFAULT_LIMIT);
  }

  public JobFilter state(JobState s) {
    return new JobFilter(s, queue, kind, limit);
  }

  public JobFilter queue(String q) {
    return new JobFilter(state, q, kind, limit);
  }

  public JobFilter kind(String k) {
    return new JobFilter(state, queue, k, limit);
  }

  public JobFilter limit(int n) {
    return new JobFilter(state, queue, kind, n);
  }
}
