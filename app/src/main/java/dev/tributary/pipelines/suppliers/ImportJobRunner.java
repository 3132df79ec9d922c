package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.connectors.suppliers.ItemFailure;
import dev.tributary.connectors.suppliers.SupplierConnector;
import dev.tributary.connectors.suppliers.SyncScope;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Runs one import job: reads every stream page by page from its saved cursor, stages each page with
 * its cursor in one transaction, and when every stream has finished merges the products and ends
 * the job. A stream that fails for good is recorded and the others go on; a stream that can succeed
 * later sends the job back to pending with backoff (its cursor kept); a stream rate-limited for
 * longer than {@code pauseOver} frees the worker and the job comes back at the reset.
 */
final class ImportJobRunner {
  /** What the run needs of its engine job. */
  interface Run {
    long engineJobId();

    /** Extends the lease; throws when the job was cancelled. */
    void heartbeat();
  }

  private final ImportJobStore store;
  private final SupplierConnectors connectors;
  private final OrderSync orders;
  private final RetryPolicy backoff;
  private final Duration pauseOver;
  private final Clock clock;
  private final RandomGenerator random = RandomGenerator.getDefault();

  ImportJobRunner(
      ImportJobStore store,
      SupplierConnectors connectors,
      RetryPolicy backoff,
      Duration pauseOver,
      Clock clock) {
    this.store = store;
    this.connectors = connectors;
    this.orders = new OrderSync(store.jdbc(), clock);
    this.backoff = backoff;
    this.pauseOver = pauseOver;
    this.clock = clock;
  }

  /** Thrown when the engine ran the job before its {@code run_after}: the engine retries it. */
  static final class NotDueYet extends RuntimeException {
    NotDueYet(UUID id, Instant until) {
      super("import job " + id + " is not due before " + until);
    }
  }

  void run(UUID importId, Run run) {
    Instant now = clock.instant();
    Optional<ClaimedImport> claimed = store.claim(importId, run.engineJobId(), now);
    if (claimed.isEmpty()) {
      Optional<Instant> until = store.pendingUntil(importId);
      if (until.isPresent() && until.get().isAfter(now)) {
        throw new NotDueYet(importId, until.get());
      }
      return; // finished, or held by another run
    }
    ClaimedImport job = claimed.get();
    String problem = problem(job);
    if (problem != null) {
      end(job, run, "failed", job.state(), MergeCounts.ZERO, problem, false, null);
      return;
    }
    if (job.jobType().equals("order_sync")) {
      OrderSync.Result r = orders.run(job, connectors);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("orders_checked", r.checked());
      result.put("orders_updated", r.updated());
      result.put("failed", r.failed());
      finishWith(
          job,
          run,
          r.checked() > 0 && r.failed() == r.checked() ? "failed" : "completed",
          result,
          r.lastError());
      return;
    }
    SupplierConnector connector = connectors.get(job.provider()).orElseThrow();
    List<CatalogStream> streams = connector.streams(scope(job.jobType()), job.supplier());
    SyncState state = job.state();
    Staging staging = new Staging(UUID.randomUUID(), new CatalogJoin(streams.size()));
    try (EarlyMerge early = EarlyMerge.start(store.jdbc(), job, clock.instant())) {
      staging.early[0] = early;
      List<CatalogJoin.Joined> complete = new ArrayList<>();
      store
          .jdbc()
          .withConnection(
              "read the pages staged for import job " + job.id(),
              h -> {
                CatalogStaging.loadEarlierPages(h, job.id(), streams, staging.join(), complete);
                return complete;
              });
      early.complete(complete);
      try (StreamPrefetch ahead =
          StreamPrefetch.start(connector, job.supplier(), streams, state, clock.instant())) {
        state = readStreams(job, run, streams, state, ahead, staging);
      }
      decide(job, run, streams, state, staging);
    }
  }

  /**
   * What this run staged: its id (kept with each page it stages) and the products of those pages,
   * joined as they were staged. The pages of earlier runs are read back at the merge.
   */
  private record Staging(UUID runId, CatalogJoin join, EarlyMerge[] early) {
    Staging(UUID runId, CatalogJoin join) {
      this(runId, join, new EarlyMerge[1]);
    }
  }

  /** Why the job cannot run at all (a final failure), or null. */
  private String problem(ClaimedImport job) {
    if (job.supplier() == null) {
      return "the job has no supplier (supplier_id is null or the supplier was deleted)";
    }
    if (!job.supplierActive()) {
      return "supplier " + job.supplier().id() + " is not active";
    }
    if (job.jobType().equals("order_sync")) {
      return null;
    }
    if (connectors.get(job.provider()).isEmpty()) {
      return connectors.whyMissing(job.provider());
    }
    SupplierConnector c = connectors.get(job.provider()).get();
    if (c.streams(scope(job.jobType()), job.supplier()).isEmpty()
        && job.jobType().equals("supplier_api")) {
      return "supplier " + job.supplier().id() + " has nothing to read (no search_keywords?)";
    }
    return null;
  }

  static SyncScope scope(String jobType) {
    return switch (jobType) {
      case "inventory_update" -> SyncScope.STOCK;
      case "price_update" -> SyncScope.PRICES;
      default -> SyncScope.FULL;
    };
  }

  /** Stages the streams' pages as they come, each stream until its last page or its error. */
  private SyncState readStreams(
      ClaimedImport job,
      Run run,
      List<CatalogStream> streams,
      SyncState state,
      StreamPrefetch ahead,
      Staging staging) {
    for (int reading = ahead.streams(); reading > 0; ) {
      run.heartbeat();
      StreamPrefetch.Read r = ahead.next();
      int index = 0;
      while (!streams.get(index).name().equals(r.stream())) {
        index++;
      }
      CatalogStream stream = streams.get(index);
      StreamState s = state.stream(stream.name());
      if (r.error() != null) {
        if (!(r.error() instanceof ConnectorException e)) {
          throw r.error();
        }
        StreamState after = onError(s, e);
        state = state.with(stream.name(), after);
        store.saveState(job.id(), run.engineJobId(), state, List.of(streamError(stream, after)));
        reading--;
        continue;
      }
      StagedPage page = r.page();
      StreamState after = s.pageRead(page.items().size(), page.failures().size(), page.last());
      SyncState next = state.with(stream.name(), after);
      savePage(job, run, stream, s.page(), page, next, staging.runId());
      List<CatalogJoin.Joined> complete = new ArrayList<>();
      staging.join().add(stream.lists(), index, page.items(), complete);
      staging.early()[0].complete(complete);
      state = next;
      reading -= page.last() ? 1 : 0;
    }
    return state;
  }

  private StreamState onError(StreamState s, ConnectorException e) {
    if (e.retryable()
        && e.retryAfter().isPresent()
        && e.retryAfter().get().compareTo(pauseOver) > 0) {
      return s.with("waiting", e.getMessage(), clock.instant().plus(e.retryAfter().get()));
    }
    return s.with(e.retryable() ? "retry" : "failed", e.getMessage(), null);
  }

  private static Map<String, Object> streamError(CatalogStream stream, StreamState s) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("stream", stream.name());
    e.put("page", s.page());
    e.put("status", s.status());
    e.put("error", s.error());
    return e;
  }

  private void savePage(
      ClaimedImport job,
      Run run,
      CatalogStream stream,
      int pageNumber,
      StagedPage page,
      SyncState next,
      UUID runId) {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (ItemFailure f : page.failures()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("stream", stream.name());
      e.put("external_id", f.externalId());
      e.put("error", f.reason());
      errors.add(e);
    }
    boolean saved =
        store
            .jdbc()
            .inTransaction(
                "stage a page of " + stream.name(),
                h -> {
                  // the page and its cursor are lost together or kept together: a database crash
                  // that drops this commit only means the page is read again, and the merge's
                  // own (synchronous) commit makes everything staged before it durable
                  h.execute("SET LOCAL synchronous_commit = off", Params.NONE);
                  if (!page.items().isEmpty()) {
                    CatalogStaging.stage(
                        h, job.id(), stream.name(), pageNumber, stream.lists(), runId, page);
                  }
                  return ImportJobStore.savePage(
                      h,
                      job.id(),
                      run.engineJobId(),
                      next,
                      page.size(),
                      page.failures().size(),
                      errors);
                });
    if (!saved) {
      // another run took the job (this one's lease was lost): roll back by failing the engine job
      throw new IllegalStateException("import job " + job.id() + " is no longer held by this run");
    }
  }

  /** Every stream was tried once in this run: retry, pause, or merge and end. */
  private void decide(
      ClaimedImport job, Run run, List<CatalogStream> streams, SyncState state, Staging staging) {
    Instant now = clock.instant();
    List<String> retry = new ArrayList<>();
    Instant wakeAt = null;
    for (CatalogStream c : streams) {
      StreamState s = state.stream(c.name());
      if (s.status().equals("retry")) {
        retry.add(c.name() + ": " + s.error());
      } else if (s.status().equals("waiting")) {
        wakeAt = wakeAt == null || s.waitUntil().isBefore(wakeAt) ? s.waitUntil() : wakeAt;
      }
    }
    if (!retry.isEmpty() && job.attempts() < job.maxAttempts()) {
      Instant at = now.plus(backoff.delay(job.attempts(), random));
      if (wakeAt != null && wakeAt.isAfter(at)) {
        at = wakeAt;
      }
      store.reschedule(job.id(), run.engineJobId(), at, String.join("; ", retry), true);
      return;
    }
    if (!retry.isEmpty()) { // attempts used up: those streams failed
      for (CatalogStream c : streams) {
        StreamState s = state.stream(c.name());
        if (s.status().equals("retry")) {
          state = state.with(c.name(), s.with("failed", s.error(), null));
        }
      }
    }
    if (wakeAt != null) {
      store.reschedule(job.id(), run.engineJobId(), wakeAt, "rate limited until " + wakeAt, false);
      return;
    }
    mergeAndEnd(job, run, streams, state, staging);
  }

  private void mergeAndEnd(
      ClaimedImport job, Run run, List<CatalogStream> streams, SyncState state, Staging staging) {
    boolean anyDone = false;
    boolean complete = false;
    List<String> failed = new ArrayList<>();
    for (CatalogStream c : streams) {
      StreamState s = state.stream(c.name());
      if (s.status().equals("done")) {
        anyDone = true;
        complete |= c.complete();
      } else {
        failed.add(c.name() + ": " + s.error());
      }
    }
    String status = anyDone || streams.isEmpty() ? "completed" : "failed";
    end(
        job,
        run,
        status,
        state,
        null,
        failed.isEmpty() ? null : String.join("; ", failed),
        complete,
        staging);
  }

  /**
   * Merges what was staged (unless {@code counts} is given) and ends the job, in one transaction.
   */
  private void end(
      ClaimedImport job,
      Run run,
      String status,
      SyncState state,
      MergeCounts counts,
      String error,
      boolean markDiscontinued,
      Staging staging) {
    Instant now = clock.instant();
    if (counts == null) {
      EarlyMerge early = staging.early()[0];
      boolean ended =
          early.finish(
              (h, existing, rows) -> {
                MergeCounts c =
                    CatalogMerge.merge(
                        h,
                        job.id(),
                        job.supplierId(),
                        job.userId(),
                        markDiscontinued,
                        now,
                        staging.join(),
                        existing,
                        rows);
                return ImportJobStore.endJob(
                    h, job, run.engineJobId(), status, state, c, error, now, true);
              });
      if (!ended) {
        throw new IllegalStateException(
            "import job " + job.id() + " is no longer held by this run");
      }
      return;
    }
    boolean ended =
        store
            .jdbc()
            .inTransaction(
                "end import job " + job.id(),
                h ->
                    ImportJobStore.endJob(
                        h, job, run.engineJobId(), status, state, counts, error, now, false));
    if (!ended) {
      throw new IllegalStateException("import job " + job.id() + " is no longer held by this run");
    }
  }

  private void finishWith(
      ClaimedImport job, Run run, String status, Map<String, Object> result, String error) {
    store
        .jdbc()
        .inTransaction(
            "end import job " + job.id(),
            h ->
                ImportJobStore.finish(
                    h, job.id(), run.engineJobId(), status, result, error, clock.instant()));
  }
}
