package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.TestPostgres;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The builder refuses configurations that cannot work, before anything runs. */
class EngineBuilderTest {
  static HikariDataSource db;

  @BeforeAll
  static void setUp() {
    db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void a_heartbeat_slower_than_half_the_lease_is_refused() {
    assertThatThrownBy(
            () ->
                Engine.builder(db)
                    .leaseDuration(Duration.ofSeconds(10))
                    .heartbeatInterval(Duration.ofSeconds(6))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat interval");
  }

  @Test
  void a_kind_registered_twice_is_refused() {
    assertThatThrownBy(
            () -> Engine.builder(db).handler("k", ctx -> {}).handler("k", ctx -> {}).build())
        .hasMessageContaining("'k' is registered twice");
  }

  @Test
  void a_queue_configured_twice_or_without_workers_is_refused() {
    assertThatThrownBy(() -> Engine.builder(db).queue("q", 2).queue("q", 3).build())
        .hasMessageContaining("configured twice");
    assertThatThrownBy(() -> QueueConfig.of("q", 0)).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> QueueConfig.of("q", 4, 2)).hasMessageContaining("prefetch");
  }

  @Test
  void zero_or_negative_intervals_are_refused() {
    assertThatThrownBy(() -> Engine.builder(db).pollInterval(Duration.ZERO).build())
        .hasMessageContaining("poll interval");
    assertThatThrownBy(
            () -> Engine.builder(db).retention(Duration.ofDays(-1), Duration.ofDays(1)).build())
        .hasMessageContaining("retention");
    assertThatThrownBy(() -> Engine.builder(db).handler("k", ctx -> {}, Duration.ZERO).build())
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> Engine.builder(db).nodeId(" ").build())
        .hasMessageContaining("node id");
  }

  @Test
  void a_valid_configuration_builds_with_the_documented_defaults() {
    Engine e = Engine.builder(db).handler("k", ctx -> {}).build();
    assertThat(e.nodeId()).isNotBlank();
    assertThat(EngineBuilder.DEFAULT_POLL_INTERVAL).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void backoff_doubles_per_attempt_up_to_the_cap_with_bounded_jitter() {
    RetryPolicy p = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 0.25);
    SplittableRandom r = new SplittableRandom(1);
    for (int attempt = 1; attempt <= 30; attempt++) {
      long expected = Math.min(60_000, 1000L << Math.min(attempt - 1, 20));
      long actual = p.delay(attempt, r).toMillis();
      assertThat(actual).isBetween(expected, (long) (expected * 1.25));
    }
    assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2))
        .hasMessageContaining("jitter");
  }
}
