package dev.tributary.engine.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, pausing between polls; tests never sleep a
 * fixed time and never spin.
 */
public final class Await {
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  /** The pause between two polls unless a caller asks for another. */
  public static final Duration PAUSE = Duration.ofMillis(5);

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(() -> what, timeout, PAUSE, condition);
  }

  /**
   * Polls {@code condition} every {@code pause} until it holds; on timeout fails with the message
   * {@code what} gives then, so it can describe the state the test was stuck in.
   */
  public static void until(
      Supplier<String> what, Duration timeout, Duration pause, BooleanSupplier condition) {
    if (pause.isNegative() || pause.isZero()) {
      throw new IllegalArgumentException("pause must be positive: " + pause);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get());
      }
    }
  }

  public static <T> T value(String what, Supplier<T> supplier) {
    return value(what, DEFAULT, supplier);
  }

  /** Polls {@code supplier} until it returns a value other than null, and returns that value. */
  public static <T> T value(String what, Duration timeout, Supplier<T> supplier) {
    Object[] box = new Object[1];
    until(what, timeout, () -> (box[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
