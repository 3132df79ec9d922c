package dev.tributary.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.tributary.config.CoreSettings;
import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database Tributary runs on: the Postgres named by {@code DATABASE_URL}, or an embedded one.
 * Owns the connection pool (and the embedded server) and closes them in order.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  public static final int MIN_SERVER_MAJOR = 14;
  public static final int DEFAULT_POOL_SIZE = CoreSettings.DEFAULT_DB_POOL_SIZE;

  private final HikariDataSource dataSource;
  private final EmbeddedDatabase embedded;
  private final String description;
  private final int webPoolSize;
  private final int webStatementTimeoutMs;
  private final boolean transactionPooler;
  private HikariDataSource web;
  private DataSource webTimed;

  private Database(
      HikariDataSource dataSource,
      EmbeddedDatabase embedded,
      String description,
      TributaryConfig config) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.description = description;
    this.webPoolSize = config.limits().webDbPoolSize();
    this.webStatementTimeoutMs = config.limits().webStatementTimeoutMs();
    this.transactionPooler = config.core().pooler().transactionMode();
  }

  public static Database open(TributaryConfig config) {
    return open(config, true);
  }

  /**
   * {@code stopWithJvm} false leaves stopping an embedded server to {@link #close()}: a
   * long-running process (serve) closes it from its own shutdown hook, after the engine has given
   * its jobs back, instead of racing the server's own hook.
   */
  public static Database open(TributaryConfig config, boolean stopWithJvm) {
    int poolSize = config.core().dbPoolSize();
    if (config.databaseUrl().isPresent()) {
      DatabaseUrl url = DatabaseUrl.parse(config.databaseUrl().get());
      HikariDataSource ds =
          connect(
              url.jdbcUrl(),
              url.user(),
              url.password(),
              poolSize,
              url.redacted(),
              config.core().pooler().transactionMode());
      return new Database(ds, null, url.redacted(), config);
    }
    EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir(), stopWithJvm);
    try {
      HikariDataSource ds =
          connect(embedded.jdbcUrl(), "postgres", null, poolSize, "embedded PostgreSQL", false);
      return new Database(
          ds,
          embedded,
          "embedded PostgreSQL in " + config.dataDir().toAbsolutePath().normalize(),
          config);
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  private static HikariDataSource connect(
      String jdbcUrl,
      String user,
      String password,
      int poolSize,
      String shown,
      boolean transactionPooler) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    if (user != null) {
      hc.setUsername(user);
    }
    if (password != null) {
      hc.setPassword(password);
    }
    hc.setMaximumPoolSize(poolSize);
    hc.setMinimumIdle(Math.min(2, poolSize));
    hc.setPoolName("tributary");
    hc.setConnectionTimeout(10_000);
    hc.setInitializationFailTimeout(10_000);
    hc.addDataSourceProperty("ApplicationName", "tributary");
    if (transactionPooler) {
      // the driver names a statement it runs often (S_1, S_2…) on the server session it ran on;
      // behind a transaction pooler the next execution may reach a session without it ("prepared
      // statement S_1 does not exist") or one holding another's ("already exists"). Unnamed
      // statements live only as long as their own execution.
      hc.addDataSourceProperty("prepareThreshold", "0");
    }
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
      throw new StartupException(
          "cannot connect to the database at " + shown + ": " + EmbeddedDatabase.rootMessage(e), e);
    }
    try (Connection c = ds.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      if (meta.getDatabaseMajorVersion() < MIN_SERVER_MAJOR) {
        ds.close();
        throw new StartupException(
            "the database at "
                + shown
                + " runs PostgreSQL "
                + meta.getDatabaseProductVersion()
                + "; Tributary needs PostgreSQL "
                + MIN_SERVER_MAJOR
                + " or newer");
      }
      log.info("connected to PostgreSQL {} at {}", meta.getDatabaseProductVersion(), shown);
    } catch (SQLException e) {
      ds.close();
      throw new StartupException(
          "cannot connect to the database at " + shown + ": " + e.getMessage(), e);
    }
    return ds;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The pool of request-driven queries, opened on first use: its own connections ({@code
   * TRIBUTARY_WEB_DB_POOL_SIZE}), so a flood of requests waits on it and never on the pool the
   * engine claims jobs from, and {@code statement_timeout} set on each connection ({@code
   * TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS}), so no request holds a connection for long. Behind a
   * transaction pooler the timeout is the driver's, per statement, instead: a session {@code SET}
   * would stay behind on a server session others share.
   */
  public synchronized DataSource webDataSource() {
    if (web == null) {
      HikariConfig hc = new HikariConfig();
      dataSource.copyStateTo(hc);
      hc.setPoolName("tributary-web");
      hc.setMaximumPoolSize(webPoolSize);
      hc.setMinimumIdle(Math.min(1, webPoolSize));
      if (transactionPooler) {
        web = new HikariDataSource(hc);
        webTimed = new QueryTimeoutDataSource(web, webStatementTimeoutMs);
      } else {
        hc.setConnectionInitSql("SET statement_timeout = " + webStatementTimeoutMs);
        web = new HikariDataSource(hc);
        webTimed = web;
      }
    }
    return webTimed;
  }

  public String description() {
    return description;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Applies every pending migration (engine, then the seed schema and pipelines). */
  public Migrations.Result migrate() {
    return Migrations.apply(dataSource);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (web != null) {
        web.close();
      }
    }
    dataSource.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
