package dev.tributary.pipelines.publishing;

import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import java.util.Map;

/**
 * The engine side of publishing: {@value #PUBLISH} moves one row on (enqueued by the tables'
 * triggers at each post's own time, and again at the check time of an unknown outcome), {@value
 * #CYCLE} is the seed's catch-up cycle (cron, {@code call_publish_scheduled()}, and the {@code
 * publish-scheduled} route).
 */
public final class PublishingJobs {
  public static final String QUEUE = "publishing";
  public static final String PUBLISH = "publishing.publish";
  public static final String CYCLE = "publishing.cycle";
  public static final String SCHEDULE_NAME = "publish-scheduled";

  private final Publisher publisher;
  private final PublishingCycle cycle;

  public PublishingJobs(Publisher publisher, PublishingCycle cycle) {
    this.publisher = publisher;
    this.cycle = cycle;
  }

  /** Registers the handlers; the caller adds the {@value #QUEUE} queue. */
  public EngineBuilder register(EngineBuilder engine) {
    return engine.handler(PUBLISH, this::publish).handler(CYCLE, this::cycle);
  }

  public void schedule(Schedules schedules, String cron) {
    schedules.put(
        new Schedule(
            SCHEDULE_NAME,
            cron,
            "UTC",
            CYCLE,
            Map.of(),
            EnqueueOptions.DEFAULTS.queue(QUEUE).maxAttempts(1)));
  }

  private void publish(JobContext ctx) {
    PostRef ref = ctx.args(PostRef.class);
    PublishOutcome o = publisher.advance(ref);
    ctx.result(
        Map.of(
            "post",
            ref.toString(),
            "outcome",
            o.result().name(),
            "message",
            o.message() == null ? "" : o.message()));
    switch (o.result()) {
      case OUTCOME_UNKNOWN, RETRY_LATER -> checkLater(ctx, o.withRef(ref));
      case BUSY -> throw new IllegalStateException(ref + " is held by another node: trying again");
      case FAILED -> ctx.itemsFailed(1);
      default -> ctx.itemsProcessed(1);
    }
  }

  private void cycle(JobContext ctx) {
    CycleResult r = cycle.run(PublishingCycle.DEFAULT_LIMIT, o -> checkLater(ctx, o));
    ctx.itemsProcessed(r.published() + r.reconciled());
    ctx.itemsFailed(r.failed());
    ctx.result(
        Map.of(
            "processed", r.processed(),
            "published", r.published(),
            "reconciled", r.reconciled(),
            "failed", r.failed(),
            "unknown", r.unknown()));
  }

  private void checkLater(JobContext ctx, PublishOutcome o) {
    enqueueCheck(jobs, o);
  }

  private volatile Jobs jobs;

  /** The jobs API the check jobs are enqueued through; set once the engine is built. */
  public void jobs(Jobs engineJobs) {
    this.jobs = engineJobs;
  }

  /**
   * A publish job at the time an unknown outcome is to be checked, or a refused post may be sent
   * again (one per row and time).
   */
  public static void enqueueCheck(Jobs jobs, PublishOutcome o) {
    PostRef ref = o.ref();
    jobs.enqueue(
        PUBLISH,
        ref,
        EnqueueOptions.DEFAULTS
            .queue(QUEUE)
            .runAt(o.checkAt())
            .maxAttempts(10)
            .uniqueKey(
                "publishing:"
                    + ref.source()
                    + ":"
                    + ref.id()
                    + (o.result() == PublishOutcome.Result.RETRY_LATER ? ":retry@" : ":check@")
                    + o.checkAt().toEpochMilli()));
  }
}
