package dev.tributary.engine.testing;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh migrated PostgreSQL database for each test (or, with {@link #perClass()}, one for the
 * whole class), cut from the one embedded server of the JVM ({@link TestPostgres}), and closed
 * after it. The server itself is stopped once the whole test run is over.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PostgresExtension db = PostgresExtension.migrated(Migrations.LOCATIONS);
 *
 * @Test
 * void a_test() {
 *   new Jobs(db.dataSource()).enqueue(...);
 * }
 * }</pre>
 *
 * Register it in a static field; an {@link EngineExtension} on it goes in an instance field, so its
 * engines stop before the database closes.
 */
public final class PostgresExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  private final String[] locations;
  private final boolean perClass;
  private final int poolSize;
  private HikariDataSource dataSource;
  private final List<HikariDataSource> extraPools = new ArrayList<>();

  private PostgresExtension(String[] locations, boolean perClass, int poolSize) {
    this.locations = locations.clone();
    this.perClass = perClass;
    this.poolSize = poolSize;
  }

  /** A database migrated with these Flyway locations (e.g. {@code Migrations.LOCATIONS}). */
  public static PostgresExtension migrated(String... locations) {
    return new PostgresExtension(locations, false, 10);
  }

  /** One database for every test of the class, instead of one per test. */
  public PostgresExtension perClass() {
    return new PostgresExtension(locations, true, poolSize);
  }

  /** The size of the database's pool (default 10). */
  public PostgresExtension poolSize(int size) {
    return new PostgresExtension(locations, perClass, size);
  }

  /** The current test's database. */
  public HikariDataSource dataSource() {
    return Objects.requireNonNull(
        dataSource, "no database outside a test: register the extension with @RegisterExtension");
  }

  /** A second pool on the same database, as a second node would have; closed with the database. */
  public HikariDataSource anotherPool(int size) {
    HikariDataSource pool = TestPostgres.anotherPool(dataSource(), size);
    extraPools.add(pool);
    return pool;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // the server of this JVM, stopped when the root context closes: after the last test
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "server",
            k -> {
              TestPostgres.server();
              return (ExtensionContext.Store.CloseableResource) TestPostgres::stopServer;
            });
    if (perClass) {
      open();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      open();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (perClass) {
      close();
    }
  }

  private void open() {
    dataSource = TestPostgres.freshDatabase(poolSize, locations);
  }

  private void close() {
    extraPools.forEach(HikariDataSource::close);
    extraPools.clear();
    if (dataSource != null) {
      dataSource.close();
      dataSource = null;
    }
  }
}
