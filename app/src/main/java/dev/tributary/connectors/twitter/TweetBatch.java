package dev.tributary.connectors.twitter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one provider call answered for a list of ids. Every id asked for is in exactly one of the
 * three: {@code found}; {@code missing} (the provider did not return it: deleted, private,
 * suspended, or never existed); {@code unreadable} (returned, but its counts could not be read; id
 * to the reason). A bad tweet never fails the batch.
 */
public record TweetBatch(
    Map<String, TweetMetrics> found, Set<String> missing, Map<String, String> unreadable) {
  public TweetBatch {
    found = Map.copyOf(found);
    missing = Set.copyOf(missing);
    unreadable = Map.copyOf(unreadable);
  }

  /** Sorts the answer against the ids asked for: whatever was asked and not answered is missing. */
  static TweetBatch of(
      List<String> asked, Map<String, TweetMetrics> found, Map<String, String> unreadable) {
    Map<String, TweetMetrics> f = new java.util.HashMap<>();
    Map<String, String> u = new java.util.HashMap<>();
    Set<String> m = new java.util.HashSet<>();
    for (String id : asked) {
      if (found.containsKey(id)) {
        f.put(id, found.get(id));
      } else if (unreadable.containsKey(id)) {
        u.put(id, unreadable.get(id));
      } else {
        m.add(id);
      }
    }
    return new TweetBatch(f, m, u);
  }
}
