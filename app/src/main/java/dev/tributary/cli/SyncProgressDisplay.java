package dev.tributary.cli;

import dev.tributary.pipelines.profiles.ScrapeOutcome;
import dev.tributary.pipelines.profiles.SyncProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How {@code tributary sync-profiles} shows a run as it goes: on a terminal one line redrawn in
 * place (profiles done / due, new posts, elapsed time, refreshed every second); elsewhere (a pipe,
 * a log file, CI) one plain line per profile.
 */
abstract sealed class SyncProgressDisplay implements SyncProgress, AutoCloseable {
  protected final PrintStream out;
  protected final long startNanos = System.nanoTime();
  protected int due;
  protected int done;
  protected int postsNew;

  SyncProgressDisplay(PrintStream out) {
    this.out = out;
  }

  /** Ends the display (the bar's last redraw and its newline). */
  @Override
  public abstract void close();

  static SyncProgressDisplay forOutput(PrintStream out, boolean terminal) {
    return terminal ? new Bar(out) : new Lines(out);
  }

  static String elapsed(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static String describe(ScrapeOutcome o) {
    return switch (o.status()) {
      case SYNCED ->
          String.format(
              Locale.ROOT,
              "%d scraped, %d new, %d already known, %d reshares skipped",
              o.received(),
              o.inserted(),
              o.known(),
              o.reshares());
      case FAILED ->
          "failed (" + o.consecutiveFailures() + " in a row): " + JobsCommand.firstLine(o.error());
      case SKIPPED -> "skipped: " + JobsCommand.firstLine(o.error());
      case ABORTED -> "stopped the run: " + JobsCommand.firstLine(o.error());
    };
  }

  /** One line per event. */
  static final class Lines extends SyncProgressDisplay {
    Lines(PrintStream out) {
      super(out);
    }

    @Override
    public synchronized void started(int count) {
      due = count;
      out.printf("%d profile(s) due for sync%n", count);
    }

    @Override
    public synchronized void profileDone(ScrapeOutcome o) {
      done++;
      postsNew += o.inserted();
      out.printf(
          "[%d/%d] %-8s %-32s %s%n",
          done, due, o.status().name().toLowerCase(Locale.ROOT), o.linkedinId(), describe(o));
    }

    @Override
    public synchronized void stage(String description) {
      out.printf("%s (%s elapsed)%n", description, elapsed(elapsed()));
    }

    @Override
    public void close() {}
  }

  /** One line redrawn with {@code \r}; failures are printed above it so they stay visible. */
  static final class Bar extends SyncProgressDisplay {
    private static final int WIDTH = 24;
    private final ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sync-progress");
              t.setDaemon(true);
              return t;
            });
    private int lastLength;
    private String stage = "scraping";

    Bar(PrintStream out) {
      super(out);
      ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void started(int count) {
      due = count;
      redraw();
    }

    @Override
    public synchronized void profileDone(ScrapeOutcome o) {
      done++;
      postsNew += o.inserted();
      if (o.status() != ScrapeOutcome.Status.SYNCED) {
        clear();
        out.printf("%s: %s%n", o.linkedinId(), describe(o));
      }
      redraw();
    }

    @Override
    public synchronized void stage(String description) {
      stage = description;
      redraw();
    }

    synchronized void redraw() {
      int filled = due == 0 ? WIDTH : done * WIDTH / due;
      String line =
          String.format(
              Locale.ROOT,
              "[%s%s] %d/%d profiles · %d new posts · %s · %s",
              "#".repeat(filled),
              "-".repeat(WIDTH - filled),
              done,
              due,
              postsNew,
              elapsed(elapsed()),
              stage);
      out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
      out.flush();
      lastLength = line.length();
    }

    private void clear() {
      out.print("\r" + " ".repeat(lastLength) + "\r");
      lastLength = 0;
    }

    @Override
    public synchronized void close() {
      ticker.shutdownNow();
      stage = "done";
      redraw();
      out.println();
    }
  }
}
