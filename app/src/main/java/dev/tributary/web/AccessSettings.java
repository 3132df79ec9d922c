package dev.tributary.web;

import java.util.Optional;

/**
 * The credentials the server accepts, each optional: a role whose secret is unset admits nobody.
 *
 * @param publicUrl this server's public base URL, checked against a QStash token's {@code sub} (the
 *     URL QStash called) when set
 */
public record AccessSettings(
    Optional<String> serviceRoleKey,
    Optional<String> schedulerSecret,
    Optional<String> jwtSecret,
    Optional<String> anonKey,
    Optional<String> metricsToken,
    Optional<String> qstashCurrentSigningKey,
    Optional<String> qstashNextSigningKey,
    Optional<String> publicUrl,
    Optional<String> adminKey) {

  /** Without an admin key (no caller is an administrator). */
  public AccessSettings(
      Optional<String> serviceRoleKey,
      Optional<String> schedulerSecret,
      Optional<String> jwtSecret,
      Optional<String> anonKey,
      Optional<String> metricsToken,
      Optional<String> qstashCurrentSigningKey,
      Optional<String> qstashNextSigningKey,
      Optional<String> publicUrl) {
    this(
        serviceRoleKey,
        schedulerSecret,
        jwtSecret,
        anonKey,
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        Optional.empty());
  }

  public AccessSettings withAdminKey(String key) {
    return new AccessSettings(
        serviceRoleKey,
        schedulerSecret,
        jwtSecret,
        anonKey,
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        Optional.ofNullable(key));
  }

  public static final AccessSettings NONE =
      new AccessSettings(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public AccessSettings withServiceRoleKey(String key) {
    return new AccessSettings(
        Optional.ofNullable(key),
        schedulerSecret,
        jwtSecret,
        anonKey,
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        adminKey);
  }

  public AccessSettings withSchedulerSecret(String secret) {
    return new AccessSettings(
        serviceRoleKey,
        Optional.ofNullable(secret),
        jwtSecret,
        anonKey,
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        adminKey);
  }

  public AccessSettings withJwtSecret(String secret) {
    return new AccessSettings(
        serviceRoleKey,
        schedulerSecret,
        Optional.ofNullable(secret),
        anonKey,
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        adminKey);
  }

  public AccessSettings withAnonKey(String key) {
    return new AccessSettings(
        serviceRoleKey,
        schedulerSecret,
        jwtSecret,
        Optional.ofNullable(key),
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        adminKey);
  }

  public AccessSettings withMetricsToken(String token) {
    return new AccessSettings(
        serviceRoleKey,
        schedulerSecret,
        jwtSecret,
        anonKey,
        Optional.ofNullable(token),
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        publicUrl,
        adminKey);
  }

  public AccessSettings withQStashKeys(String current, String next) {
    return new AccessSettings(
        serviceRoleKey,
        schedulerSecret,
        jwtSecret,
        anonKey,
        metricsToken,
        Optional.ofNullable(current),
        Optional.ofNullable(next),
        publicUrl,
        adminKey);
  }

  @Override
  public String toString() {
    return "AccessSettings[secrets hidden]";
  }
}
