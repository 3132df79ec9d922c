package dev.tributary.engine;

/** What an operator's change to a job (cancel, retry) did. */
public enum ChangeOutcome {
  CHANGED,
  NOT_FOUND,
  /** The job's state does not allow the change (e.g. cancelling a completed job). */
  NOT_ALLOWED,
  /** Retrying would make a second live job with the same unique key. */
  UNIQUE_KEY_TAKEN
}
