package dev.tributary.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The callers' credentials, one role each. Parsed here, checked by the web layer. {@link
 * #toString()} says nothing of them, not even which are set.
 *
 * @param serviceRoleKey bearer key of operators and the seed's service calls
 * @param schedulerSecret {@code X-Scheduler-Secret} of workers, orchestrator and publishing cycle
 * @param jwtSecret HS256 key of users' bearer tokens
 * @param anonKey optional read-only search key
 * @param metricsToken optional bearer of {@code /metrics}; empty leaves {@code /metrics} open
 * @param qstashCurrentSigningKey verifies the {@code Upstash-Signature} of scheduled calls
 * @param qstashNextSigningKey the next QStash signing key, accepted during a rotation
 * @param adminKey bearer key of administrators' acts (registering a vector-sync source); never one
 *     of the other keys, so no service or cron caller holds it
 */
public record SecuritySettings(
    Optional<String> serviceRoleKey,
    Optional<String> schedulerSecret,
    Optional<String> jwtSecret,
    Optional<String> anonKey,
    Optional<String> metricsToken,
    Optional<String> qstashCurrentSigningKey,
    Optional<String> qstashNextSigningKey,
    Optional<String> adminKey) {

  /** Without an admin key: no caller of the API is an administrator. */
  public SecuritySettings(
      Optional<String> serviceRoleKey,
      Optional<String> schedulerSecret,
      Optional<String> jwtSecret,
      Optional<String> anonKey,
      Optional<String> metricsToken,
      Optional<String> qstashCurrentSigningKey,
      Optional<String> qstashNextSigningKey) {
    this(
        serviceRoleKey,
        schedulerSecret,
        jwtSecret,
        anonKey,
        metricsToken,
        qstashCurrentSigningKey,
        qstashNextSigningKey,
        Optional.empty());
  }

  public static final Variable SERVICE_ROLE_KEY =
      Variable.optional(
          "SERVICE_ROLE_KEY", null, "bearer key of operators and the seed's service calls");
  public static final Variable SCHEDULER_SECRET =
      Variable.optional(
          "SCHEDULER_SECRET", null, "X-Scheduler-Secret of the worker and orchestrator endpoints");
  public static final Variable JWT_SECRET =
      Variable.optional("JWT_SECRET", null, "HS256 key of users' bearer tokens");
  public static final Variable ANON_KEY =
      Variable.optional("ANON_KEY", null, "optional read-only search key");
  public static final Variable METRICS_TOKEN =
      Variable.optional("METRICS_TOKEN", "/metrics is open", "bearer token of /metrics");
  public static final Variable QSTASH_CURRENT_SIGNING_KEY =
      Variable.optional(
          "QSTASH_CURRENT_SIGNING_KEY", null, "verifies the Upstash-Signature of scheduled calls");
  public static final Variable QSTASH_NEXT_SIGNING_KEY =
      Variable.optional(
          "QSTASH_NEXT_SIGNING_KEY", null, "the next QStash signing key, during a rotation");

  public static final Variable ADMIN_KEY =
      Variable.optional(
          "ADMIN_KEY",
          "no API caller is an administrator (use the CLI)",
          "bearer key of administrators' acts: registering a vector-sync source");

  public static final List<Variable> VARIABLES =
      List.of(
          SERVICE_ROLE_KEY,
          SCHEDULER_SECRET,
          JWT_SECRET,
          ANON_KEY,
          METRICS_TOKEN,
          QSTASH_CURRENT_SIGNING_KEY,
          QSTASH_NEXT_SIGNING_KEY,
          ADMIN_KEY);

  public static SecuritySettings parse(Map<String, String> env) {
    Optional<String> admin = ADMIN_KEY.read(env);
    if (admin.isPresent()) {
      for (Variable other : List.of(SERVICE_ROLE_KEY, SCHEDULER_SECRET, ANON_KEY, METRICS_TOKEN)) {
        if (admin.equals(other.read(env))) {
          // the value is a secret: named, never quoted
          throw new StartupException(
              "ADMIN_KEY must differ from "
                  + other.name()
                  + ": an administrator's key is held by no service or cron caller");
        }
      }
    }
    return new SecuritySettings(
        SERVICE_ROLE_KEY.read(env),
        SCHEDULER_SECRET.read(env),
        JWT_SECRET.read(env),
        ANON_KEY.read(env),
        METRICS_TOKEN.read(env),
        QSTASH_CURRENT_SIGNING_KEY.read(env),
        QSTASH_NEXT_SIGNING_KEY.read(env),
        admin);
  }

  @Override
  public String toString() {
    return "SecuritySettings[***]";
  }
}
