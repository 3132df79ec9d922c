package dev.tributary.engine;

import java.util.Locale;

/**
 * The states of a job, and the one place that says which moves an operator may make.
 *
 * <pre>
 *   available --claim--> running --success--> completed
 *       ^                   |  \--failure, attempts left--> available (later run_at)
 *       |                   \--failure, none left / permanent--> dead
 *       +--retry by hand-- dead, cancelled        available, running --cancel--> cancelled
 * </pre>
 */
public enum JobState {
  AVAILABLE,
  RUNNING,
  COMPLETED,
  DEAD,
  CANCELLED;

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** True while the job may still run: the states that hold a unique key. */
  public boolean isLive() {
    return this == AVAILABLE || this == RUNNING;
  }

  public boolean canBeCancelled() {
    return isLive();
  }

  public boolean canBeRetried() {
    return this == DEAD || this == CANCELLED;
  }
}
