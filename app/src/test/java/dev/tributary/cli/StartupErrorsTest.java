package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad start-up conditions end with one clear line and a non-zero exit, never a stack trace. */
class StartupErrorsTest {
  @TempDir Path dataDir;

  private static void assertOneClearLine(CliProcess.Result r, String expected) {
    assertThat(r.exitCode()).isEqualTo(2);
    String[] lines = r.stderr().strip().split("\n");
    assertThat(lines[lines.length - 1]).startsWith("tributary: ").contains(expected);
    assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void malformed_database_url_names_the_expected_form() throws Exception {
    var r = CliProcess.run(Map.of("DATABASE_URL", "mysql://root:pw@localhost/db"), "migrate");
    assertOneClearLine(r, "DATABASE_URL must look like postgres://");
  }

  @Test
  void unreachable_database_says_so_without_the_password() throws Exception {
    var r =
        CliProcess.run(
            Map.of("DATABASE_URL", "postgres://app:hunter2@127.0.0.1:1/tributary"), "status");
    assertOneClearLine(
        r, "cannot connect to the database at postgres://app:***@127.0.0.1:1/tributary");
    assertThat(r.stderr()).doesNotContain("hunter2");
  }

  @Test
  void a_second_process_on_the_same_data_dir_stops_with_a_clear_message() throws Exception {
    TributaryConfig config = TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString()));
    try (Database first = Database.open(config)) {
      assertThat(first.isEmbedded()).isTrue();
      var r = CliProcess.run(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString()), "status");
      assertOneClearLine(r, "is in use by another Tributary process");
    }
  }

  @Test
  void invalid_port_is_rejected() throws Exception {
    var r =
        CliProcess.run(Map.of("PORT", "eighty", "TRIBUTARY_DATA_DIR", dataDir.toString()), "serve");
    assertOneClearLine(r, "PORT must be an integer between 0 and 65535, got 'eighty'");
  }
}
