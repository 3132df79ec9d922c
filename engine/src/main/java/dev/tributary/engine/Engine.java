package dev.tributary.engine;

import dev.tributary.engine.cron.Schedules;
import dev.tributary.engine.internal.Completer;
import dev.tributary.engine.internal.Heartbeater;
import dev.tributary.engine.internal.HeldJob;
import dev.tributary.engine.internal.JobExecutor;
import dev.tributary.engine.internal.JobStore;
import dev.tributary.engine.internal.Listener;
import dev.tributary.engine.internal.Loop;
import dev.tributary.engine.internal.Maintenance;
import dev.tributary.engine.internal.QueueRunner;
import dev.tributary.engine.internal.Registration;
import dev.tributary.engine.metrics.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work engine of one node: queue runners (claim, run, complete), the heartbeat, the LISTEN
 * loop, the cron ticker and the maintenance leader election, all coordinating with other nodes only
 * through PostgreSQL. Build with {@link #builder(DataSource)}, then {@link #start()}; {@link
 * #close()} shuts down gracefully.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** How long one LISTEN wait lasts; bounds how fast the listener notices a stop. */
  private static final int LISTEN_WAIT_MILLIS = 250;

  private final String nodeId;
  private final Clock clock;
  private final DataSource dataSource;
  private final EngineMetrics metrics = new EngineMetrics();
  private final Jobs jobs;
  private final Queues queues;
  private final Schedules schedules;
  private final Kinds kinds;
  private final Map<String, Registration> registry;
  private final Map<String, QueueRunner> runners = new LinkedHashMap<>();
  private final Completer completer;
  private final Heartbeater heartbeater;
  private final Maintenance maintenance;
  private final Listener listener;
  private final Duration shutdownDeadline;

  /** Loops that must keep going while running jobs drain at shutdown: lease renewal and cancels. */
  private final List<Loop> drainLoops = new ArrayList<>();

  private final List<Loop> loops = new ArrayList<>();
  private final EngineBuilder config;
  private volatile boolean started;
  private volatile boolean stopped;

  public static EngineBuilder builder(DataSource dataSource) {
    return new EngineBuilder(dataSource);
  }

  Engine(EngineBuilder b) {
    this.config = b;
    this.nodeId = b.nodeId;
    this.clock = b.clock;
    this.dataSource = b.dataSource;
    this.shutdownDeadline = b.shutdownDeadline;
    this.registry = Map.copyOf(b.handlers);
    this.jobs = new Jobs(dataSource, clock, metrics);
    this.queues = new Queues(dataSource, clock);
    this.schedules = new Schedules(dataSource, clock, jobs);
    this.kinds = new Kinds(dataSource);
    JobStore store = new JobStore(dataSource);
    this.completer =
        new Completer(store, metrics, clock, b.completionBatch, b.completionFlushDelay);
    this.heartbeater = new Heartbeater(store, clock, b.leaseDuration, this::allHeld, registry);
    JobExecutor executor =
        new JobExecutor(
            registry,
            store,
            completer,
            heartbeater,
            List.copyOf(b.listeners),
            metrics,
            b.retryPolicy,
            clock,
            nodeId);
    Map<String, QueueConfig> queueConfigs = new LinkedHashMap<>(b.queues);
    if (queueConfigs.isEmpty() && !registry.isEmpty()) {
      queueConfigs.put(
          EnqueueOptions.DEFAULT_QUEUE,
          QueueConfig.of(EnqueueOptions.DEFAULT_QUEUE, QueueConfig.DEFAULT_CONCURRENCY));
    }
    for (QueueConfig q : queueConfigs.values()) {
      runners.put(
          q.name(),
          new QueueRunner(
              q,
              store,
              executor,
              completer,
              metrics,
              clock,
              nodeId,
              b.leaseDuration,
              b.pollInterval));
    }
    this.maintenance =
        new Maintenance(
            dataSource,
            clock,
            nodeId,
            b.maintenanceInterval.multipliedBy(3),
            b.pruneInterval,
            new Maintenance.Retention(b.completedRetention, b.deadRetention, b.cronFireRetention),
            this::wake);
    this.listener = new Listener(dataSource, this::wake, this::cancelLocally, b.listenProbeTimeout);
  }

  /** Starts every loop; returns this engine. */
  public synchronized Engine start() {
    if (started) {
      throw new IllegalStateException("engine " + nodeId + " is already started");
    }
    started = true;
    completer.start(nodeId);
    runners.values().forEach(QueueRunner::start);
    if (!runners.isEmpty()) {
      drainLoops.add(
          new Loop(
                  "tributary-heartbeat-" + nodeId,
                  () -> {
                    heartbeater.beat();
                    return config.heartbeatInterval;
                  })
              .start());
      if (config.listen) {
        drainLoops.add(
            new Loop(
                    "tributary-listen-" + nodeId,
                    // once LISTEN proved deaf (a transaction pooler), polling alone finds the work
                    () ->
                        listener.listenOnce(LISTEN_WAIT_MILLIS)
                            ? Duration.ZERO
                            : Duration.ofDays(365))
                .start());
      }
    }
    if (config.runMaintenance) {
      loops.add(
          new Loop(
                  "tributary-maintenance-" + nodeId,
                  () -> {
                    maintenance.round();
                    return config.maintenanceInterval;
                  })
              .start());
    }
    if (config.runCron) {
      loops.add(
          new Loop(
                  "tributary-cron-" + nodeId,
                  () -> {
                    schedules.fireDue(nodeId);
                    return config.cronInterval;
                  })
              .start());
    }
    log.info(
        "engine {} started: queues {}, {} handler(s)", nodeId, runners.keySet(), registry.size());
    return this;
  }

  private List<HeldJob> allHeld() {
    List<HeldJob> all = new ArrayList<>();
    for (QueueRunner r : runners.values()) {
      all.addAll(r.held());
    }
    return all;
  }

  private void wake(String queue) {
    if (Listener.ALL_QUEUES.equals(queue)) {
      runners.values().forEach(QueueRunner::wake);
      return;
    }
    QueueRunner r = runners.get(queue);
    if (r != null) {
      r.wake();
    }
  }

  private void cancelLocally(long jobId) {
    for (QueueRunner r : runners.values()) {
      HeldJob h = r.heldJob(jobId);
      if (h != null) {
        h.requestStop(HeldJob.StopReason.CANCELLED);
      }
    }
  }

  public String nodeId() {
    return nodeId;
  }

  public Clock clock() {
    return clock;
  }

  public Jobs jobs() {
    return jobs;
  }

  public Queues queues() {
    return queues;
  }

  public Schedules schedules() {
    return schedules;
  }

  /** Switch job kinds off and on across the cluster. */
  public Kinds kinds() {
    return kinds;
  }

  public EngineMetrics metrics() {
    return metrics;
  }

  /**
   * Whether this node is woken by NOTIFY: false when built with {@code listen(false)} or once
   * LISTEN proved deaf (its probe never came back, e.g. through a pooler in transaction mode); it
   * then finds work by polling alone.
   */
  public boolean listening() {
    return config.listen && !listener.deaf();
  }

  /** Whether this node holds the maintenance lease right now. */
  public boolean isLeader() {
    return maintenance.isLeader();
  }

  /** Jobs this node holds (claimed, running or finishing). */
  public int heldCount() {
    return allHeld().size();
  }

  /**
   * Graceful shutdown: stop claiming and give back jobs that never started; let running jobs finish
   * until the deadline, then interrupt them and give them back; write pending completions; give up
   * the maintenance lease.
   */
  public synchronized void stop(Duration deadline) {
    if (!started || stopped) {
      return;
    }
    stopped = true;
    long until = System.nanoTime() + deadline.toNanos();
    loops.forEach(l -> l.stop(Duration.ofSeconds(5)));
    runners.values().forEach(QueueRunner::stopClaiming);
    runners.values().forEach(r -> r.awaitWorkers(until));
    completer.stop(Duration.ofSeconds(10));
    drainLoops.forEach(l -> l.stop(Duration.ofSeconds(2)));
    listener.close();
    maintenance.resign();
    log.info("engine {} stopped", nodeId);
  }

  @Override
  public void close() {
    stop(shutdownDeadline);
  }
}
