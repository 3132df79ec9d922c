package dev.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's {@code pgbouncer} as a child process: its own ini, user list and log in a temporary
 * directory, on a free port, in front of one PostgreSQL server. Nothing of the system's service is
 * used. PgBouncer refuses to run as root; as root it is started with {@code -u nobody} (it drops to
 * that user itself), so its directory is readable by everyone.
 */
public final class PgBouncer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private final Process process;
  private final Path dir;
  private final int port;

  private PgBouncer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts a pooler in transaction mode for every database of the server at {@code host:pgPort}
   * (user {@code postgres}, trusted), with {@code poolSize} server connections per database.
   */
  public static PgBouncer transactionMode(String host, int pgPort, int poolSize) {
    try {
      Path dir = Files.createTempDirectory("pgbouncer");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      int port = freePort();
      Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
      Files.writeString(
          dir.resolve("pgbouncer.ini"),
          String.join(
              "\n",
              "[databases]",
              "* = host=" + host + " port=" + pgPort,
              "[pgbouncer]",
              "listen_addr = 127.0.0.1",
              "listen_port = " + port,
              "unix_socket_dir =",
              "auth_type = trust",
              "auth_file = " + dir.resolve("userlist.txt"),
              "pool_mode = transaction",
              "default_pool_size = " + poolSize,
              "max_client_conn = 500",
              // the JDBC driver sends it in its start-up packet
              "ignore_startup_parameters = extra_float_digits",
              "logfile = " + dir.resolve("pgbouncer.log"),
              "pidfile = " + dir.resolve("pgbouncer.pid"),
              ""));
      List<String> command = new ArrayList<>(List.of(BINARY.toString()));
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("-u", "nobody"));
      }
      command.add(dir.resolve("pgbouncer.ini").toString());
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
      PgBouncer bouncer = new PgBouncer(p, dir, port);
      bouncer.awaitListening(Duration.ofSeconds(10));
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start pgbouncer", e);
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL of {@code database} through the pooler. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  /** What the pooler wrote to its log so far. */
  public String log() {
    try {
      Path log = dir.resolve("pgbouncer.log");
      String out = Files.exists(log) ? Files.readString(log) : "";
      return out + Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException("pgbouncer did not start: " + log());
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting pgbouncer", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: the system cleans it eventually
    }
  }
}
