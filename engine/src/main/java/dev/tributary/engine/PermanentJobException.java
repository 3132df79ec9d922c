package dev.tributary.engine;

/**
 * Thrown by a handler when retrying cannot help (bad input, a resource that is gone): the job is
 * parked as {@code dead} at once with this message, whatever attempts it has left.
 */
public class PermanentJobException extends RuntimeException {
  public PermanentJobException(String message) {
    super(message);
  }

  public PermanentJobException(String message, Throwable cause) {
    super(message, cause);
  }
}
