package dev.tributary.engine;

import java.util.Locale;

/**
 * What an operator may do to every job of a {@link JobMatch}, and which states each action touches:
 * the others in the match are left as they are (a completed job is not retried, a running job is
 * not deleted under its worker).
 */
public enum BulkAction {
  /** Dead and cancelled jobs go back to their queue, due now. */
  RETRY("state IN ('dead', 'cancelled')"),
  /** Jobs that have not finished stop; running ones are told at once. */
  CANCEL("state IN ('available', 'running')"),
  /** Jobs that are not running are removed. */
  DELETE("state <> 'running'");

  private final String statePredicate;

  BulkAction(String statePredicate) {
    this.statePredicate = statePredicate;
  }

  /** The SQL condition on {@code state} (a constant, never user text). */
  String statePredicate() {
    return statePredicate;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BulkAction parse(String word) {
    for (BulkAction a : values()) {
      if (a.word().equalsIgnoreCase(word == null ? "" : word.strip())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown action '" + word + "': use retry, cancel or delete");
  }
}
