package dev.tributary.pipelines.vectorsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    try (Connection lock = dataSource.getConnection()) {
      try (PreparedStatement ps =
          lock.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
        ps.setString(1, KEY);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return Optional.empty();
          }
        }
      }
      try {
        return Optional.of(work.get());
      } finally {
        try (PreparedStatement ps =
            lock.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
          ps.setString(1, KEY);
          ps.execute();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not coordinate the model switch: " + e.getMessage(), e);
    }
  }
}
