package dev.tributary.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRateLimiterTest {
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(Migrations.LOCATIONS);

  /** Two nodes: each its own pool on one database. */
  private HikariDataSource nodeA;

  private HikariDataSource nodeB;

  @BeforeEach
  void setUp() {
    nodeA = postgres.dataSource();
    nodeB = postgres.anotherPool(4);
  }

  @Test
  void
      permits_run_out_at_the_limit_and_the_answer_says_how_long_until_the_oldest_leaves_the_window() {
    RateLimit limit = new RateLimit(3, Duration.ofSeconds(30));
    PostgresRateLimiter a = new PostgresRateLimiter(nodeA, "rapidapi:test", limit);
    PostgresRateLimiter b = new PostgresRateLimiter(nodeB, "rapidapi:test", limit);
    assertThat(a.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isZero();
    assertThat(a.tryAcquire()).isZero();
    Duration wait = b.tryAcquire();
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(a.tryAcquire()).as("a refusal takes nothing").isPositive();
    assertThat(new PostgresRateLimiter(nodeA, "another-plan", limit).tryAcquire())
        .as("limits are per name")
        .isZero();
  }

  @Test
  void a_sleeping_caller_asks_again_after_the_wait_it_was_given() throws Exception {
    RateLimit limit = new RateLimit(1, Duration.ofMillis(300));
    List<Duration> slept = new CopyOnWriteArrayList<>();
    PostgresRateLimiter limiter =
        new PostgresRateLimiter(
            nodeA,
            "rapidapi:sleepy",
            limit,
            d -> {
              slept.add(d);
              Thread.sleep(d.toMillis() + 1);
            });
    limiter.acquire();
    limiter.acquire();
    assertThat(slept)
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(300)));
  }

  @Test
  void two_clients_on_two_pools_together_never_exceed_the_limit_at_the_provider() throws Exception {
    SyntheticLinkedIn world = new SyntheticLinkedIn(11, 6, 3, 0);
    RateLimit limit = new RateLimit(4, Duration.ofSeconds(1));
    try (LinkedInSandbox sandbox = LinkedInSandbox.start(world, "sandbox-key")) {
      LinkedInClientConfig config =
          LinkedInClientConfig.builder()
              .apiKey("sandbox-key")
              .baseUrl(sandbox.baseUrl())
              .rateLimit(limit)
              .build();
      List<CompletableFuture<Integer>> clients = new ArrayList<>();
      for (HikariDataSource pool : List.of(nodeA, nodeB)) {
        clients.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try (RapidApiLinkedInClient client =
                      new RapidApiLinkedInClient(
                          config,
                          new PostgresRateLimiter(pool, "rapidapi:" + config.host(), limit))) {
                    int calls = 0;
                    for (SyntheticLinkedIn.Profile p : world.profiles()) {
                      client.fetchPosts(p.publicId());
                      calls++;
                    }
                    return calls;
                  }
                }));
      }
      int calls = 0;
      for (CompletableFuture<Integer> c : clients) {
        calls += c.get();
      }
      List<Instant> arrivals = new ArrayList<>(sandbox.arrivals());
      Collections.sort(arrivals);
      assertThat(calls).isGreaterThanOrEqualTo(12);
      assertThat(arrivals).hasSize(calls);
      // at most 4 starts in any second; the slack covers the time between a permit and the
      // request's
      // arrival (a busy machine can delay a thread), and is far below what an unlimited client or a
      // fixed-window counter (8 calls across a window boundary) would show
      Duration window = limit.interval().minusMillis(250);
      for (Instant start : arrivals) {
        Instant end = start.plus(window);
        long inWindow =
            arrivals.stream().filter(t -> !t.isBefore(start) && t.isBefore(end)).count();
        assertThat(inWindow)
            .as("requests within %s from %s", window, start)
            .isLessThanOrEqualTo(limit.permits());
      }
    }
  }
}
