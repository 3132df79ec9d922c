package dev.tributary.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.TributaryConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
  @TempDir Path dataDir;

  @Test
  void data_survives_a_restart_and_the_server_stops_cleanly() throws Exception {
    TributaryConfig config = TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString()));
    try (Database db = Database.open(config);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text)");
      s.execute("INSERT INTO kept VALUES ('still here')");
    }
    assertThat(dataDir.resolve("pgdata/postmaster.pid")).doesNotExist();
    try (Database db = Database.open(config);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("still here");
    }
  }

  @Test
  void the_embedded_server_runs_with_the_durable_settings() throws Exception {
    TributaryConfig config = TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString()));
    try (Database db = Database.open(config);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
    }
  }

  @Test
  void migrations_apply_once_and_report_the_version() {
    TributaryConfig config = TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString()));
    try (Database db = Database.open(config)) {
      db.migrate();
      Migrations.Result again = db.migrate();
      assertThat(again.applied()).isZero();
      assertThat(Migrations.currentVersion(db.dataSource())).isEqualTo(again.version());
    }
  }
}
