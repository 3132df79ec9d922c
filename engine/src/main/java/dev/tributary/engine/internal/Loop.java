package dev.tributary.engine.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop that never dies (db-scheduler's RunAndLogErrors): each round's exception is
 * logged and followed by a growing pause, the loop goes on until {@link #stop()}.
 */
public final class Loop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Loop.class);
  private static final Duration MAX_ERROR_PAUSE = Duration.ofSeconds(10);

  /**
   * One round; returns how long to wait before the next one (the wait ends early on {@link
   * #wake()}).
   */
  @FunctionalInterface
  public interface Body {
    Duration round() throws Exception;
  }

  private final String name;
  private final Body body;
  private final Signal signal = new Signal();
  private volatile boolean running = true;
  private Thread thread;

  public Loop(String name, Body body) {
    this.name = name;
    this.body = body;
  }

  public Loop start() {
    thread = Thread.ofPlatform().daemon().name(name).start(this);
    return this;
  }

  public void wake() {
    signal.raise();
  }

  public boolean running() {
    return running;
  }

  @Override
  public void run() {
    int failures = 0;
    while (running) {
      Duration pause;
      try {
        pause = body.round();
        failures = 0;
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
        pause = Duration.ZERO;
      } catch (Throwable e) {
        failures++;
        pause =
            Duration.ofMillis(Math.min(MAX_ERROR_PAUSE.toMillis(), 100L << Math.min(failures, 10)));
        if (failures <= 3 || failures % 20 == 0) {
          log.warn(
              "{}: round failed ({} in a row), next try in {} ms: {}",
              name,
              failures,
              pause.toMillis(),
              e.toString(),
              e);
        }
      }
      if (!running) {
        break;
      }
      try {
        signal.await(Math.max(0, pause.toNanos()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      }
    }
  }

  /** Stops after the current round; waits for it up to the given time. */
  public void stop(Duration wait) {
    running = false;
    signal.raise();
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        thread.interrupt();
      }
    }
  }
}
