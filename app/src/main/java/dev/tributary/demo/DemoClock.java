package dev.tributary.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The demo's accelerated time: it stands still until the demo moves it on. */
final class DemoClock extends Clock {
  private final AtomicReference<Instant> now;

  DemoClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  void set(Instant t) {
    now.set(t);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
