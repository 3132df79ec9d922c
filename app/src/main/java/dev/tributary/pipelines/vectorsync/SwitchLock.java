package dev.tributary.pipelines.vectorsync;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The one cluster-wide lock of every model switch (documents and column tables alike): a
 * transaction advisory lock held by a transaction that stays open while the switch works on other
 * connections, so one node re-embeds at a time and the lock goes with its connection if the node
 * dies. Not a session lock: behind a pooler in transaction mode the unlock could reach another
 * server session than the lock and leave the lock held for good. The open transaction has written
 * nothing and holds no snapshot between its statements, so it keeps no rows from vacuum. Switches
 * are resumable, so the next holder carries on where the last one stopped.
 */
final class SwitchLock {
  static final String KEY = "tributary-model-switch";

  private SwitchLock() {}

  /** Runs {@code work} holding the lock; empty when another session holds it. */
  static <T> Optional<T> whileHeld(DataSource dataSource, Supplier<T> work) {
    Params key = Params.of("key", KEY);
    return new Jdbc(dataSource)
        .inTransaction(
            "coordinate the model switch",
            lock -> {
              boolean held =
                  lock.queryOne(
                          "SELECT pg_try_advisory_xact_lock(hashtext(:key))",
                          key,
                          rs -> rs.getBoolean(1))
                      .orElse(false);
              // the lock goes when this transaction ends, whether the work returns or throws
              return held ? Optional.of(work.get()) : Optional.<T>empty();
            });
  }
}
