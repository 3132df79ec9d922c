package dev.tributary.workers;

/** A worker name that has no row in {@code worker_feature_flags_v2}. */
public class UnknownWorkerException extends IllegalArgumentException {
  private final String workerName;

  public UnknownWorkerException(String workerName) {
    super("unknown worker '" + workerName + "'");
    this.workerName = workerName;
  }

  public String workerName() {
    return workerName;
  }
}
