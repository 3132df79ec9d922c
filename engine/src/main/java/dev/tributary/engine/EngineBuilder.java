package dev.tributary.engine;

import dev.tributary.engine.internal.Registration;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Configures an {@link Engine}. Every default is a constant here; {@link #build()} rejects values
 * that cannot work (a heartbeat slower than the lease, a handler registered twice) before anything
 * runs.
 */
public final class EngineBuilder {
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_CRON_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_COMPLETED_RETENTION = Duration.ofDays(1);
  public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_CRON_FIRE_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LISTEN_PROBE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_COMPLETION_BATCH = 1_000;
  public static final Duration DEFAULT_COMPLETION_FLUSH_DELAY = Duration.ofMillis(2);
  static final int MAX_NODE_ID_LENGTH = 100;

  final DataSource dataSource;
  String nodeId;
  Clock clock = Clock.systemUTC();
  final Map<String, QueueConfig> queues = new LinkedHashMap<>();
  final Map<String, Registration> handlers = new LinkedHashMap<>();
  final List<JobListener> listeners = new ArrayList<>();
  Duration pollInterval = DEFAULT_POLL_INTERVAL;
  Duration leaseDuration = DEFAULT_LEASE_DURATION;
  Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
  Duration maintenanceInterval = DEFAULT_MAINTENANCE_INTERVAL;
  Duration pruneInterval = DEFAULT_PRUNE_INTERVAL;
  Duration cronInterval = DEFAULT_CRON_INTERVAL;
  Duration completedRetention = DEFAULT_COMPLETED_RETENTION;
  Duration deadRetention = DEFAULT_DEAD_RETENTION;
  Duration cronFireRetention = DEFAULT_CRON_FIRE_RETENTION;
  Duration shutdownDeadline = DEFAULT_SHUTDOWN_DEADLINE;
  int completionBatch = DEFAULT_COMPLETION_BATCH;
  Duration completionFlushDelay = DEFAULT_COMPLETION_FLUSH_DELAY;
  RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
  boolean listen = true;
  Duration listenProbeTimeout = DEFAULT_LISTEN_PROBE_TIMEOUT;
  boolean runCron = true;
  boolean runMaintenance = true;
  private String error;

  EngineBuilder(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** This node's name in leases and logs; default host name and process id. */
  public EngineBuilder nodeId(String id) {
    this.nodeId = id;
    return this;
  }

  public EngineBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c, "clock");
    return this;
  }

  /** Works {@code name} with this many handlers at once on this node. */
  public EngineBuilder queue(String name, int concurrency) {
    return queue(QueueConfig.of(name, concurrency));
  }

  public EngineBuilder queue(QueueConfig config) {
    if (queues.putIfAbsent(config.name(), config) != null) {
      fail("queue '" + config.name() + "' is configured twice");
    }
    return this;
  }

  /** A handler for a job kind. */
  public EngineBuilder handler(String kind, JobHandler handler) {
    return register(kind, handler, null);
  }

  /** A handler with its own timeout (how long a run may go without a heartbeat). */
  public EngineBuilder handler(String kind, JobHandler handler, Duration timeout) {
    return register(kind, handler, timeout);
  }

  /**
   * Tells {@code listener} about every run on this node (start, success, failure); listeners are
   * called in the order they were added.
   */
  public EngineBuilder listener(JobListener listener) {
    if (listener == null) {
      return fail("a job listener is null");
    }
    listeners.add(listener);
    return this;
  }

  private EngineBuilder register(String kind, JobHandler handler, Duration timeout) {
    if (kind == null || kind.isBlank()) {
      return fail("a handler needs a non-blank job kind");
    }
    if (handler == null) {
      return fail("handler for '" + kind + "' is null");
    }
    if (timeout != null && !positive(timeout)) {
      return fail("timeout of '" + kind + "' must be positive, got " + timeout);
    }
    if (handlers.containsKey(kind)) {
      return fail("a handler for '" + kind + "' is registered twice");
    }
    handlers.put(kind, new Registration(kind, handler, timeout));
    return this;
  }

  public EngineBuilder pollInterval(Duration d) {
    this.pollInterval = d;
    return this;
  }

  public EngineBuilder leaseDuration(Duration d) {
    this.leaseDuration = d;
    return this;
  }

  public EngineBuilder heartbeatInterval(Duration d) {
    this.heartbeatInterval = d;
    return this;
  }

  /** Default timeout for handlers registered without one. */
  public EngineBuilder jobTimeout(Duration d) {
    this.jobTimeout = d;
    return this;
  }

  public EngineBuilder maintenanceInterval(Duration d) {
    this.maintenanceInterval = d;
    return this;
  }

  public EngineBuilder pruneInterval(Duration d) {
    this.pruneInterval = d;
    return this;
  }

  public EngineBuilder cronInterval(Duration d) {
    this.cronInterval = d;
    return this;
  }

  public EngineBuilder retention(Duration completed, Duration dead) {
    this.completedRetention = completed;
    this.deadRetention = dead;
    return this;
  }

  public EngineBuilder shutdownDeadline(Duration d) {
    this.shutdownDeadline = d;
    return this;
  }

  public EngineBuilder completionBatching(int maxBatch, Duration flushDelay) {
    this.completionBatch = maxBatch;
    this.completionFlushDelay = flushDelay;
    return this;
  }

  public EngineBuilder retryPolicy(RetryPolicy policy) {
    this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
    return this;
  }

  /** Turn LISTEN/NOTIFY off (e.g. behind PgBouncer in transaction mode): polling only. */
  public EngineBuilder listen(boolean on) {
    this.listen = on;
    return this;
  }

  /**
   * How long the listener waits for its own probe notification after each LISTEN; past it, LISTEN
   * is deemed deaf (a pooler in transaction mode) and the node polls only.
   */
  public EngineBuilder listenProbeTimeout(Duration d) {
    this.listenProbeTimeout = d;
    return this;
  }

  /** Whether this node fires cron ticks (default yes; any number of nodes may). */
  public EngineBuilder runCron(boolean on) {
    this.runCron = on;
    return this;
  }

  /** Whether this node may take the maintenance lease (default yes). */
  public EngineBuilder runMaintenance(boolean on) {
    this.runMaintenance = on;
    return this;
  }

  private EngineBuilder fail(String message) {
    if (error == null) {
      error = message;
    }
    return this;
  }

  public Engine build() {
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    if (nodeId == null) {
      nodeId = defaultNodeId();
    }
    if (nodeId.isBlank() || nodeId.length() > MAX_NODE_ID_LENGTH) {
      throw new IllegalArgumentException(
          "node id must be 1 to " + MAX_NODE_ID_LENGTH + " characters");
    }
    requirePositive("poll interval", pollInterval);
    requirePositive("lease duration", leaseDuration);
    requirePositive("heartbeat interval", heartbeatInterval);
    requirePositive("job timeout", jobTimeout);
    requirePositive("maintenance interval", maintenanceInterval);
    requirePositive("prune interval", pruneInterval);
    requirePositive("cron interval", cronInterval);
    requirePositive("completed-job retention", completedRetention);
    requirePositive("dead-job retention", deadRetention);
    requirePositive("shutdown deadline", shutdownDeadline);
    requirePositive("listen probe timeout", listenProbeTimeout);
    if (heartbeatInterval.multipliedBy(2).compareTo(leaseDuration) > 0) {
      throw new IllegalArgumentException(
          "heartbeat interval ("
              + heartbeatInterval
              + ") must be at most half the lease duration ("
              + leaseDuration
              + "), or leases expire between heartbeats");
    }
    if (completionBatch < 1) {
      throw new IllegalArgumentException(
          "completion batch must be at least 1, got " + completionBatch);
    }
    if (completionFlushDelay == null || completionFlushDelay.isNegative()) {
      throw new IllegalArgumentException("completion flush delay must be zero or positive");
    }
    handlers.replaceAll(
        (k, r) -> r.timeout() != null ? r : new Registration(r.kind(), r.handler(), jobTimeout));
    return new Engine(this);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void requirePositive(String what, Duration d) {
    if (!positive(d)) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "node";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
