package dev.tributary.engine;

/** The running job was cancelled, lost its lease, or the engine is stopping: stop working on it. */
public class JobCancelledException extends RuntimeException {
  public JobCancelledException(String message) {
    super(message);
  }
}
