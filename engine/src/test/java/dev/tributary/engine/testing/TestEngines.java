package dev.tributary.engine.testing;

import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** Engine builders with intervals short enough for tests (milliseconds, not seconds). */
public final class TestEngines {
  private TestEngines() {}

  public static EngineBuilder builder(DataSource db, Clock clock, String nodeId) {
    return Engine.builder(db)
        .nodeId(nodeId)
        .clock(clock)
        .pollInterval(Duration.ofMillis(50))
        .leaseDuration(Duration.ofSeconds(30))
        .heartbeatInterval(Duration.ofMillis(100))
        .maintenanceInterval(Duration.ofMillis(50))
        .pruneInterval(Duration.ofMillis(50))
        .cronInterval(Duration.ofMillis(50))
        .shutdownDeadline(Duration.ofSeconds(5))
        .retryPolicy(new RetryPolicy(Duration.ofSeconds(10), Duration.ofHours(1), 0));
  }
}
