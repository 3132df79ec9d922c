package dev.tributary.engine.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
  private Connection connection;
  private PGConnection pg;

  public Listener(DataSource dataSource, Consumer<String> onJobs, Consumer<Long> onCancel) {
    this.dataSource = dataSource;
    this.onJobs = onJobs;
    this.onCancel = onCancel;
  }

  /** One round of the listen loop: waits up to {@code waitMillis} for notifications. */
  public void listenOnce(int waitMillis) throws SQLException {
    if (connection == null) {
      connect();
    }
    PGNotification[] notes;
    try {
      notes = pg.getNotifications(waitMillis);
    } catch (SQLException e) {
      closeQuietly();
      throw e;
    }
    if (notes == null) {
      return;
    }
    for (PGNotification n : notes) {
      if (CANCEL_CHANNEL.equals(n.getName())) {
        try {
          onCancel.accept(Long.parseLong(n.getParameter()));
        } catch (NumberFormatException e) {
          log.warn("ignoring a cancel notification with payload '{}'", n.getParameter());
        }
      } else {
        onJobs.accept(n.getParameter());
      }
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
