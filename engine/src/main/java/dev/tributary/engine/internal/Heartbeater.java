package dev.tributary.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's leases alive: every interval one statement renews the lease of every job the
 * node holds (buffered, running, or waiting for its completion write). A job the database no longer
 * gives us (cancelled, reaped after a pause) is told to stop. The watchdog stops runs that went
 * longer than their timeout without a heartbeat, and stops renewing them so the reaper can take
 * them back. Every decision reads the engine's clock, never the machine's.
 */
public final class Heartbeater {
  private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

  private final JobStore store;
  private final Clock clock;
  private final Duration leaseDuration;
  private final Supplier<List<HeldJob>> heldJobs;
  private final Map<String, Registration> registry;

  public Heartbeater(
      JobStore store,
      Clock clock,
      Duration leaseDuration,
      Supplier<List<HeldJob>> heldJobs,
      Map<String, Registration> registry) {
    this.store = store;
    this.clock = clock;
    this.leaseDuration = leaseDuration;
    this.heldJobs = heldJobs;
    this.registry = registry;
  }

  /** One round: the watchdog, then one renewal for everything held. */
  public void beat() throws Exception {
    Instant now = clock.instant();
    List<HeldJob> renew = new ArrayList<>();
    for (HeldJob h : heldJobs.get()) {
      if (h.phase() == HeldJob.Phase.RUNNING && !h.stopRequested()) {
        Registration reg = registry.get(h.job().kind());
        if (reg != null && Duration.between(h.lastBeat(), now).compareTo(reg.timeout()) > 0) {
          log.warn(
              "job {} ({}) ran {} s without a heartbeat: stopping it",
              h.id(),
              h.job().kind(),
              reg.timeout().toSeconds());
          h.requestStop(HeldJob.StopReason.TIMED_OUT);
        }
      }
      if (!h.stopRequested()) {
        renew.add(h);
      }
    }
    if (renew.isEmpty()) {
      return;
    }
    Set<Long> ours =
        store.renew(renew.stream().map(HeldJob::job).toList(), clock.instant().plus(leaseDuration));
    for (HeldJob h : renew) {
      if (!ours.contains(h.id()) && h.phase() != HeldJob.Phase.FINISHING) {
        log.warn(
            "job {} ({}) is no longer held by this node (cancelled or its lease expired): stopping it",
            h.id(),
            h.job().kind());
        h.requestStop(HeldJob.StopReason.LEASE_LOST);
      }
    }
  }

  /** A handler's own heartbeat: renews its lease at once. */
  void renewNow(HeldJob h) {
    try {
      Set<Long> ours = store.renew(List.of(h.job()), clock.instant().plus(leaseDuration));
      if (!ours.contains(h.id())) {
        h.requestStop(HeldJob.StopReason.LEASE_LOST);
      }
    } catch (Exception e) {
      // the periodic renewal will try again; a database hiccup must not fail the job
      log.warn("heartbeat of job {} could not reach the database: {}", h.id(), e.toString());
    }
  }
}
