package dev.tributary.engine.testing;

import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Engines on a {@link PostgresExtension}'s database for one test: each {@link #start} builds one
 * with {@link TestEngines}' short intervals and this test's {@link SettableClock}, starts it, and
 * every engine started is closed after the test.
 *
 * <pre>{@code
 * @RegisterExtension static PostgresExtension db = PostgresExtension.migrated(EngineSchema.MIGRATIONS);
 * @RegisterExtension EngineExtension engines = EngineExtension.on(db);
 *
 * @Test
 * void a_test() {
 *   engines.start(b -> b.handler("work", ctx -> {}));
 *   long id = engines.jobs().enqueue("work", Map.of()).jobId();
 *   engines.clock().advance(Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class EngineExtension implements BeforeEachCallback, AfterEachCallback {
  private final PostgresExtension db;
  private final List<Engine> started = new ArrayList<>();
  private SettableClock clock;

  private EngineExtension(PostgresExtension db) {
    this.db = db;
  }

  public static EngineExtension on(PostgresExtension db) {
    return new EngineExtension(db);
  }

  /** This test's clock, shared by every engine it starts; starts at the real time. */
  public SettableClock clock() {
    return clock;
  }

  /** Jobs on the test's database, on this test's clock. */
  public Jobs jobs() {
    return new Jobs(db.dataSource(), clock, null);
  }

  /** Builds and starts an engine named {@code n1}. */
  public Engine start(UnaryOperator<EngineBuilder> configure) {
    return start(db.dataSource(), "n1", configure);
  }

  /** Builds and starts an engine named {@code nodeId} (a second node: another name, pool). */
  public Engine start(
      DataSource dataSource, String nodeId, UnaryOperator<EngineBuilder> configure) {
    Engine engine = configure.apply(TestEngines.builder(dataSource, clock, nodeId)).build();
    started.add(engine);
    return engine.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    clock = SettableClock.startingNow();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }
}
