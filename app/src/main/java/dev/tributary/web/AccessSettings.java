package dev.tributary.web;

import java.util.Optional;

/**
 * The credentials the server accepts, each optional: a role whose secret is unset admits nobody.
 *
 * @param publicUrl this server's public base URL, checked against a QStash token's {@code sub} (the
 *     URL QStash called) when set
 * @param engagementUpdateSecret the engagement batch update's own bearer, beside QStash
 * @param adminKey an administrator's key (registering vector-sync sources); never another key
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
    Optional<String> engagementUpdateSecret,
    Optional<String> adminKey) {

  public static final AccessSettings NONE =
      new AccessSettings(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  @Override
  public String toString() {
    return "AccessSettings[secrets hidden]";
  }
}
