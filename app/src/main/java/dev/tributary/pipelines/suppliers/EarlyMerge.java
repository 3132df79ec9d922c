package dev.tributary.pipelines.suppliers;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The transaction that ends a sync, opened when its reading starts so that the merge overlaps the
 * reading: on its own thread and connection it reads which of the supplier's products exist, then
 * COPYs into imported_products the new products every stream has already said something of, while
 * the run reads the rest; when the run has read everything it hands over the rest of the merge and
 * the end of the job ({@link #finish}), run in the same transaction. A run that does not merge (a
 * retry, a pause, an error, a crash) rolls it back: nothing it wrote is seen, and the staged pages
 * and cursors stay as they were, so a resumed run merges exactly as before.
 */
final class EarlyMerge implements AutoCloseable {
  /** The rest of the merge and the end of the job; answers whether the job was still held. */
  interface Finish {
    boolean run(Handle h, Map<String, String> existing, NewProducts rows) throws SQLException;
  }

  private record Batch(List<CatalogJoin.Joined> products) {}

  /** The end: {@code finish} null rolls back. */
  private record End(Finish finish) {}

  private static final class RolledBack extends RuntimeException {
    RolledBack() {
      super(null, null, false, false);
    }
  }

  private static final Comparator<CatalogJoin.Joined> BY_ID =
      Comparator.comparing(j -> j.externalId);

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Map<String, String>> existing = new CompletableFuture<>();
  private final CompletableFuture<Boolean> result = new CompletableFuture<>();
  private boolean ended;

  private EarlyMerge() {}

  static EarlyMerge start(Jdbc jdbc, ClaimedImport job, Instant now) {
    EarlyMerge m = new EarlyMerge();
    Thread.ofVirtual()
        .name("supplier-merge-" + job.id())
        .start(() -> m.work(jdbc, job.id(), job.supplierId(), job.userId(), now));
    return m;
  }

  private void work(Jdbc jdbc, UUID id, UUID supplier, UUID userId, Instant now) {
    try {
      result.complete(
          jdbc.inTransaction(
              "end import job " + id,
              h -> {
                Map<String, String> known = CatalogMerge.existing(h, supplier);
                existing.complete(known);
                NewProducts rows = new NewProducts(h, supplier, userId, now);
                try {
                  while (true) {
                    Object m = take();
                    if (m instanceof Batch b) {
                      rows.write(b.products());
                    } else if (((End) m).finish() == null) {
                      throw new RolledBack();
                    } else {
                      return ((End) m).finish().run(h, known, rows);
                    }
                  }
                } catch (SQLException | RuntimeException | Error e) {
                  rows.abandon();
                  throw e;
                }
              }));
    } catch (RolledBack e) {
      result.complete(false);
    } catch (Throwable e) {
      existing.completeExceptionally(e);
      result.completeExceptionally(e);
    }
  }

  private Object take() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RolledBack();
    }
  }

  /**
   * Products every stream has now said something of: the new ones a listing stream named are
   * written now (marked {@code early}). Before the existing products are known, they are left to
   * the end.
   */
  void complete(List<CatalogJoin.Joined> products) {
    Map<String, String> known = existing.getNow(null);
    if (known == null || products.isEmpty() || ended) {
      return;
    }
    List<CatalogJoin.Joined> fresh = new ArrayList<>(products.size());
    for (CatalogJoin.Joined j : products) {
      if (j.inCatalogue && !known.containsKey(j.externalId)) {
        j.early = true;
        fresh.add(j);
      }
    }
    if (!fresh.isEmpty()) {
      fresh.sort(BY_ID);
      queue.add(new Batch(fresh));
    }
  }

  /** Runs {@code finish} in the transaction and commits it; whether the job was still held. */
  boolean finish(Finish finish) {
    ended = true;
    queue.add(new End(finish));
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw e;
    }
  }

  /** Rolls the transaction back unless it was finished; waits for it. */
  @Override
  public void close() {
    if (!ended) {
      ended = true;
      queue.add(new End(null));
      try {
        result.join();
      } catch (CompletionException e) {
        // the run already stops on its own error; this transaction is rolled back either way
      }
    }
  }
}
