package dev.tributary.engine.internal;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.ListenProbe;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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

  private final DataSource dataSource;
  private final Consumer<String> onJobs;
  private final Consumer<Long> onCancel;
  private final Duration probeTimeout;
  private Connection connection;
  private PGConnection pg;

  /** This connection's probe (a new one with each LISTEN). */
  private ListenProbe probe;

  private volatile boolean deaf;

  public Listener(
      DataSource dataSource,
      Consumer<String> onJobs,
      Consumer<Long> onCancel,
      Duration probeTimeout) {
    this.dataSource = dataSource;
    this.onJobs = onJobs;
    this.onCancel = onCancel;
    this.probeTimeout = probeTimeout;
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
    if (!probe.send()) {
      log.debug("could not send the LISTEN probe yet; trying again next round");
    }
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
    if (!probe.heardIn(notes) && probe.overdue(probeTimeout)) {
      deaf = true;
      closeQuietly();
      log.warn(
          "LISTEN got no notification in {} ms, not even its own probe: the connection likely goes"
              + " through a pooler in transaction mode (set DATABASE_POOLER=transaction). This node"
              + " stops listening and polls for jobs.",
          probeTimeout.toMillis());
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
    } else if (!ListenProbe.isProbe(payload)) { // probes: heardIn looks for ours
      onJobs.accept(payload);
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
    probe = new ListenProbe(new Jdbc(dataSource), JOBS_CHANNEL);
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
