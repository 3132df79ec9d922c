package dev.tributary.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.StartupException;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  @Test
  void a_failed_migration_is_one_clear_error_naming_the_problem() throws Exception {
    try (HikariDataSource ds = TestPostgres.freshDatabase()) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        // an object in the way of the first migration, as a foreign or half-restored database would
        // have
        s.execute("CREATE SCHEMA tributary");
        s.execute("CREATE TABLE tributary.jobs (legacy_id integer)");
      }
      assertThatThrownBy(() -> Migrations.apply(ds))
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith("migration failed:")
          .hasMessageContaining("jobs")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void a_foreign_database_is_refused_rather_than_migrated_over() throws Exception {
    try (HikariDataSource ds = TestPostgres.freshDatabase()) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE profiles (legacy_id integer)");
      }
      assertThatThrownBy(() -> Migrations.apply(ds))
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith("migration failed:")
          .hasMessageContaining("non-empty schema");
    }
  }

  @Test
  void an_empty_database_is_migrated_to_the_latest_version_and_a_second_run_applies_nothing() {
    try (HikariDataSource ds = TestPostgres.freshDatabase()) {
      Migrations.Result first = Migrations.apply(ds);
      assertThat(first.applied()).isGreaterThan(10);
      Migrations.Result second = Migrations.apply(ds);
      assertThat(second.applied()).isZero();
      assertThat(second.version()).isEqualTo(first.version());
    }
  }
}
