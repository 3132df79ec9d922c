package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigSettingsTest {

  private static void assertRejected(String name, String value, String message) {
    assertThatThrownBy(() -> TributaryConfig.from(Map.of(name, value)))
        .isInstanceOf(StartupException.class)
        .hasMessage(message);
  }

  @Test
  void an_empty_environment_gives_every_default() {
    TributaryConfig c = TributaryConfig.from(Map.of());
    assertThat(c.core().databaseUrl()).isEmpty();
    assertThat(c.core().dataDir()).isEqualTo(Path.of(CoreSettings.DEFAULT_DATA_DIR));
    assertThat(c.core().dbPoolSize()).isEqualTo(CoreSettings.DEFAULT_DB_POOL_SIZE);
    assertThat(c.core().port()).isEqualTo(8080);
    assertThat(c.core().publicUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(c.node().nodeId()).isEmpty();
    assertThat(c.node().workerThreads()).isEqualTo(10);
    assertThat(c.node().cascadeConcurrency()).isEqualTo(2);
    assertThat(c.node().cascadeBatch()).isEqualTo(32);
    assertThat(c.node().profileSyncCron()).isEqualTo("0 3 * * 1");
    assertThat(c.node().styleRefreshCron()).isEqualTo("0 3 1 * *");
    assertThat(c.node().logLevel()).isEmpty();
    assertThat(c.node().debug()).isFalse();
    assertThat(c.security())
        .isEqualTo(
            new SecuritySettings(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    assertThat(c.linkedin())
        .isEqualTo(
            new LinkedInSettings(
                Optional.empty(),
                "fresh-linkedin-profile-data.p.rapidapi.com",
                "https://fresh-linkedin-profile-data.p.rapidapi.com",
                1,
                "60/min"));
    assertThat(c.openai()).isEqualTo(OpenAiSettings.LOCAL);
    assertThat(c.openai().baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(c.openai().embeddingDimensions()).isEqualTo(1536);
  }

  @Test
  void good_values_are_parsed_and_stripped() {
    TributaryConfig c =
        TributaryConfig.from(
            Map.ofEntries(
                Map.entry("DATABASE_URL", "postgres://u:p@db:5432/t"),
                Map.entry("TRIBUTARY_DATA_DIR", "/var/lib/tributary"),
                Map.entry("TRIBUTARY_DB_POOL_SIZE", " 50 "),
                Map.entry("PORT", "0"),
                Map.entry("TRIBUTARY_PUBLIC_URL", "https://tributary.example.com/"),
                Map.entry("TRIBUTARY_NODE_ID", "node-a"),
                Map.entry("TRIBUTARY_WORKER_THREADS", "1000"),
                Map.entry("TRIBUTARY_CASCADE_CONCURRENCY", "4"),
                Map.entry("TRIBUTARY_CASCADE_BATCH", "64"),
                Map.entry("TRIBUTARY_PROFILE_SYNC_CRON", "*/5 * * * *"),
                Map.entry("TRIBUTARY_STYLE_REFRESH_CRON", "0 4 2 * *"),
                Map.entry("TRIBUTARY_LOG_LEVEL", "debug"),
                Map.entry("TRIBUTARY_DEBUG", "1"),
                Map.entry("TRIBUTARY_SYNC_ANSWER_WAIT", "5s"),
                Map.entry("SERVICE_ROLE_KEY", "srk"),
                Map.entry("SCHEDULER_SECRET", "sched"),
                Map.entry("JWT_SECRET", "jwt"),
                Map.entry("ANON_KEY", "anon"),
                Map.entry("METRICS_TOKEN", "metrics"),
                Map.entry("QSTASH_CURRENT_SIGNING_KEY", "q1"),
                Map.entry("QSTASH_NEXT_SIGNING_KEY", "q2"),
                Map.entry("RAPIDAPI_KEY", "rk"),
                Map.entry("RAPIDAPI_HOST", "other.p.rapidapi.com"),
                Map.entry("LINKEDIN_API_BASE_URL", "http://localhost:9/"),
                Map.entry("LINKEDIN_MAX_PAGES", "20"),
                Map.entry("RAPIDAPI_RATE_LIMIT", "off"),
                Map.entry("OPENAI_API_KEY", "sk-1"),
                Map.entry("OPENAI_BASE_URL", "http://localhost:8/v1"),
                Map.entry("OPENAI_EMBEDDING_MODEL", "text-embedding-3-large"),
                Map.entry("OPENAI_EMBEDDING_DIMENSIONS", "3072"),
                Map.entry("OPENAI_CHAT_MODEL", "gpt-4.1-mini")));
    assertThat(c.databaseUrl()).contains("postgres://u:p@db:5432/t");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/tributary"));
    assertThat(c.core().dbPoolSize()).isEqualTo(50);
    assertThat(c.port()).isZero();
    assertThat(c.publicUrl()).isEqualTo(URI.create("https://tributary.example.com"));
    assertThat(c.node())
        .isEqualTo(
            new NodeSettings(
                Optional.of("node-a"),
                1000,
                4,
                64,
                "*/5 * * * *",
                "0 4 2 * *",
                Optional.of("DEBUG"),
                true,
                Duration.ofSeconds(5)));
    assertThat(c.security())
        .isEqualTo(
            new SecuritySettings(
                Optional.of("srk"),
                Optional.of("sched"),
                Optional.of("jwt"),
                Optional.of("anon"),
                Optional.of("metrics"),
                Optional.of("q1"),
                Optional.of("q2")));
    assertThat(c.serviceRoleKey()).contains("srk");
    assertThat(c.schedulerSecret()).contains("sched");
    assertThat(c.jwtSecret()).contains("jwt");
    assertThat(c.linkedin())
        .isEqualTo(
            new LinkedInSettings(
                Optional.of("rk"), "other.p.rapidapi.com", "http://localhost:9", 20, "off"));
    assertThat(c.openai())
        .isEqualTo(
            new OpenAiSettings(
                Optional.of("sk-1"),
                "http://localhost:8/v1",
                "text-embedding-3-large",
                3072,
                "gpt-4.1-mini"));
  }

  @Test
  void blank_is_unset() {
    TributaryConfig c =
        TributaryConfig.from(
            Map.of(
                "PORT", " ",
                "SERVICE_ROLE_KEY", "",
                "TRIBUTARY_WORKER_THREADS", "\t",
                "TRIBUTARY_LOG_LEVEL", "",
                "TRIBUTARY_DEBUG", " "));
    assertThat(c.port()).isEqualTo(CoreSettings.DEFAULT_PORT);
    assertThat(c.serviceRoleKey()).isEmpty();
    assertThat(c.node().workerThreads()).isEqualTo(NodeSettings.DEFAULT_WORKER_THREADS);
    assertThat(c.node().logLevel()).isEmpty();
    assertThat(c.node().debug()).isFalse();
  }

  @Test
  void a_value_that_is_not_an_integer_names_the_variable_and_the_range() {
    assertRejected(
        "TRIBUTARY_WORKER_THREADS",
        "x",
        "TRIBUTARY_WORKER_THREADS must be an integer between 1 and 1000, got 'x'");
    assertRejected("PORT", "eighty", "PORT must be an integer between 0 and 65535, got 'eighty'");
    assertRejected(
        "TRIBUTARY_DB_POOL_SIZE",
        "2.5",
        "TRIBUTARY_DB_POOL_SIZE must be an integer between 1 and 1000, got '2.5'");
    assertRejected(
        "OPENAI_EMBEDDING_DIMENSIONS",
        "99999999999",
        "OPENAI_EMBEDDING_DIMENSIONS must be an integer between 1 and 3072, got '99999999999'");
  }

  @Test
  void an_integer_out_of_range_names_the_variable_and_the_range() {
    assertRejected(
        "TRIBUTARY_WORKER_THREADS",
        "0",
        "TRIBUTARY_WORKER_THREADS must be an integer between 1 and 1000, got '0'");
    assertRejected("PORT", "65536", "PORT must be an integer between 0 and 65535, got '65536'");
    assertRejected(
        "TRIBUTARY_CASCADE_CONCURRENCY",
        "-1",
        "TRIBUTARY_CASCADE_CONCURRENCY must be an integer between 1 and 100, got '-1'");
    assertRejected(
        "TRIBUTARY_CASCADE_BATCH",
        "0",
        "TRIBUTARY_CASCADE_BATCH must be an integer between 1 and 10000, got '0'");
    assertRejected(
        "LINKEDIN_MAX_PAGES",
        "99",
        "LINKEDIN_MAX_PAGES must be an integer between 1 and 20, got '99'");
  }

  @Test
  void the_sync_answer_wait_reads_milliseconds_seconds_and_minutes_and_refuses_the_rest() {
    assertThat(TributaryConfig.from(Map.of()).node().syncAnswerWait())
        .isEqualTo(NodeSettings.DEFAULT_SYNC_ANSWER_WAIT);
    assertThat(wait("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(wait("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(wait("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(wait("0")).isZero();
    String form =
        "TRIBUTARY_SYNC_ANSWER_WAIT must be a duration like 500ms, 30s or 2m, at most 600s";
    assertRejected("TRIBUTARY_SYNC_ANSWER_WAIT", "soon", form + ", got 'soon'");
    assertRejected("TRIBUTARY_SYNC_ANSWER_WAIT", "-1s", form + ", got '-1s'");
    assertRejected("TRIBUTARY_SYNC_ANSWER_WAIT", "11m", form + ", got '11m'");
  }

  private static Duration wait(String value) {
    return TributaryConfig.from(Map.of("TRIBUTARY_SYNC_ANSWER_WAIT", value))
        .node()
        .syncAnswerWait();
  }

  @Test
  void a_bad_url_names_the_variable_and_the_accepted_form() {
    assertRejected(
        "TRIBUTARY_PUBLIC_URL",
        "localhost:8080",
        "TRIBUTARY_PUBLIC_URL must be an http:// or https:// URL like https://example.com/path,"
            + " got 'localhost:8080'");
    assertRejected(
        "LINKEDIN_API_BASE_URL",
        "nope",
        "LINKEDIN_API_BASE_URL must be an http:// or https:// URL like https://example.com/path,"
            + " got 'nope'");
    assertRejected(
        "OPENAI_BASE_URL",
        "ftp://api.openai.com",
        "OPENAI_BASE_URL must be an http:// or https:// URL like https://example.com/path,"
            + " got 'ftp://api.openai.com'");
  }

  @Test
  void a_bad_cron_level_host_or_name_names_the_variable_and_the_accepted_form() {
    assertRejected(
        "TRIBUTARY_PROFILE_SYNC_CRON",
        "every monday",
        "TRIBUTARY_PROFILE_SYNC_CRON must be a five-field cron expression like 0 3 * * 1,"
            + " got 'every monday'");
    assertRejected(
        "TRIBUTARY_STYLE_REFRESH_CRON",
        "0 3 1 * * *",
        "TRIBUTARY_STYLE_REFRESH_CRON must be a five-field cron expression like 0 3 1 * *,"
            + " got '0 3 1 * * *'");
    assertRejected(
        "TRIBUTARY_LOG_LEVEL",
        "loud",
        "TRIBUTARY_LOG_LEVEL must be one of DEBUG, ERROR, INFO, OFF, TRACE, WARN, got 'loud'");
    assertRejected(
        "RAPIDAPI_HOST",
        "https://x.p.rapidapi.com/",
        "RAPIDAPI_HOST must be a host name like fresh-linkedin-profile-data.p.rapidapi.com,"
            + " got 'https://x.p.rapidapi.com/'");
    assertRejected(
        "TRIBUTARY_NODE_ID",
        "node a",
        "TRIBUTARY_NODE_ID must be at most 100 characters without spaces or control characters,"
            + " got 'node a'");
    assertRejected(
        "OPENAI_CHAT_MODEL",
        "x".repeat(201),
        "OPENAI_CHAT_MODEL must be at most 200 characters without spaces or control characters,"
            + " got '"
            + "x".repeat(201)
            + "'");
  }

  @Test
  void secrets_never_appear_in_to_string() {
    TributaryConfig c =
        TributaryConfig.from(
            Map.of(
                "DATABASE_URL", "postgres://u:dbpass-1@db/t",
                "SERVICE_ROLE_KEY", "secret-srk",
                "SCHEDULER_SECRET", "secret-sched",
                "JWT_SECRET", "secret-jwt",
                "ANON_KEY", "secret-anon",
                "METRICS_TOKEN", "secret-metrics",
                "QSTASH_CURRENT_SIGNING_KEY", "secret-q1",
                "QSTASH_NEXT_SIGNING_KEY", "secret-q2",
                "RAPIDAPI_KEY", "secret-rapid",
                "OPENAI_API_KEY", "secret-openai"));
    assertThat(c.toString()).doesNotContain("secret").doesNotContain("dbpass");
    assertThat(c.toString())
        .isEqualTo(TributaryConfig.from(Map.of("DATABASE_URL", "postgres://x@y/z")).toString());
  }

  @Test
  void a_port_given_on_the_command_line_moves_the_default_public_url() {
    TributaryConfig c = TributaryConfig.from(Map.of()).withPort(9090);
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.publicUrl()).isEqualTo(URI.create("http://localhost:9090"));
    assertThat(
            TributaryConfig.from(Map.of("TRIBUTARY_PUBLIC_URL", "https://t.example"))
                .withPort(9090)
                .publicUrl())
        .isEqualTo(URI.create("https://t.example"));
  }

  @Test
  void a_feature_without_its_key_names_the_variable() {
    assertThat(LinkedInSettings.RAPIDAPI_KEY.missing("The LinkedIn posts connector"))
        .hasMessage(
            "The LinkedIn posts connector needs the environment variable RAPIDAPI_KEY to be set");
  }
}
