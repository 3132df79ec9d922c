package dev.tributary.search;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.ListenProbe;
import dev.tributary.jdbc.Params;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the {@link SearchIndex} from Postgres and keeps it current: a thread LISTENs on {@code
 * tributary_search} and, on every notification and at least every poll interval, applies the
 * entries of {@code search_change_log} it has not seen (see V052 for why the watermark is a
 * transaction id, not a sequence number). A lost connection is reopened and caught up the same way;
 * a node away longer than the log's retention reloads everything. Without LISTEN (a pooler in
 * transaction mode, configured or found out by a probe that never comes back) it polls only.
 */
public final class IndexSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexSync.class);
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
  static final String CHANNEL = "tributary_search";

  /** How long a LISTEN waits for its own probe before it is deemed deaf. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private final Jdbc jdbc;
  private final SearchIndex index;
  private final Duration poll;
  private final Duration retention;
  private final boolean listen;
  private volatile boolean deaf;
  private final Map<String, IndexedSource> sources = new LinkedHashMap<>();
  private final Object applyLock = new Object();
  private String watermark = "0";
  private final Map<Long, String> appliedAboveWatermark = new HashMap<>();
  private volatile long lastCatchUpMillis;
  private volatile boolean running;
  private Thread listener;

  /** The listener thread's wait before reconnecting; back to its floor once connected. */
  private long backoff = 500;

  public IndexSync(DataSource dataSource, SearchIndex index) {
    this(dataSource, index, DEFAULT_POLL, DEFAULT_RETENTION);
  }

  public IndexSync(DataSource dataSource, SearchIndex index, Duration poll, Duration retention) {
    this(dataSource, index, poll, retention, true);
  }

  /**
   * {@code listen} false (behind a pooler in transaction mode, where LISTEN needs a session it
   * cannot have): catch up every {@code poll}, holding no connection in between.
   */
  public IndexSync(
      DataSource dataSource, SearchIndex index, Duration poll, Duration retention, boolean listen) {
    this.listen = listen;
    this.jdbc = new Jdbc(dataSource);
    this.index = index;
    this.poll = poll;
    this.retention = retention;
    for (IndexedSource s : IndexedSource.ALL) {
      sources.put(s.name(), s);
    }
  }

  /** Whether changes wake this index through LISTEN (else it polls). */
  public boolean listening() {
    return listen && !deaf;
  }

  /** Loads everything, then follows changes on a background thread. */
  public IndexSync start() {
    loadAll();
    running = true;
    listener = new Thread(this::follow, "search-index-sync");
    listener.setDaemon(true);
    listener.start();
    return this;
  }

  /** Reads every vector of every source in one snapshot and swaps the spaces in. */
  public void loadAll() {
    synchronized (applyLock) {
      jdbc.inTransaction(
          "load the search index",
          h -> {
            repeatableRead(h);
            loadAll(h);
            return null;
          });
    }
  }

  /**
   * One snapshot for the whole transaction. Set by the transaction's first statement, not with
   * {@code Connection.setTransactionIsolation}: the driver makes that a session default ({@code SET
   * SESSION CHARACTERISTICS}) sent before the transaction begins, which behind a transaction pooler
   * lands on some other server session and stays there for its next users.
   */
  private static void repeatableRead(Handle h) throws SQLException {
    h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", Params.NONE);
  }

  private void loadAll(Handle h) throws SQLException {
    String xmin = snapshotXmin(h);
    Map<String, String> models = activeModels(h);
    for (IndexedSource source : sources.values()) {
      Map<SpaceKey, VectorSpace> spaces = new HashMap<>();
      try (PreparedStatement ps = h.prepare(source.selectAll(), Params.NONE)) {
        ps.setFetchSize(2_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            IndexedSource.Row row = source.mapper().map(rs);
            SpaceKey key = new SpaceKey(source.name(), row.model());
            VectorSpace space =
                spaces.computeIfAbsent(key, k -> new VectorSpace(row.vector().length));
            if (space.dimensions() == row.vector().length) {
              space.upsert(row.item(), row.vector());
            } else {
              log.warn(
                  "{} row {} has {} dimensions, others of model {} have {}: not indexed",
                  source.name(),
                  row.item().key(),
                  row.vector().length,
                  row.model(),
                  space.dimensions());
            }
          }
        }
      }
      // a source's spaces and its active model from one snapshot, swapped in together
      index.replaceSource(source.name(), spaces, models.get(source.name()));
    }
    index.setActiveModels(models);
    watermark = xmin;
    appliedAboveWatermark.clear();
    lastCatchUpMillis = System.currentTimeMillis();
  }

  /** Applies every change not applied yet; returns how many rows were re-read. */
  public int catchUp() {
    synchronized (applyLock) {
      if (System.currentTimeMillis() - lastCatchUpMillis > retention.toMillis() / 2) {
        log.info(
            "search index was not caught up for over half the change log's retention: reloading");
        loadAll();
        return -1;
      }
      return jdbc.inTransaction(
          "catch the search index up",
          h -> {
            repeatableRead(h);
            return catchUp(h);
          });
    }
  }

  private int catchUp(Handle h) throws SQLException {
    String xmin = snapshotXmin(h);
    Map<String, Set<String>> keys = new HashMap<>();
    Map<Long, String> seen = new HashMap<>();
    try (PreparedStatement ps =
        h.prepare(
            "SELECT seq, source, row_key, xid::text FROM search_change_log"
                + " WHERE xid >= :watermark::xid8 ORDER BY seq",
            Params.of("watermark", watermark))) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          seen.put(seq, rs.getString(4));
          if (!appliedAboveWatermark.containsKey(seq)) {
            keys.computeIfAbsent(rs.getString(2), k -> new HashSet<>()).add(rs.getString(3));
          }
        }
      }
    }
    int applied = 0;
    List<Moved> moved = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
      IndexedSource source = sources.get(e.getKey());
      if (source != null) {
        applied += apply(h, source, e.getValue(), moved);
      }
    }
    index.setActiveModels(activeModels(h));
    // rows that changed model leave their old space only now: a model switch moves every row
    // of a
    // source in the transaction that switches its active model, and until this point searches
    // still read the old space, which must stay whole
    for (Moved m : moved) {
      index.removeFromSourceExcept(m.source(), m.key(), m.keep());
    }
    watermark = xmin;
    appliedAboveWatermark.clear();
    long floor = Long.parseLong(xmin);
    seen.forEach(
        (seq, xid) -> {
          if (Long.parseLong(xid) >= floor) {
            appliedAboveWatermark.put(seq, xid);
          }
        });
    lastCatchUpMillis = System.currentTimeMillis();
    return applied;
  }

  /** A row now in space {@code keep}, to be removed from its source's other spaces. */
  private record Moved(String source, String key, SpaceKey keep) {}

  private int apply(Handle h, IndexedSource source, Set<String> keys, List<Moved> moved)
      throws SQLException {
    Set<String> found = new HashSet<>();
    try (PreparedStatement ps =
        h.prepare(source.selectByIds(), Params.of("ids", keys.toArray(String[]::new)))) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          IndexedSource.Row row = source.mapper().map(rs);
          SpaceKey space = new SpaceKey(source.name(), row.model());
          int dims = index.space(space).map(VectorSpace::dimensions).orElse(row.vector().length);
          if (dims != row.vector().length) {
            log.warn(
                "{} row {} has {} dimensions, others of model {} have {}: not indexed",
                source.name(),
                row.item().key(),
                row.vector().length,
                row.model(),
                dims);
            continue;
          }
          index.upsert(space, row.item(), row.vector());
          found.add(row.item().key());
          moved.add(new Moved(source.name(), row.item().key(), space));
        }
      }
    }
    for (String key : keys) {
      if (!found.contains(key)) {
        index.removeFromSource(source.name(), key);
      }
    }
    return keys.size();
  }

  private static Map<String, String> activeModels(Handle h) throws SQLException {
    Map<String, String> models = new HashMap<>();
    for (String[] row :
        h.query(
            "SELECT source, model FROM search_active_models",
            Params.NONE,
            rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      models.put(row[0], row[1]);
    }
    return models;
  }

  private static String snapshotXmin(Handle h) throws SQLException {
    return h.queryOne(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text",
            Params.NONE,
            rs -> rs.getString(1))
        .orElseThrow();
  }

  /** Deletes change-log entries older than the retention (any node may run it). */
  public int pruneLog() {
    return jdbc.update(
        "DELETE FROM search_change_log WHERE created_at < now() - make_interval(secs => :seconds)",
        Params.of("seconds", (double) retention.toSeconds()));
  }

  private void follow() {
    long lastPrune = 0;
    while (running) {
      try {
        lastPrune = listen && !deaf ? listenUntilStopped(lastPrune) : pollUntilStopped(lastPrune);
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "search index sync lost its connection ({}); retrying in {} ms",
            e.getMessage(),
            backoff);
        if (!pause(backoff)) {
          return;
        }
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /**
   * Holds one connection LISTENing and catches up on every notification or poll; returns when the
   * sync stops or LISTEN proves deaf (its own probe, sent through another connection, never came
   * back: a pooler in transaction mode), throws when the connection is lost.
   */
  private long listenUntilStopped(long lastPruned) {
    return jdbc.withConnection(
        "listen for search index changes",
        h -> {
          long lastPrune = lastPruned;
          h.execute("LISTEN " + CHANNEL, Params.NONE);
          PGConnection pg = h.connection().unwrap(PGConnection.class);
          ListenProbe probe = new ListenProbe(jdbc, CHANNEL);
          catchUp(); // whatever happened while we were not listening
          backoff = 500;
          while (running) {
            probe.send(); // once it has gone out; until then the wait for it has not begun
            PGNotification[] notes = pg.getNotifications((int) poll.toMillis());
            if (!probe.heardIn(notes) && probe.overdue(PROBE_TIMEOUT)) {
              deaf = true;
              log.warn(
                  "LISTEN {} got not even its own probe in {} s: the connection likely goes through"
                      + " a pooler in transaction mode (set DATABASE_POOLER=transaction). The search"
                      + " index stops listening and polls every {} ms.",
                  CHANNEL,
                  PROBE_TIMEOUT.toSeconds(),
                  poll.toMillis());
              return lastPrune;
            }
            catchUp();
            lastPrune = pruneHourly(lastPrune);
          }
          return lastPrune;
        });
  }

  /** Catches up every poll interval, holding no connection in between; returns when stopped. */
  private long pollUntilStopped(long lastPruned) {
    long lastPrune = lastPruned;
    catchUp();
    backoff = 500;
    while (running && pause(poll.toMillis())) {
      catchUp();
      lastPrune = pruneHourly(lastPrune);
    }
    return lastPrune;
  }

  private long pruneHourly(long lastPrune) {
    if (System.currentTimeMillis() - lastPrune > Duration.ofHours(1).toMillis()) {
      pruneLog();
      return System.currentTimeMillis();
    }
    return lastPrune;
  }

  /** Sleeps; false when interrupted (the sync is closing). */
  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    if (listener != null) {
      listener.interrupt();
      try {
        listener.join(poll.toMillis() + 2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
