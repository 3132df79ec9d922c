package dev.tributary.engine.chaos;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The chaos cluster's own embedded PostgreSQL, durable (fsync and synchronous_commit on), on a
 * fixed data directory and port so that it can be stopped and started again under its clients.
 *
 * <p>zonky's {@code getProcess()} is a launcher that has exited by the time the server runs; the
 * postmaster's id is read from {@code postmaster.pid}.
 */
final class ChaosServer implements AutoCloseable {
  /** {@code DBState} in {@code pg_control}: 1 shut down (clean), 6 in production (crashed). */
  private static final int SHUT_DOWN = 1;

  private static final int IN_PRODUCTION = 6;

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  ChaosServer() {
    try {
      dataDirectory = Files.createTempDirectory("tributary-chaos-pg");
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the chaos PostgreSQL", e);
    }
    start();
  }

  /** Starts the server; on an existing data directory it keeps every committed row. */
  synchronized void start() {
    try {
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the chaos PostgreSQL", e);
    }
  }

  /** The running postmaster's process id, from {@code postmaster.pid}. */
  synchronized long pid() {
    try {
      return Long.parseLong(
          Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read postmaster.pid", e);
    }
  }

  /**
   * Stops the server with {@code pg_ctl stop -m fast} (zonky's close: every client connection is
   * cut, then a shutdown checkpoint). Returns the cluster state it left: {@code shut down}.
   */
  synchronized String stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the chaos PostgreSQL", e);
    }
    return clusterState();
  }

  /**
   * Crashes the server as {@code pg_ctl stop -m immediate} does: SIGQUIT to the postmaster, which
   * kills its backends at once and writes no shutdown checkpoint, so that the next {@link #start()}
   * replays the WAL. Returns the cluster state it left: {@code in production} (crashed).
   */
  synchronized String crash() {
    long postmaster = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster)).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -QUIT " + postmaster + " failed");
      }
      ProcessHandle.of(postmaster)
          .ifPresent(h -> h.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    } catch (IOException e) {
      throw new UncheckedIOException("could not signal PostgreSQL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while PostgreSQL crashed", e);
    }
    String state = clusterState();
    try {
      // releases zonky's lock on the data directory (its pg_ctl stop finds no server, and logs it)
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not release the chaos PostgreSQL", e);
    }
    return state;
  }

  /** The state {@code pg_control} records (what {@code pg_controldata} prints), read directly. */
  private String clusterState() {
    try {
      byte[] control = Files.readAllBytes(dataDirectory.resolve("global").resolve("pg_control"));
      // ControlFileData: system_identifier (8 bytes), pg_control_version, catalog_version_no,
      // then state
      int state = ByteBuffer.wrap(control).order(ByteOrder.nativeOrder()).getInt(16);
      return switch (state) {
        case SHUT_DOWN -> "shut down";
        case IN_PRODUCTION -> "in production";
        default -> "state " + state;
      };
    } catch (IOException e) {
      throw new UncheckedIOException("could not read pg_control", e);
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  @Override
  public synchronized void close() {
    stop();
    try (var files = Files.walk(dataDirectory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dataDirectory, e);
    }
  }
}
