package dev.tributary.engine.internal;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on one dedicated connection for job wake-ups and cancellations. Notifications that arrive
 * together are handed over as they come; the queue runners fold repeated wake-ups into one claim.
 * When the connection breaks it reconnects and wakes every queue (it may have missed something);
 * meanwhile polling keeps work flowing.
 *
 * <p>LISTEN needs a session of its own. Behind a pooler in transaction mode (PgBouncer) the LISTEN
 * registers on whichever server session ran it and its notifications go to whatever client uses
 * that session next, never here. So after each LISTEN the listener sends a probe notification
 * through another connection; when its own probe has not come back within the probe timeout it
 * stops listening for good, says so, and the engine goes on polling.
 */
public final class Listener {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  public static final String JOBS_CHANNEL = "tributary_jobs";
  public static final String CANCEL_CHANNEL = "tributary_cancel";

  /** The payload that wakes every queue. */
  public static final String ALL_QUEUES = "*";

  /** Payloads of probes start so; no queue is named so (queue names are plain words). */
  static final String PROBE_PREFIX = "?probe:";

  private final DataSource dataSource;
  private final Consumer<String> onJobs;
  private final Consumer<Long> onCancel;
  private final long probeTimeoutNanos;
  private Connection connection;
  private PGConnection pg;

  /** The probe not heard yet (null once heard), and when it was sent (0: not sent yet). */
  private String probe;

  private long probeSentNanos;
  private volatile boolean deaf;

  public Listener(
      DataSource dataSource,
      Consumer<String> onJobs,
      Consumer<Long> onCancel,
      Duration probeTimeout) {
    this.dataSource = dataSource;
    this.onJobs = onJobs;
    this.onCancel = onCancel;
    this.probeTimeoutNanos = probeTimeout.toNanos();
  }

  /** Whether LISTEN proved useless here (its own probe never came back): polling only. */
  public boolean deaf() {
    return deaf;
  }

  /**
   * One round of the listen loop: waits up to {@code waitMillis} for notifications; false once the
   * listener has given up (see {@link #deaf()}).
   */
  public boolean listenOnce(int waitMillis) throws SQLException {
    if (deaf) {
      return false;
    }
    if (connection == null) {
      connect();
    }
    sendProbe();
    PGNotification[] notes;
    try {
      notes = pg.getNotifications(waitMillis);
    } catch (SQLException e) {
      closeQuietly();
      throw e;
    }
    if (notes != null) {
      for (PGNotification n : notes) {
        handle(n);
      }
    }
    if (probe != null
        && probeSentNanos != 0
        && System.nanoTime() - probeSentNanos > probeTimeoutNanos) {
      deaf = true;
      closeQuietly();
      log.warn(
          "LISTEN got no notification in {} ms, not even its own probe: the connection likely goes"
              + " through a pooler in transaction mode (set DATABASE_POOLER=transaction). This node"
              + " stops listening and polls for jobs.",
          probeTimeoutNanos / 1_000_000);
      return false;
    }
    return true;
  }

  private void handle(PGNotification n) {
    String payload = n.getParameter();
    if (CANCEL_CHANNEL.equals(n.getName())) {
      try {
        onCancel.accept(Long.parseLong(payload));
      } catch (NumberFormatException e) {
        log.warn("ignoring a cancel notification with payload '{}'", payload);
      }
    } else if (payload.startsWith(PROBE_PREFIX)) {
      if (payload.equals(probe)) {
        probe = null; // our own, from another session: notifications reach this one
      }
    } else {
      onJobs.accept(payload);
    }
  }

  /** Sends the pending probe through another pooled connection, once; a failure retries later. */
  private void sendProbe() {
    if (probe == null || probeSentNanos != 0) {
      return;
    }
    try {
      new Jdbc(dataSource)
          .withConnection(
              "send a LISTEN probe",
              h -> {
                h.execute(
                    "SELECT pg_notify('" + JOBS_CHANNEL + "', :probe)", Params.of("probe", probe));
                return null;
              });
      probeSentNanos = System.nanoTime();
    } catch (RuntimeException e) {
      log.debug("could not send the LISTEN probe yet: {}", e.getMessage());
    }
  }

  private void connect() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + JOBS_CHANNEL);
        s.execute("LISTEN " + CANCEL_CHANNEL);
      }
      pg = c.unwrap(PGConnection.class);
      connection = c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    probe = PROBE_PREFIX + UUID.randomUUID();
    probeSentNanos = 0;
    // anything sent while we were not listening is lost: look at every queue once
    onJobs.accept(ALL_QUEUES);
  }

  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // broken already; the pool discards it
      }
    }
    connection = null;
    pg = null;
  }
}
