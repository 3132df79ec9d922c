package dev.tributary.cli;

import dev.tributary.pipelines.suppliers.ImportJobView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code tributary suppliers sync} shows a run as it goes, from the job's saved cursors: on a
 * terminal one line redrawn in place (streams done / streams, items read, items failed, the stream
 * being read and its page, elapsed time); elsewhere (a pipe, a log, CI) one plain line each time a
 * stream moves on or ends.
 */
final class SupplierSyncDisplay {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private final Map<String, String> lastSeen = new LinkedHashMap<>();
  private int lastLength;

  SupplierSyncDisplay(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** One stream as the job's {@code sync_state} shows it. */
  record Stream(String name, int page, String status, int items, int failed) {}

  static Map<String, Stream> streams(ImportJobView job) {
    Map<String, Stream> out = new LinkedHashMap<>();
    if (job.progress().get("streams") instanceof Map<?, ?> streams) {
      streams.forEach(
          (k, v) -> {
            if (v instanceof Map<?, ?> m) {
              out.put(
                  k.toString(),
                  new Stream(
                      k.toString(),
                      number(m.get("page")),
                      String.valueOf(m.get("status")),
                      number(m.get("items")),
                      number(m.get("failed"))));
            }
          });
    }
    return out;
  }

  private static int number(Object o) {
    return o instanceof Number n ? n.intValue() : 0;
  }

  /** Shows the job as it is now; {@code streamCount} is how many streams the sync reads. */
  synchronized void show(ImportJobView job, int streamCount) {
    Map<String, Stream> streams = streams(job);
    if (terminal) {
      redraw(job, streams, streamCount);
      return;
    }
    for (Stream s : streams.values()) {
      String seen = s.page() + "/" + s.status();
      if (!seen.equals(lastSeen.put(s.name(), seen))) {
        out.printf(
            Locale.ROOT,
            "%-28s page %-5d %-8s %d items, %d failed (%s)%n",
            s.name(),
            s.page(),
            s.status(),
            s.items(),
            s.failed(),
            SyncProgressDisplay.elapsed(elapsed()));
      }
    }
  }

  private void redraw(ImportJobView job, Map<String, Stream> streams, int streamCount) {
    long finished =
        streams.values().stream()
            .filter(s -> s.status().equals("done") || s.status().equals("failed"))
            .count();
    int items = streams.values().stream().mapToInt(Stream::items).sum();
    int failed = streams.values().stream().mapToInt(Stream::failed).sum();
    String reading =
        streams.values().stream()
            .filter(s -> !s.status().equals("done") && !s.status().equals("failed"))
            .map(s -> s.name() + " p." + s.page())
            .findFirst()
            .orElse(job.phase().equals("running") ? "merging" : job.phase());
    int total = Math.max(streamCount, streams.size());
    int filled = total == 0 ? 0 : (int) (finished * WIDTH / total);
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %d/%d streams · %d items · %d failed · %s · %s",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            finished,
            total,
            items,
            failed,
            reading,
            SyncProgressDisplay.elapsed(elapsed()));
    out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    out.flush();
    lastLength = line.length();
  }

  /** Ends the bar's line. */
  synchronized void close() {
    if (terminal && lastLength > 0) {
      out.println();
    }
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
