package dev.tributary.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the data lives and where the node listens.
 *
 * @param databaseUrl empty for the embedded PostgreSQL; checked by {@code db.DatabaseUrl} when the
 *     database is opened (it may hold a password: never printed)
 * @param publicUrlSetting {@code TRIBUTARY_PUBLIC_URL} as set; {@link #publicUrl()} applies the
 *     default
 * @param pooler what sits between the nodes and PostgreSQL ({@code DATABASE_POOLER})
 */
public record CoreSettings(
    Optional<String> databaseUrl,
    Path dataDir,
    int dbPoolSize,
    int port,
    Optional<URI> publicUrlSetting,
    Pooler pooler) {

  /**
   * What the nodes' connections reach: PostgreSQL itself (or a pooler in session mode), or a pooler
   * in transaction mode such as PgBouncer's {@code pool_mode = transaction}, where each transaction
   * may run on another server session: then nothing may rely on a session (no server-side prepared
   * statements, no LISTEN, no session {@code SET}), see docs/data-access.md.
   */
  public enum Pooler {
    NONE,
    TRANSACTION;

    public boolean transactionMode() {
      return this == TRANSACTION;
    }
  }

  public static final String DEFAULT_DATA_DIR = "./.tributary";
  public static final int DEFAULT_DB_POOL_SIZE = 20;
  public static final int MAX_DB_POOL_SIZE = 1000;
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_PUBLIC_URL = "http://localhost:${PORT}";

  public static final Variable DATABASE_URL =
      Variable.optional(
          "DATABASE_URL",
          "embedded PostgreSQL",
          "postgres://user:pass@host:5432/db or jdbc:postgresql://…; PostgreSQL >= 14");
  public static final Variable TRIBUTARY_DATA_DIR =
      Variable.withDefault(
          "TRIBUTARY_DATA_DIR", DEFAULT_DATA_DIR, "where the embedded PostgreSQL keeps its data");
  public static final Variable TRIBUTARY_DB_POOL_SIZE =
      Variable.withDefault(
          "TRIBUTARY_DB_POOL_SIZE", DEFAULT_DB_POOL_SIZE, "connections in the pool of one node");
  public static final Variable PORT =
      Variable.withDefault("PORT", DEFAULT_PORT, "HTTP port of serve");
  public static final Variable TRIBUTARY_PUBLIC_URL =
      Variable.withDefault(
          "TRIBUTARY_PUBLIC_URL",
          DEFAULT_PUBLIC_URL,
          "the URL callers reach this node at; what get_supabase_url() returns");
  public static final Variable DATABASE_POOLER =
      Variable.withDefault(
          "DATABASE_POOLER",
          "none",
          "none, or transaction when DATABASE_URL points at a pooler in transaction mode (PgBouncer)");

  public static final List<Variable> VARIABLES =
      List.of(
          DATABASE_URL,
          DATABASE_POOLER,
          TRIBUTARY_DATA_DIR,
          TRIBUTARY_DB_POOL_SIZE,
          PORT,
          TRIBUTARY_PUBLIC_URL);

  public static CoreSettings parse(Map<String, String> env) {
    return new CoreSettings(
        DATABASE_URL.read(env),
        Path.of(TRIBUTARY_DATA_DIR.text(env, DEFAULT_DATA_DIR)),
        TRIBUTARY_DB_POOL_SIZE.integer(env, DEFAULT_DB_POOL_SIZE, 1, MAX_DB_POOL_SIZE),
        PORT.integer(env, DEFAULT_PORT, 0, 65535),
        TRIBUTARY_PUBLIC_URL.httpUrl(env),
        DATABASE_POOLER
            .choice(env, Set.of("NONE", "TRANSACTION"))
            .map(Pooler::valueOf)
            .orElse(Pooler.NONE));
  }

  /** {@code TRIBUTARY_PUBLIC_URL}, else {@code http://localhost:<port>}; no trailing slash. */
  public URI publicUrl() {
    return publicUrlSetting.orElse(URI.create("http://localhost:" + port));
  }

  public CoreSettings withPort(int newPort) {
    return new CoreSettings(databaseUrl, dataDir, dbPoolSize, newPort, publicUrlSetting, pooler);
  }

  @Override
  public String toString() {
    return "CoreSettings[database="
        + (databaseUrl.isPresent() ? "external" : "embedded at " + dataDir)
        + ", dbPoolSize="
        + dbPoolSize
        + ", pooler="
        + pooler.name().toLowerCase(java.util.Locale.ROOT)
        + ", port="
        + port
        + ", publicUrl="
        + publicUrl()
        + "]";
  }
}
