package dev.tributary.db;

import dev.tributary.config.StartupException;
import dev.tributary.engine.EngineSchema;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The one list of Flyway locations, one history. Versions are unique across them: the engine owns
 * V001–V019, the seed schema V020–V039, pipelines and search V040–V059 (V005, the seed's worker
 * flags and logs, moved from the engine to db/app unchanged). Flyway applies only versions above
 * the newest one a database has, so every new migration, the engine's included, takes the next free
 * number (engine V060: kind switches; app V061: worker flags drive them).
 */
public final class Migrations {
  public static final String APP = "classpath:db/app";
  public static final String[] LOCATIONS = {EngineSchema.MIGRATIONS, APP};

  private Migrations() {}

  public record Result(int applied, String version) {}

  public static Result apply(DataSource dataSource) {
    try {
      MigrateResult result = flyway(dataSource).migrate();
      return new Result(result.migrationsExecuted, currentVersion(dataSource));
    } catch (FlywayException e) {
      throw new StartupException("migration failed: " + firstLine(e.getMessage()), e);
    }
  }

  public static String currentVersion(DataSource dataSource) {
    var current = flyway(dataSource).info().current();
    return current == null ? "none" : current.getVersion().getVersion();
  }

  static Flyway flyway(DataSource dataSource) {
    return Flyway.configure().dataSource(dataSource).locations(LOCATIONS).load();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    String trimmed = message.strip();
    // Flyway's messages run over many lines; the SQL state and the statement's error are what
    // matter
    return trimmed.replaceAll("\\s*\\n\\s*", " | ");
  }
}
