package dev.tributary.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Tributary reads from the environment, with its defaults. The variable names are the
 * seeds' own, so a deployment of the originals keeps its settings. Secrets are held here and handed
 * to the component that needs them; {@link #toString()} never prints them.
 */
public record TributaryConfig(
    Optional<String> databaseUrl,
    Path dataDir,
    int port,
    Optional<String> serviceRoleKey,
    Optional<String> schedulerSecret,
    Optional<String> jwtSecret,
    Map<String, String> env) {

  public static final String DEFAULT_DATA_DIR = "./.tributary";
  public static final int DEFAULT_PORT = 8080;

  public static TributaryConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static TributaryConfig from(Map<String, String> env) {
    int port = DEFAULT_PORT;
    String rawPort = blankToNull(env.get("PORT"));
    if (rawPort != null) {
      try {
        port = Integer.parseInt(rawPort.trim());
      } catch (NumberFormatException e) {
        throw new StartupException(
            "PORT must be a number between 0 and 65535, got '" + rawPort + "'");
      }
      if (port < 0 || port > 65535) {
        throw new StartupException("PORT must be a number between 0 and 65535, got " + port);
      }
    }
    return new TributaryConfig(
        Optional.ofNullable(blankToNull(env.get("DATABASE_URL"))),
        Path.of(
            Optional.ofNullable(blankToNull(env.get("TRIBUTARY_DATA_DIR")))
                .orElse(DEFAULT_DATA_DIR)),
        port,
        Optional.ofNullable(blankToNull(env.get("SERVICE_ROLE_KEY"))),
        Optional.ofNullable(blankToNull(env.get("SCHEDULER_SECRET"))),
        Optional.ofNullable(blankToNull(env.get("JWT_SECRET"))),
        Map.copyOf(env));
  }

  /** Any other variable (connector keys and base URLs), blank treated as unset. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(blankToNull(env.get(name)));
  }

  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /** A variable a configured feature cannot run without: a clear error naming it when missing. */
  public String require(String name, String feature) {
    return get(name)
        .orElseThrow(
            () ->
                new StartupException(
                    feature + " needs the environment variable " + name + " to be set"));
  }

  public TributaryConfig withPort(int newPort) {
    return new TributaryConfig(
        databaseUrl, dataDir, newPort, serviceRoleKey, schedulerSecret, jwtSecret, env);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    return "TributaryConfig[database="
        + (databaseUrl.isPresent() ? "external" : "embedded at " + dataDir)
        + ", port="
        + port
        + "]";
  }
}
