package dev.tributary.db;

import dev.tributary.config.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central) whose data lives in {@code dataDir/pgdata}
 * and survives restarts. An exclusive file lock on {@code dataDir/tributary.lock} keeps a second
 * process from starting a server on the same files.
 *
 * <p>Durable: {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are on, so a
 * commit that returned survives a crash of the machine.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.postgres = postgres;
  }

  static EmbeddedDatabase start(Path dataDir) {
    return start(dataDir, true);
  }

  static EmbeddedDatabase start(Path dataDir, boolean stopWithJvm) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException("cannot create TRIBUTARY_DATA_DIR " + dir + ": " + e.getMessage());
    }
    FileChannel channel;
    FileLock lock;
    try {
      channel =
          FileChannel.open(
              dir.resolve("tributary.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = tryLock(channel);
    } catch (IOException e) {
      throw new StartupException("cannot lock TRIBUTARY_DATA_DIR " + dir + ": " + e.getMessage());
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new StartupException(
          "the data directory "
              + dir
              + " is in use by another Tributary process;"
              + " stop it, or set TRIBUTARY_DATA_DIR to another directory, or DATABASE_URL to share one Postgres");
    }
    try {
      Path pgdata = dir.resolve("pgdata");
      Files.createDirectories(pgdata);
      // a server killed hard leaves its pid file behind; our lock proves no server of ours runs on
      // it now
      Files.deleteIfExists(pgdata.resolve("postmaster.pid"));
      log.info("starting embedded PostgreSQL with data in {}", pgdata);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgdata)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "200")
              // the library's defaults trade durability for speed (synchronous_commit off): a
              // crash could lose committed work. The default deployment keeps the server's durable
              // settings; only the engine's claim commits without waiting (see JobStore.CLAIM: a
              // lost claim is undone, the job is simply claimed again).
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setRegisterShutdownHook(stopWithJvm)
              .start();
      return new EmbeddedDatabase(channel, lock, pg);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw new StartupException(
          "embedded PostgreSQL did not start in " + dir + ": " + rootMessage(e), e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // this JVM already holds it: in use all the same
      return null;
    }
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  public void close() {
    try {
      postgres.close();
      log.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    } finally {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(lockChannel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do: the process releases the descriptor on exit
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
