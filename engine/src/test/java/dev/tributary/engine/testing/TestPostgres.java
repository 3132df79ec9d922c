package dev.tributary.engine.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * One real embedded PostgreSQL server per test JVM, and a fresh database per caller.
 *
 * <p>Migrations run once per set of Flyway locations into a template database; each fresh database
 * is then a cheap {@code CREATE DATABASE … TEMPLATE} copy, so tests never share rows.
 */
public final class TestPostgres {
  private static EmbeddedPostgres server;
  private static boolean hookAdded;
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Map<List<String>, String> TEMPLATES = new ConcurrentHashMap<>();

  private TestPostgres() {}

  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start embedded PostgreSQL for tests", e);
      }
      if (!hookAdded) {
        hookAdded = true;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        stopServer();
                      } catch (RuntimeException ignored) {
                        // the JVM is going away; nothing left to clean
                      }
                    }));
      }
    }
    return server;
  }

  /** Stops the server of this JVM, if one started (again later: a new one starts). */
  public static synchronized void stopServer() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
      } finally {
        server = null;
        TEMPLATES.clear();
      }
    }
  }

  /**
   * A new, empty database migrated with the given Flyway locations (e.g. "classpath:db/engine").
   */
  public static HikariDataSource freshDatabase(String... flywayLocations) {
    return freshDatabase(10, flywayLocations);
  }

  public static HikariDataSource freshDatabase(int poolSize, String... flywayLocations) {
    String template =
        TEMPLATES.computeIfAbsent(List.of(flywayLocations), TestPostgres::migratedTemplate);
    String name = "t_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    createDatabase(name, template);
    return pool(name, poolSize);
  }

  /** A second, independent pool on the same database, as a second node would have. */
  public static HikariDataSource anotherPool(HikariDataSource existing, int poolSize) {
    String url = existing.getJdbcUrl();
    String name = url.substring(url.lastIndexOf('/') + 1);
    int query = name.indexOf('?');
    if (query >= 0) {
      name = name.substring(0, query);
    }
    return pool(name, poolSize);
  }

  public static String jdbcUrl(String database) {
    return server().getJdbcUrl("postgres", database);
  }

  private static synchronized String migratedTemplate(List<String> locations) {
    String name = "tmpl_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    createDatabase(name, "template0");
    if (!locations.isEmpty()) {
      Flyway.configure()
          .dataSource(jdbcUrl(name), "postgres", "")
          .locations(locations.toArray(String[]::new))
          .load()
          .migrate();
    }
    return name;
  }

  private static synchronized void createDatabase(String name, String template) {
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
  }

  private static HikariDataSource pool(String database, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl(database));
    config.setUsername("postgres");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(0);
    config.setPoolName("test-" + database);
    return new HikariDataSource(config);
  }
}
