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
 * for staging overlap each other and the database's writes. The run takes the pages as they come,
 * each stream's in its order, and moves a stream's cursor only with a staged page, so a crash or an
 * error resumes exactly as a page-by-page read would. A stream stops at its last page or at its
 * first error; pages read ahead of a run that stops are dropped (they are read again by the next
 * run).
 */
final class StreamPrefetch implements AutoCloseable {
  /**
   * Items each stream may hold read ahead of the run (plus the page in its reader's hands): enough
   * for every stream to keep reading while the run stages another one, bounded so the memory held
   * stays a few tens of megabytes whatever the catalogue's size.
   */
  static final int ITEMS_AHEAD = 60_000;

  /** What a reader hands over: a page of {@code stream}, or the error that stopped it. */
  record Read(String stream, StagedPage page, RuntimeException error, int permits) {}

  /** One stream's room left for pages read ahead. */
  private record Ahead(BlockingQueue<Read> pages, Semaphore room) {}

  private final Map<String, Ahead> queues = new HashMap<>();

  /** Every stream's pages as they were read: each stream's in its order, the streams mixed. */
  private final BlockingQueue<Read> all = new LinkedBlockingQueue<>();

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
      Ahead queue = new Ahead(p.all, new Semaphore(ITEMS_AHEAD));
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
          r = new Read(stream.name(), StagedPage.of(p), null, permits);
        } catch (RuntimeException e) {
          r = new Read(stream.name(), null, e, 0);
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

  /** How many streams are being read. */
  int streams() {
    return queues.size();
  }

  /**
   * The next page read of any stream (each stream's pages in their order), waiting for one; or the
   * error that stopped its stream ({@link ConnectorException} for the vendor's).
   */
  Read next() {
    try {
      Read r = all.take();
      queues.get(r.stream()).room().release(r.permits());
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the streams", e);
    }
  }

  /** Stops the readers still running (a run that ended early); they drop what they read. */
  @Override
  public void close() {
    readers.forEach(Thread::interrupt);
  }
}
