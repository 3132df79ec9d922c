package dev.tributary.engine;

/** Where the engine's Flyway migrations live; applications add this location to their own. */
public final class EngineSchema {
  public static final String MIGRATIONS = "classpath:db/engine";

  private EngineSchema() {}
}
