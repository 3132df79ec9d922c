package dev.tributary.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request-driven queries run on their own pool with a statement timeout; the engine's pool has
 * neither the timeout nor the requests' load.
 */
class RequestPoolTest {
  private final HikariDataSource test = TestPostgres.freshDatabase(Migrations.LOCATIONS);

  @AfterEach
  void close() {
    test.close();
  }

  private Database open(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put("DATABASE_URL", test.getJdbcUrl());
    return Database.open(TributaryConfig.from(env));
  }

  private static String show(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void request_queries_have_a_statement_timeout_and_the_engine_pool_has_none() throws Exception {
    try (Database db = open(Map.of("TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS", "250"))) {
      assertThat(show(db.webDataSource())).isEqualTo("250ms");
      assertThat(show(db.dataSource())).isEqualTo("0");
      try (Connection c = db.webDataSource().getConnection();
          Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute("SELECT pg_sleep(5)"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("statement timeout");
      }
    }
  }

  @Test
  void a_request_pool_held_to_its_last_connection_leaves_the_engine_pool_free() throws Exception {
    try (Database db =
        open(
            Map.of(
                "TRIBUTARY_WEB_DB_POOL_SIZE", "2",
                "TRIBUTARY_DB_POOL_SIZE", "2"))) {
      List<Connection> held = new ArrayList<>();
      try {
        held.add(db.webDataSource().getConnection());
        held.add(db.webDataSource().getConnection());
        try (Connection engine = db.dataSource().getConnection();
            Statement s = engine.createStatement();
            ResultSet rs = s.executeQuery("SELECT 1")) {
          assertThat(rs.next()).isTrue();
        }
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }
    }
  }
}
