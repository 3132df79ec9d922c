package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The one cluster-wide lock of every model switch (documents and column tables alike): a session
 * advisory lock, so one node re-embeds at a time and the lock goes with its connection if the node
 * dies. Switches are resumable, so the next holder carries on where the last one stopped.
 */
final class SwitchLock {
  static final String KEY = "tributary-model-switch";

  private SwitchLock() {}

  /** Runs {@code work} holding the lock; empty when another session holds it. */
  static <T> Optional<T> whileHeld(DataSource dataSource, Supplier<T> work) {
    Params key = Params.of("key", KEY);
    return new Jdbc(dataSource)
        .withConnection(
            "coordinate the model switch",
            lock -> {
              boolean held =
                  lock.queryOne(
                          "SELECT pg_try_advisory_lock(hashtext(:key))",
                          key,
                          rs -> rs.getBoolean(1))
                      .orElse(false);
              if (!held) {
                return Optional.empty();
              }
              try {
                return Optional.of(work.get());
              } finally {
                lock.execute("SELECT pg_advisory_unlock(hashtext(:key))", key);
              }
            });
  }
}
