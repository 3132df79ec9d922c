package dev.tributary.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.StartupException;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void postgres_url_becomes_a_jdbc_url_with_separate_credentials() {
    DatabaseUrl url =
        DatabaseUrl.parse("postgres://app:s3cr%40t@db.example.com:6543/tributary?sslmode=require");
    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example.com:6543/tributary?sslmode=require");
    assertThat(url.user()).isEqualTo("app");
    assertThat(url.password()).isEqualTo("s3cr@t");
  }

  @Test
  void port_defaults_to_5432_and_postgresql_scheme_is_accepted() {
    assertThat(DatabaseUrl.parse("postgresql://u@localhost/db").jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost:5432/db");
  }

  @Test
  void jdbc_urls_pass_through() {
    assertThat(DatabaseUrl.parse("jdbc:postgresql://h:5432/d?user=u").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h:5432/d?user=u");
  }

  @Test
  void the_printable_form_never_contains_the_password() {
    assertThat(DatabaseUrl.parse("postgres://app:hunter2@h:5432/d").toString())
        .doesNotContain("hunter2")
        .contains("***");
    assertThat(DatabaseUrl.parse("jdbc:postgresql://h/d?user=u&password=hunter2").toString())
        .doesNotContain("hunter2");
  }

  @Test
  void malformed_urls_are_rejected_with_a_message_naming_the_expected_form() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@h/d"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("postgres://user:password@host:5432/database");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:p@/d"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("host");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:p@h:5432"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("database");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:p@h:5432/d d"))
        .isInstanceOf(StartupException.class);
  }
}
