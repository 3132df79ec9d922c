package dev.tributary.engine.chaos;

import dev.tributary.engine.EngineSchema;
import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import java.time.Instant;
import java.util.List;

/**
 * What an application adds to the chaos cluster beside the engine's own jobs: its schema, its node
 * JVM (which must run the {@link ChaosNodeMain} handlers too), a load of its own during the faults,
 * and what the faults cost that load. The engine alone is {@link #ENGINE_ONLY}; the app's cascade
 * and search load live with the app's tests, since the engine knows nothing of the app.
 */
public interface ChaosWorkload extends AutoCloseable {
  ChaosWorkload ENGINE_ONLY = new ChaosWorkload() {};

  /** Flyway locations of the schema the nodes need. */
  default String[] migrations() {
    return new String[] {EngineSchema.MIGRATIONS};
  }

  /**
   * The node JVM's main class: takes {@link ChaosNodeMain.Args}, prints {@code READY <node> …} once
   * it works (the rest of that line is {@link ChaosRun#readyLine}), obeys {@code HOG}.
   */
  default String nodeMain() {
    return ChaosNodeMain.class.getName();
  }

  /** After the schema, before the nodes start: tables, triggers, seed rows. */
  default void prepare(ChaosRun run) {}

  /** After the nodes started: the load's own threads. */
  default void start(ChaosRun run) {}

  /**
   * Once the engine's jobs drained: waits for the load to settle and measures it; then {@link
   * #scenarioColumns} and {@link #summary} are asked.
   */
  default void finish(ChaosRun run, List<Scenario> scenarios) {}

  /** Columns added to a scenario's line for [s.start, to): what that fault cost the load. */
  default String scenarioColumns(Scenario s, Instant to) {
    return "";
  }

  /** Lines printed before the last line. */
  default List<String> summary() {
    return List.of();
  }

  /** Fields appended to the last line ({@code " cascade_lost=0 …"}), empty for none. */
  default String lastLineFields() {
    return "";
  }

  @Override
  default void close() {}
}
