package dev.tributary.pipelines.publishing;

import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.Jobs;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What operators do with publishing (CLI and HTTP): list rows, retry a failed row (it reconciles
 * first: its last attempt is checked against the account's posts before anything is sent), cancel a
 * waiting row, read the status. Works without an engine running (the CLI).
 */
public final class PublishingOperations {
  private static final String VIEWS =
      """
      SELECT * FROM (
        SELECT 'scheduled_post' AS source, id, status, scheduled_at AS due_at, published_at,
               external_post_id, post_url, attempts, error_message, left(content, 80) AS preview
          FROM scheduled_posts
        UNION ALL
        SELECT 'production_post', id, status, publication_date, published_at, external_post_id,
               post_url, publish_attempts, error_message, left(coalesce(content, ''), 80)
          FROM production_posts WHERE status IN ('scheduled', 'publishing', 'published', 'failed')
        UNION ALL
        SELECT 'company_post', id, status, scheduled_for, published_at, external_post_id, post_url,
               attempts, error_message, left(content, 80)
          FROM company_published_posts) v
      """;

  private final Jdbc jdbc;
  private final Clock clock;

  public PublishingOperations(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** Rows in {@code status} (any when null), most recently due first. */
  public List<PostView> list(String status, int limit) {
    return jdbc.query(
        VIEWS
            + " WHERE (CAST(:status AS text) IS NULL OR status = :status)"
            + " ORDER BY due_at DESC NULLS LAST, id LIMIT :limit",
        Params.of("status", status, "limit", limit),
        PublishingOperations::view);
  }

  /** Waiting rows due now (what the next cycle takes), oldest first. */
  public List<PostView> due(int limit) {
    return jdbc.query(
        VIEWS
            + " WHERE status IN ('pending', 'scheduled') AND due_at <= :now"
            + " ORDER BY due_at, id LIMIT :limit",
        Params.of("now", clock.instant(), "limit", limit),
        PublishingOperations::view);
  }

  public Optional<PostView> get(PostRef ref) {
    return jdbc.queryOne(
        VIEWS + " WHERE source = :source AND id = :id",
        Params.of("source", ref.source(), "id", ref.id()),
        PublishingOperations::view);
  }

  /**
   * A failed row goes back to publishing with its last attempt reopened as unknown, so that the
   * publisher lists the account's posts before sending again; a job moves it on now. Returns false
   * when the row is not failed.
   */
  public boolean retry(PostRef ref, Jobs jobs) {
    Source s = ref.kind();
    Instant now = clock.instant();
    boolean retried =
        jdbc.inTransaction(
            "retry " + ref,
            h -> {
              int n =
                  h.update(
                      "UPDATE "
                          + s.table
                          + " SET status = 'publishing', error_message = NULL,"
                          + " updated_at = :now WHERE id = :id AND status = 'failed'",
                      Params.of("id", ref.id(), "now", now));
              if (n == 0) {
                return false;
              }
              h.update(
                  """
                  UPDATE publishing_attempts SET state = 'unknown', finished_at = NULL
                   WHERE id = (SELECT id FROM publishing_attempts
                                WHERE source = :source AND source_id = :id
                                ORDER BY started_at DESC, id LIMIT 1)
                     AND state IN ('failed', 'refused')""",
                  Params.of("source", ref.source(), "id", ref.id()));
              jobs.enqueue(
                  h.connection(),
                  dev.tributary.engine.NewJob.of(
                      PublishingJobs.PUBLISH,
                      ref,
                      EnqueueOptions.DEFAULTS
                          .queue(PublishingJobs.QUEUE)
                          .maxAttempts(10)
                          .uniqueKey("publishing:" + ref.source() + ":" + ref.id() + ":retry")));
              return true;
            });
    return retried;
  }

  /**
   * A waiting (or failed) row stops: a scheduled or company post becomes cancelled, a production
   * post goes back to approved. Its job is cancelled by the table's trigger. False when the row is
   * publishing or done.
   */
  public boolean cancel(PostRef ref) {
    Source s = ref.kind();
    String to = s == Source.PRODUCTION_POST ? "approved" : "cancelled";
    return jdbc.update(
            "UPDATE "
                + s.table
                + " SET status = :to, updated_at = :now"
                + " WHERE id = :id AND status IN (:waiting, 'failed')",
            Params.of("id", ref.id(), "to", to, "now", clock.instant()).and("waiting", s.waiting))
        == 1;
  }

  /**
   * Schedules a post; a date in the past, an unknown account or one that is not connected is an
   * IllegalArgumentException (nothing is written). The table's trigger gives it its job. With
   * {@code ownAccountsOnly}, an account of another user is unknown.
   */
  public UUID schedule(NewScheduledPost post, UUID userId, boolean ownAccountsOnly) {
    Instant now = clock.instant();
    if (post.scheduledAt().isBefore(now.minusSeconds(60))) {
      throw new IllegalArgumentException(
          "scheduled_at " + post.scheduledAt() + " is in the past (now " + now + ")");
    }
    String media;
    try {
      media = MEDIA_JSON.writeValueAsString(post.media());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return jdbc.inTransaction(
        "schedule a post",
        h -> {
          Optional<String[]> account =
              h.queryOne(
                  "SELECT status, profile_id::text, user_id FROM unipile_accounts WHERE id = :id",
                  Params.of("id", post.unipileAccountId()),
                  rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          if (account.isEmpty()
              || (ownAccountsOnly
                  && (userId == null || !userId.toString().equals(account.get()[2])))) {
            throw new IllegalArgumentException(
                "unknown Unipile account " + post.unipileAccountId());
          }
          if (!account.get()[0].equals("connected")) {
            throw new IllegalArgumentException(
                "the Unipile account is " + account.get()[0] + ": reconnect it first");
          }
          return h.queryOne(
                  """
                  INSERT INTO scheduled_posts
                    (user_id, profile_id, unipile_account_id, content, media, scheduled_at)
                  VALUES (:user, CAST(:profile AS uuid), :account, :content, CAST(:media AS jsonb), :at)
                  RETURNING id""",
                  Params.of(
                          "user",
                          userId,
                          "profile",
                          account.get()[1],
                          "account",
                          post.unipileAccountId())
                      .and("content", post.content())
                      .and("media", media)
                      .and("at", post.scheduledAt()),
                  rs -> rs.getObject(1, UUID.class))
              .orElseThrow();
        });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper MEDIA_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Moves a waiting scheduled post (its job moves with it). False when it no longer waits. */
  public boolean reschedule(UUID scheduledPostId, Instant at) {
    return jdbc.update(
            "UPDATE scheduled_posts SET scheduled_at = :at, updated_at = :now"
                + " WHERE id = :id AND status = 'pending'",
            Params.of("id", scheduledPostId, "at", at, "now", clock.instant()))
        == 1;
  }

  public PublishingStatus status() {
    Instant now = clock.instant();
    Instant today =
        now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    return jdbc.withConnection("read the publishing status", h -> status(h, now, today));
  }

  private PublishingStatus status(Handle h, Instant now, Instant today)
      throws java.sql.SQLException {
    Params p = Params.of("now", now, "today", today);
    long[] counts =
        h.queryOne(
                "SELECT count(*) FILTER (WHERE status IN ('pending', 'scheduled') AND due_at <= :now),"
                    + " count(*) FILTER (WHERE status IN ('pending', 'scheduled')),"
                    + " count(*) FILTER (WHERE status = 'publishing'),"
                    + " count(*) FILTER (WHERE status = 'published' AND published_at >= :today),"
                    + " count(*) FILTER (WHERE status = 'failed'),"
                    + " percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - due_at) * 1000)"
                    + "   FILTER (WHERE status = 'published' AND published_at >= :today),"
                    + " percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - due_at) * 1000)"
                    + "   FILTER (WHERE status = 'published' AND published_at >= :today)"
                    + " FROM ("
                    + VIEWS
                    + ") s",
                p,
                rs ->
                    new long[] {
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getObject(6) == null ? -1 : Math.round(rs.getDouble(6)),
                      rs.getObject(7) == null ? -1 : Math.round(rs.getDouble(7))
                    })
            .orElseThrow();
    long partial =
        h.queryOne(
                "SELECT count(DISTINCT published_post_id) FROM company_published_posts WHERE status = 'failed'",
                Params.NONE,
                rs -> rs.getLong(1))
            .orElse(0L);
    long reconciled =
        h.queryOne(
                "SELECT count(*) FROM publishing_attempts WHERE reconciled AND state = 'created'"
                    + " AND finished_at >= :today",
                p,
                rs -> rs.getLong(1))
            .orElse(0L);
    List<PostView> failures =
        h.query(
            VIEWS + " WHERE status = 'failed' ORDER BY due_at DESC NULLS LAST LIMIT 20",
            Params.NONE,
            PublishingOperations::view);
    List<PublishingStatus.AccountCounts> accounts =
        h.query(
            """
            SELECT a.account_id, a.status,
                   (SELECT count(*) FROM scheduled_posts s
                     WHERE s.unipile_account_id = a.id AND s.status = 'pending'),
                   (SELECT count(*) FROM publishing_attempts t
                     WHERE t.account_id = a.account_id AND t.state = 'created'),
                   (SELECT count(DISTINCT (t.source, t.source_id)) FROM publishing_attempts t
                     WHERE t.account_id = a.account_id AND t.state = 'failed')
              FROM unipile_accounts a ORDER BY a.account_id""",
            Params.NONE,
            rs ->
                new PublishingStatus.AccountCounts(
                    rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    return new PublishingStatus(
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4],
        partial,
        reconciled,
        counts[5] < 0 ? null : counts[5],
        counts[6] < 0 ? null : counts[6],
        failures,
        accounts);
  }

  private static PostView view(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new PostView(
        rs.getString("source"),
        rs.getObject("id", UUID.class),
        rs.getString("status"),
        Handle.instant(rs, "due_at"),
        Handle.instant(rs, "published_at"),
        rs.getString("external_post_id"),
        rs.getString("post_url"),
        rs.getInt("attempts"),
        rs.getString("error_message"),
        rs.getString("preview"));
  }
}
