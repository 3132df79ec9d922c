package dev.tributary.engine;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Job kinds switched off cluster-wide ({@code tributary.disabled_kinds}). While a kind is disabled
 * no node claims its jobs: they wait, they are not lost. Every node sees a change at its next
 * claim; enabling a kind also wakes every node's queues.
 */
public final class Kinds {
  private final Jdbc jdbc;

  public Kinds(DataSource dataSource) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Stops every node from claiming jobs of {@code kind}; returns whether it was enabled. */
  public boolean disable(String kind) {
    return set(kind, false);
  }

  /** Lets nodes claim jobs of {@code kind} again; returns whether it was disabled. */
  public boolean enable(String kind) {
    return set(kind, true);
  }

  public boolean isEnabled(String kind) {
    return jdbc.queryOne(
            "SELECT 1 FROM tributary.disabled_kinds WHERE kind = :kind",
            Params.of("kind", kind),
            rs -> rs.getInt(1))
        .isEmpty();
  }

  /** The disabled kinds, by name. */
  public List<String> disabled() {
    return jdbc.query(
        "SELECT kind FROM tributary.disabled_kinds ORDER BY kind",
        Params.NONE,
        rs -> rs.getString(1));
  }

  private boolean set(String kind, boolean enabled) {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("a job kind must not be blank");
    }
    return jdbc.withConnection(
        (enabled ? "enable" : "disable") + " job kind " + kind,
        h ->
            h.queryOne(
                    "SELECT tributary.set_kind_enabled(:kind, :enabled)",
                    Params.of("kind", kind, "enabled", enabled),
                    rs -> rs.getBoolean(1))
                .orElse(false));
  }
}
