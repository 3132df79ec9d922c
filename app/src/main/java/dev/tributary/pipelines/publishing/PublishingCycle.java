package dev.tributary.pipelines.publishing;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The seed's 5-minute cycle, kept as the catch-up beside the per-post jobs: every due waiting row
 * (a post whose job was lost, or a row written while no node ran), and every row left in {@code
 * publishing} (a node killed mid-call: the publisher checks it once its answer can no longer come),
 * is moved on by the {@link Publisher}, oldest first.
 */
public final class PublishingCycle {
  public static final int DEFAULT_LIMIT = 500;

  private static final String DUE =
      """
      SELECT source, id FROM (
        SELECT 'scheduled_post' AS source, id, scheduled_at AS at FROM scheduled_posts
         WHERE status = 'pending' AND scheduled_at <= :now
        UNION ALL
        SELECT 'production_post', id, publication_date FROM production_posts
         WHERE status = 'scheduled' AND publication_date <= :now
        UNION ALL
        SELECT 'company_post', id, scheduled_for FROM company_published_posts
         WHERE status = 'pending' AND scheduled_for <= :now
        UNION ALL
        SELECT 'scheduled_post', id, updated_at FROM scheduled_posts
         WHERE status = 'publishing'
        UNION ALL
        SELECT 'production_post', id, updated_at FROM production_posts
         WHERE status = 'publishing'
        UNION ALL
        SELECT 'company_post', id, updated_at FROM company_published_posts
         WHERE status = 'publishing') due
       ORDER BY at, id
       LIMIT :limit""";

  private final Jdbc jdbc;
  private final Publisher publisher;
  private final Clock clock;
  private final Duration checkAfter;

  public PublishingCycle(
      DataSource dataSource, Publisher publisher, Clock clock, Duration checkAfter) {
    this.jdbc = new Jdbc(dataSource);
    this.publisher = publisher;
    this.clock = clock;
    this.checkAfter = checkAfter;
  }

  /** The rows a cycle would move on now. */
  public List<PostRef> due(int limit) {
    Instant now = clock.instant();
    return jdbc.query(
        DUE,
        Params.of("now", now, "limit", limit),
        rs -> new PostRef(rs.getString("source"), rs.getObject("id", UUID.class)));
  }

  /**
   * One cycle; {@code onUnknown} gets each outcome that must be checked later (an unknown outcome,
   * or a refusal with the time the provider lets us back).
   */
  public CycleResult run(int limit, Consumer<PublishOutcome> onUnknown) {
    int processed = 0;
    int published = 0;
    int reconciled = 0;
    int failed = 0;
    int unknown = 0;
    int busy = 0;
    int refused = 0;
    for (PostRef ref : due(limit)) {
      processed++;
      try {
        PublishOutcome o = publisher.advance(ref);
        switch (o.result()) {
          case PUBLISHED -> published++;
          case RECONCILED -> reconciled++;
          case FAILED -> failed++;
          case OUTCOME_UNKNOWN -> {
            unknown++;
            onUnknown.accept(o.withRef(ref));
          }
          case RETRY_LATER -> {
            refused++;
            onUnknown.accept(o.withRef(ref));
          }
          case BUSY -> busy++;
          case NOTHING_TO_DO -> processed--;
        }
      } catch (PublishRefusedException e) {
        refused++;
      }
    }
    return new CycleResult(processed, published, reconciled, failed, unknown, busy, refused);
  }
}
