package dev.tributary.engine;

/**
 * A database operation of the engine failed. Carries what the engine was doing; the cause is the
 * driver's exception. Thrown instead of {@link java.sql.SQLException} so callers are not forced to
 * handle a checked exception for every call.
 */
public class EngineException extends RuntimeException {
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
