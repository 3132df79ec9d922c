package dev.tributary.engine.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wake-up flag one thread waits on and others raise; raising it twice before a wait counts once.
 */
public final class Signal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition raised = lock.newCondition();
  private boolean flag;

  public void raise() {
    lock.lock();
    try {
      flag = true;
      raised.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until raised or the timeout passes; clears the flag. Returns whether it was raised. */
  public boolean await(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long left = timeoutNanos;
      while (!flag && left > 0) {
        left = raised.awaitNanos(left);
      }
      boolean was = flag;
      flag = false;
      return was;
    } finally {
      lock.unlock();
    }
  }

  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return await(unit.toNanos(timeout));
  }
}
