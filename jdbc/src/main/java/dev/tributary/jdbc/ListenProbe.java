package dev.tributary.jdbc;

import java.time.Duration;
import java.util.UUID;
import org.postgresql.PGNotification;

/**
 * A notification a LISTENing session sends to itself through another connection, to learn whether
 * notifications reach it at all: behind a pooler in transaction mode the LISTEN registers on
 * whichever server session ran it, and the probe never comes back. One probe per LISTEN; every
 * listener on the channel sees every node's probes, so a listener skips payloads {@link #isProbe}.
 */
public final class ListenProbe {
  private static final String PREFIX = "?probe:";

  private final Jdbc jdbc;
  private final String channel;
  private final String payload = PREFIX + UUID.randomUUID();

  /** When the probe went out; 0 until it has. */
  private long sentNanos;

  private boolean heard;

  /**
   * A probe for {@code channel} (a constant name: it is written into the statement), sent through a
   * connection of {@code jdbc} by {@link #send}.
   */
  public ListenProbe(Jdbc jdbc, String channel) {
    this.jdbc = jdbc;
    this.channel = channel;
  }

  /** Whether a payload is some listener's probe, not a message of the channel. */
  public static boolean isProbe(String payload) {
    return payload != null && payload.startsWith(PREFIX);
  }

  /**
   * Sends the probe unless it went out already; false when it could not be sent now (the caller
   * tries again on its next round, and the wait for it starts only once it went out).
   */
  public boolean send() {
    if (sentNanos != 0) {
      return true;
    }
    try {
      jdbc.withConnection(
          "send a LISTEN probe",
          h -> {
            h.execute("SELECT pg_notify('" + channel + "', :probe)", Params.of("probe", payload));
            return null;
          });
    } catch (DatabaseException e) {
      return false;
    }
    sentNanos = System.nanoTime();
    return true;
  }

  /** Looks for this probe among {@code notes} (null: none came); true once it has come back. */
  public boolean heardIn(PGNotification[] notes) {
    if (notes != null) {
      for (PGNotification n : notes) {
        heard |= payload.equals(n.getParameter());
      }
    }
    return heard;
  }

  /** Whether the probe went out and has not come back within {@code timeout}: LISTEN is deaf. */
  public boolean overdue(Duration timeout) {
    return !heard && sentNanos != 0 && System.nanoTime() - sentNanos > timeout.toNanos();
  }
}
