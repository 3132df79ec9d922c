package dev.tributary.pipelines.engagement;

import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Engagement on the engine (S4.7): the seed's schedule every 10 minutes refreshes up to 100 due
 * tweets; when more are due it starts one drain job (unique key) that refreshes batch after batch
 * until nothing is due, as fast as the cluster-wide provider quota lets it. The webhook job sends
 * one viral alert. The route and the cron run the same claim, so they never refresh a tweet twice.
 */
public final class EngagementJobs {
  public static final String QUEUE = "engagement";
  public static final String UPDATE = "engagement_update";
  public static final String DRAIN = "engagement_drain";
  public static final int CRON_LIMIT = 100;
  public static final int DRAIN_BATCH = 100;

  private final EngagementService service;
  private final Jdbc jdbc;
  private final Optional<ViralAlertWebhook> webhook;
  private final String cron;

  public EngagementJobs(
      EngagementService service, DataSource ds, Optional<ViralAlertWebhook> webhook, String cron) {
    this.service = service;
    this.jdbc = new Jdbc(ds);
    this.webhook = webhook;
    this.cron = cron;
  }

  public EngineBuilder register(EngineBuilder engine) {
    engine.handler(UPDATE, this::update);
    engine.handler(DRAIN, this::drain);
    engine.handler(ViralAlertWebhook.KIND, this::sendAlert);
    return engine;
  }

  public void schedule(Schedules schedules) {
    schedules.put(
        new Schedule(
            "engagement-update",
            cron,
            "UTC",
            UPDATE,
            Map.of("limit", CRON_LIMIT),
            EnqueueOptions.DEFAULTS.queue(QUEUE).maxAttempts(3)));
  }

  private void update(JobContext ctx) {
    if (!service.refreshAvailable()) {
      ctx.result(Map.of("skipped", "no Twitter provider configured"));
      return;
    }
    int limit = ctx.args().path("limit").asInt(CRON_LIMIT);
    Results.BatchResult r = service.updateBatchTweetEngagement(Math.max(1, limit));
    ctx.itemsProcessed(r.successful());
    ctx.itemsFailed(r.failed());
    Map<String, Object> out = result(r);
    if (service.dueSummary().due() > 0) {
      jdbc.queryOne(
          "SELECT (tributary.enqueue_job(:kind, '{}'::jsonb, :queue, 0, now(), 3, :key)).inserted",
          Params.of("kind", DRAIN, "queue", QUEUE, "key", "engagement-drain"),
          rs -> rs.getBoolean(1));
      out.put("drain", "started");
    }
    ctx.result(out);
  }

  private void drain(JobContext ctx) {
    int successful = 0;
    int failed = 0;
    int calls = 0;
    while (!ctx.stopRequested()) {
      Results.BatchResult r = service.updateBatchTweetEngagement(DRAIN_BATCH);
      if (r.processed() == 0) {
        break;
      }
      successful += r.successful();
      failed += r.failed();
      calls += r.providerCalls();
      ctx.itemsProcessed(r.successful());
      ctx.itemsFailed(r.failed());
      ctx.heartbeat();
    }
    ctx.result(Map.of("successful", successful, "failed", failed, "provider_calls", calls));
  }

  private void sendAlert(JobContext ctx) {
    UUID id = UUID.fromString(ctx.args().path("alert_id").asText());
    boolean sent = webhook.map(w -> w.deliver(id)).orElse(false);
    ctx.result(Map.of("alert_id", id.toString(), "sent", sent));
  }

  private static Map<String, Object> result(Results.BatchResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processed", r.processed());
    m.put("successful", r.successful());
    m.put("failed", r.failed());
    m.put("skipped", r.skipped());
    m.put("provider_calls", r.providerCalls());
    return m;
  }
}
