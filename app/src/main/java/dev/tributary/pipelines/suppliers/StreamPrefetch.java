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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads every stream of a sync at once, each on its own virtual thread, a few pages ahead of the
 * run that stages them: the vendor's answers, their parsing and their encoding for staging overlap
 * each other and the database's writes. The run still takes each stream's pages in order, stream
 * after stream, and moves a cursor only with a staged page, so a crash or an error resumes exactly
 * as a page-by-page read would. A stream stops at its last page or at its first error; pages read
 * ahead of a run that stops are dropped (they are read again by the next run).
 */
final class StreamPrefetch implements AutoCloseable {
  /** Pages each stream may read ahead of the run: the memory held is about this many pages. */
  static final int AHEAD = 2;

  /** What a reader hands over: a page, or the error that stopped its stream. */
  private record Read(StagedPage page, RuntimeException error) {}

  private final Map<String, BlockingQueue<Read>> queues = new HashMap<>();
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
      BlockingQueue<Read> queue = new ArrayBlockingQueue<>(AHEAD);
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
      BlockingQueue<Read> queue) {
    try {
      for (int page = first; ; page++) {
        Read r;
        try {
          CatalogPage p = connector.fetch(stream, supplier, page);
          r = new Read(StagedPage.of(p), null);
        } catch (RuntimeException e) {
          r = new Read(null, e);
        }
        if (Thread.currentThread().isInterrupted()) {
          return; // the run stopped: nobody takes this page
        }
        queue.put(r);
        if (r.error() != null || r.page().page().last()) {
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
      Read r = queues.get(stream).take();
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
