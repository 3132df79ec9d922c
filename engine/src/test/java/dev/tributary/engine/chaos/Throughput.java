package dev.tributary.engine.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Samples the executions recorded so far every 100 ms, to tell the rate over any past second. A
 * sample that fails (the server is down) is simply missing.
 */
final class Throughput implements AutoCloseable {
  private record Sample(long millis, long executions) {}

  private final DataSource db;
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean running = true;
  private Thread thread;

  Throughput(DataSource db) {
    this.db = db;
  }

  void start() {
    thread = new Thread(this::sample, "chaos-throughput");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM chaos_runs")) {
        rs.next();
        long value = rs.getLong(1);
        synchronized (samples) {
          samples.add(new Sample(System.currentTimeMillis(), value));
        }
      } catch (SQLException e) {
        // server down or connection cut: no sample this time
      }
      ChaosRun.sleep(100);
    }
  }

  /** Executions per second over the second before {@code atMillis}, or -1 if unknown. */
  double rateBefore(long atMillis, long windowMillis) {
    synchronized (samples) {
      Sample end = null;
      Sample start = null;
      for (Sample s : samples) {
        if (s.millis() <= atMillis) {
          end = s;
        }
        if (s.millis() <= atMillis - windowMillis) {
          start = s;
        }
      }
      if (end == null || start == null || end.millis() - start.millis() < windowMillis / 2) {
        return -1;
      }
      return (end.executions() - start.executions()) * 1000.0 / (end.millis() - start.millis());
    }
  }

  @Override
  public void close() {
    running = false;
  }
}
