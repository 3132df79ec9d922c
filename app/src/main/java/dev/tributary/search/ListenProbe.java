package dev.tributary.search;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Duration;
import java.util.UUID;
import org.postgresql.PGNotification;

/**
 * A notification a LISTENing session has sent to itself through another connection, to learn
 * whether notifications reach it at all: behind a pooler in transaction mode the LISTEN registers
 * on whichever server session ran it, and this one never comes back.
 */
final class ListenProbe {
  static final String PREFIX = "?probe:";

  private final String payload = PREFIX + UUID.randomUUID();
  private final long sentNanos;
  private boolean heard;

  /** Sends the probe on {@code channel} (a constant name) through a connection of {@code jdbc}. */
  ListenProbe(Jdbc jdbc, String channel) {
    jdbc.withConnection(
        "send a LISTEN probe",
        h -> {
          h.execute("SELECT pg_notify('" + channel + "', :probe)", Params.of("probe", payload));
          return null;
        });
    sentNanos = System.nanoTime();
  }

  /** Looks for the probe among {@code notes}; true once it has come back. */
  boolean heardIn(PGNotification[] notes) {
    if (notes != null) {
      for (PGNotification n : notes) {
        heard |= payload.equals(n.getParameter());
      }
    }
    return heard;
  }

  /** Whether the probe is overdue: LISTEN is deaf here. */
  boolean overdue(Duration timeout) {
    return !heard && System.nanoTime() - sentNanos > timeout.toNanos();
  }
}
