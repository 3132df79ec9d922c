package dev.tributary.web.ops;

import dev.tributary.engine.QueueInfo;
import dev.tributary.engine.Queues;
import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.engine.metrics.Histogram;
import dev.tributary.pipelines.publishing.PublishingMetrics;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Renders the Prometheus text exposition format (version 0.0.4) by hand: this node's counters and
 * histograms from {@link EngineMetrics}, and cluster-wide queue depths read from the database at
 * scrape time.
 */
public final class PrometheusMetrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Queues queues;
  private final EngineMetrics metrics;
  private final PublishingMetrics publishing;

  public PrometheusMetrics(DataSource dataSource, Clock clock, EngineMetrics metrics) {
    this(dataSource, clock, metrics, null);
  }

  /** With {@code publishing} (null when publishing is off) rendered after the engine's. */
  public PrometheusMetrics(
      DataSource dataSource, Clock clock, EngineMetrics metrics, PublishingMetrics publishing) {
    this.queues = new Queues(dataSource, clock);
    this.metrics = metrics == null ? new EngineMetrics() : metrics;
    this.publishing = publishing;
  }

  public String render() {
    StringBuilder out = new StringBuilder(4096);
    counter(
        out,
        "tributary_jobs_enqueued_total",
        "Jobs enqueued through this node, by kind.",
        metrics.enqueuedByKind());
    counter(
        out,
        "tributary_jobs_completed_total",
        "Jobs completed on this node, by kind.",
        metrics.completedByKind());
    counter(
        out,
        "tributary_jobs_failed_total",
        "Failed attempts on this node (retried or dead), by kind.",
        metrics.failedByKind());
    counter(
        out,
        "tributary_jobs_dead_total",
        "Jobs parked as dead on this node, by kind.",
        metrics.deadByKind());

    List<QueueInfo> all = queues.list();
    header(
        out,
        "tributary_queue_jobs",
        "gauge",
        "Jobs per queue and state across the cluster (read from the database).");
    for (QueueInfo q : all) {
      gauge(out, "tributary_queue_jobs", q.name(), "available", q.available());
      gauge(out, "tributary_queue_jobs", q.name(), "scheduled", q.scheduled());
      gauge(out, "tributary_queue_jobs", q.name(), "running", q.running());
      gauge(out, "tributary_queue_jobs", q.name(), "dead", q.dead());
    }
    header(
        out, "tributary_queue_paused", "gauge", "1 when the queue is paused across the cluster.");
    for (QueueInfo q : all) {
      out.append("tributary_queue_paused{queue=\"")
          .append(escape(q.name()))
          .append("\"} ")
          .append(q.paused() ? 1 : 0)
          .append('\n');
    }

    histogram(
        out,
        "tributary_claim_duration_seconds",
        "Time of one claim statement on this node.",
        null,
        metrics.claimDuration());
    histogram(
        out,
        "tributary_job_start_delay_seconds",
        "From when a job was due to when this node started it.",
        null,
        metrics.startDelay());
    histogram(
        out,
        "tributary_completion_flush_seconds",
        "Time of one batched completion write.",
        null,
        metrics.completionFlush());
    header(
        out, "tributary_job_run_seconds", "histogram", "Handler run time on this node, by kind.");
    for (Map.Entry<String, Histogram.Snapshot> e : metrics.runTimeByKind().entrySet()) {
      buckets(
          out, "tributary_job_run_seconds", "kind=\"" + escape(e.getKey()) + "\"", e.getValue());
    }
    if (publishing != null) {
      publishing(out, publishing);
    }
    return out.toString();
  }

  private static void publishing(StringBuilder out, PublishingMetrics p) {
    counter(
        out,
        "tributary_publishing_published_total",
        "Posts published by this node with Unipile's create answer, by source.",
        "source",
        p.publishedBySource());
    counter(
        out,
        "tributary_publishing_reconciled_total",
        "Posts found among the account's posts after a lost answer (not sent again), by source.",
        "source",
        p.reconciledBySource());
    counter(
        out,
        "tributary_publishing_failed_total",
        "Posts failed by this node, by source.",
        "source",
        p.failedBySource());
    histogram(
        out,
        "tributary_publishing_lateness_seconds",
        "From a post's due time to the create call that published it.",
        null,
        p.lateness());
  }

  private static void counter(
      StringBuilder out, String name, String help, Map<String, Long> byKind) {
    counter(out, name, help, "kind", byKind);
  }

  private static void counter(
      StringBuilder out, String name, String help, String label, Map<String, Long> byLabel) {
    header(out, name, "counter", help);
    byLabel.forEach(
        (value, v) ->
            out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(escape(value))
                .append("\"} ")
                .append(v)
                .append('\n'));
  }

  private static void gauge(
      StringBuilder out, String name, String queue, String state, long value) {
    out.append(name)
        .append("{queue=\"")
        .append(escape(queue))
        .append("\",state=\"")
        .append(state)
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  private static void histogram(
      StringBuilder out, String name, String help, String labels, Histogram.Snapshot s) {
    header(out, name, "histogram", help);
    buckets(out, name, labels, s);
  }

  private static void buckets(StringBuilder out, String name, String labels, Histogram.Snapshot s) {
    String prefix = labels == null ? "" : labels + ",";
    for (int i = 0; i < s.bounds().length; i++) {
      out.append(name)
          .append("_bucket{")
          .append(prefix)
          .append("le=\"")
          .append(number(s.bounds()[i]))
          .append("\"} ")
          .append(s.cumulative()[i])
          .append('\n');
    }
    out.append(name)
        .append("_bucket{")
        .append(prefix)
        .append("le=\"+Inf\"} ")
        .append(s.count())
        .append('\n');
    String braces = labels == null ? "" : "{" + labels + "}";
    out.append(name).append("_sum").append(braces).append(' ').append(number(s.sum())).append('\n');
    out.append(name).append("_count").append(braces).append(' ').append(s.count()).append('\n');
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? String.valueOf((long) d)
        : String.format(Locale.ROOT, "%s", d);
  }

  /** Label values escape backslash, double quote and newline. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
