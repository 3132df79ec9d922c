package dev.tributary.config;

/**
 * A problem that stops Tributary from starting: bad configuration, an unreachable database, a data
 * directory in use, a failed migration. The CLI prints its message as one line and exits non-zero,
 * so the message must name the problem and never contain a secret.
 */
public class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
