package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.connectors.suppliers.SupplierConnector;
import dev.tributary.connectors.suppliers.SupplierRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Reads every stream of a sync at once, each on its own virtual thread, up to {@link #ITEMS_AHEAD}
 * items ahead of the run that stages them: the vendor's answers, their parsing and their encoding
 * for staging overlap each other and the database's writes. The run still takes each stream's pages
 * in order, stream after stream, and moves a cursor only with a staged page, so a crash or an error
 * resumes exactly as a page-by-page read would. A stream stops at its last page or at its first
 * error; pages read ahead of a run that stops are dropped (they are read again by the next run).
 */
final class StreamPrefetch implements AutoCloseable {
  /**
   * Items each stream may hold read ahead of the run (plus the page in its reader's hands): enough
   * for every stream to keep reading while the run stages another one, bounded so the memory held
   * stays a few tens of megabytes whatever the catalogue's size.
   */
  static final int ITEMS_AHEAD = 60_000;

  /** What a reader hands over: a page, or the error that stopped its stream. */
  private record Read(StagedPage page, RuntimeException error, int permits) {}

  /** One stream's pages read ahead, and the room left for more. */
  private record Ahead(BlockingQueue<Read> pages, Semaphore room) {}

  private final Map<String, Ahead> queues = new HashMap<>();
  private final List<Thread> readers = new ArrayList<>();

  private StreamPrefetch() {}

  /**
   * Starts reading each stream still to read, from its cursor: those not finished and not waiting
   * for a reset after {@code now}.
   */
  static StreamPrefetch start(
      SupplierConnector connector,
      SupplierRef supplier,
      List<CatalogStream> streams,
      SyncState state,
      Instant now) {
    StreamPrefetch p = new StreamPrefetch();
    for (CatalogStream stream : streams) {
      StreamState s = state.stream(stream.name());
      if (s.finished() || (s.waitUntil() != null && s.waitUntil().isAfter(now))) {
        continue;
      }
      int first = s.page();
      Ahead queue = new Ahead(new LinkedBlockingQueue<>(), new Semaphore(ITEMS_AHEAD));
      p.queues.put(stream.name(), queue);
      p.readers.add(
          Thread.ofVirtual()
              .name("supplier-read-" + stream.name())
              .start(() -> read(connector, supplier, stream, first, queue)));
    }
    return p;
  }

  private static void read(
      SupplierConnector connector,
      SupplierRef supplier,
      CatalogStream stream,
      int first,
      Ahead queue) {
    try {
      for (int page = first; ; page++) {
        Read r;
        try {
          CatalogPage p = connector.fetch(stream, supplier, page);
          int permits = Math.min(Math.max(1, p.size()), ITEMS_AHEAD);
          r = new Read(StagedPage.of(p), null, permits);
        } catch (RuntimeException e) {
          r = new Read(null, e, 0);
        }
        queue.room().acquire(r.permits());
        if (Thread.currentThread().isInterrupted()) {
          return; // the run stopped: nobody takes this page
        }
        queue.pages().put(r);
        if (r.error() != null || r.page().last()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the run stopped
    }
  }

  /** Whether {@code stream} is being read (it was not finished or waiting when the run began). */
  boolean reads(String stream) {
    return queues.containsKey(stream);
  }

  /**
   * The next page of {@code stream}, waiting for it; throws the error that stopped the stream
   * ({@link ConnectorException} for the vendor's).
   */
  StagedPage next(String stream) {
    try {
      Ahead queue = queues.get(stream);
      Read r = queue.pages().take();
      queue.room().release(r.permits());
      if (r.error() != null) {
        throw r.error();
      }
      return r.page();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + stream, e);
    }
  }

  /** Stops the readers still running (a run that ended early); they drop what they read. */
  @Override
  public void close() {
    readers.forEach(Thread::interrupt);
  }
}
