package dev.tributary.engine;

/** The job's JSON args do not fit the type the handler asked for; the job is parked as dead. */
public class JobArgsException extends PermanentJobException {
  public JobArgsException(String message, Throwable cause) {
    super(message, cause);
  }
}
