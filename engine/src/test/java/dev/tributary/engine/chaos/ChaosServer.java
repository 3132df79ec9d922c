package dev.tributary.engine.chaos;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chaos cluster's own embedded PostgreSQL, durable (fsync and synchronous_commit on), on a
 * fixed data directory and port so that it can be stopped and started again under its clients.
 */
final class ChaosServer implements AutoCloseable {
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

  /** Stops the server (pg_ctl stop, fast mode: every client connection is cut). */
  synchronized void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the chaos PostgreSQL", e);
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
