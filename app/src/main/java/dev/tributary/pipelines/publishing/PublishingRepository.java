package dev.tributary.pipelines.publishing;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The publishing SQL: reading a row with its account, the attempt log, and the state changes of a
 * post (waiting, publishing, published, failed). Table and column names come from {@link Source}
 * constants, never from input; every value is bound.
 */
final class PublishingRepository {
  private PublishingRepository() {}

  private static final String SCHEDULED =
      """
      SELECT s.id, s.status, s.scheduled_at AS due_at, s.content, s.media::text AS media,
             a.id AS account_uuid, a.account_id, a.status AS account_status,
             a.provider_id AS list_identifier, false AS list_company, NULL AS as_organization,
             coalesce(s.profile_id, a.profile_id) AS profile_id, s.user_id, s.production_post_id,
             true AS page_active
        FROM scheduled_posts s
        LEFT JOIN LATERAL (
          SELECT ua.* FROM unipile_accounts ua
           WHERE ua.id = s.unipile_account_id
              OR (s.unipile_account_id IS NULL AND ua.profile_id = s.profile_id)
           ORDER BY (ua.status = 'connected') DESC, ua.created_at LIMIT 1) a ON true
       WHERE s.id = :id""";

  private static final String PRODUCTION =
      """
      SELECT p.id, p.status, p.publication_date AS due_at, p.content, p.media::text AS media,
             a.id AS account_uuid, a.account_id, a.status AS account_status,
             a.provider_id AS list_identifier, false AS list_company, NULL AS as_organization,
             p.author_id AS profile_id, p.user_id, NULL::uuid AS production_post_id,
             true AS page_active
        FROM production_posts p
        LEFT JOIN LATERAL (
          SELECT ua.* FROM unipile_accounts ua WHERE ua.profile_id = p.author_id
           ORDER BY (ua.status = 'connected') DESC, ua.created_at LIMIT 1) a ON true
       WHERE p.id = :id""";

  private static final String COMPANY =
      """
      SELECT c.id, c.status, c.scheduled_for AS due_at, c.content, c.media::text AS media,
             a.id AS account_uuid, a.account_id, a.status AS account_status,
             coalesce(cp.linkedin_company_id, a.provider_id) AS list_identifier,
             cp.linkedin_company_id IS NOT NULL AS list_company,
             cp.linkedin_company_id AS as_organization,
             NULL::uuid AS profile_id, cp.user_id, NULL::uuid AS production_post_id,
             cp.is_active AS page_active
        FROM company_published_posts c
        JOIN company_pages cp ON cp.id = c.company_page_id
        LEFT JOIN unipile_accounts a ON a.id = cp.unipile_account_id
       WHERE c.id = :id""";

  /** The row with its account; with {@code lock}, only if no other transaction holds it. */
  static Optional<Candidate> load(Handle h, PostRef ref, boolean lock) throws SQLException {
    String sql =
        switch (ref.kind()) {
          case SCHEDULED_POST -> SCHEDULED + (lock ? " FOR UPDATE OF s SKIP LOCKED" : "");
          case PRODUCTION_POST -> PRODUCTION + (lock ? " FOR UPDATE OF p SKIP LOCKED" : "");
          case COMPANY_POST -> COMPANY + (lock ? " FOR UPDATE OF c SKIP LOCKED" : "");
        };
    return h.queryOne(sql, Params.of("id", ref.id()), rs -> candidate(ref, rs));
  }

  private static Candidate candidate(PostRef ref, ResultSet rs) throws SQLException {
    return new Candidate(
        ref,
        rs.getString("status"),
        Handle.instant(rs, "due_at"),
        rs.getString("content"),
        rs.getString("media"),
        rs.getObject("account_uuid", UUID.class),
        rs.getString("account_id"),
        rs.getString("account_status"),
        rs.getString("list_identifier"),
        rs.getBoolean("list_company"),
        rs.getString("as_organization"),
        rs.getObject("profile_id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getObject("production_post_id", UUID.class),
        rs.getBoolean("page_active"));
  }

  static Optional<Attempt> latestAttempt(Handle h, PostRef ref) throws SQLException {
    return h.queryOne(
        """
        SELECT id, account_id, as_organization, content, state, started_at, external_post_id,
               retry_not_before
          FROM publishing_attempts WHERE source = :source AND source_id = :id
         ORDER BY started_at DESC, id LIMIT 1""",
        Params.of("source", ref.source(), "id", ref.id()),
        rs ->
            new Attempt(
                rs.getObject("id", UUID.class),
                ref,
                rs.getString("account_id"),
                rs.getString("as_organization"),
                rs.getString("content"),
                rs.getString("state"),
                Handle.instant(rs, "started_at"),
                rs.getString("external_post_id"),
                Handle.instant(rs, "retry_not_before")));
  }

  static int countAttempts(Handle h, PostRef ref, String state) throws SQLException {
    return h.queryOne(
            "SELECT count(*)::int FROM publishing_attempts"
                + " WHERE source = :source AND source_id = :id AND state = :state",
            Params.of("source", ref.source(), "id", ref.id()).and("state", state),
            rs -> rs.getInt(1))
        .orElse(0);
  }

  /** Waiting and due: now publishing, one more attempt counted. */
  static boolean claimWaiting(Handle h, Source s, UUID id, Instant now) throws SQLException {
    String extra =
        s == Source.PRODUCTION_POST
            ? """

               AND NOT EXISTS (SELECT 1 FROM scheduled_posts sp WHERE sp.production_post_id = t.id
                                  AND sp.status IN ('pending', 'publishing', 'published'))"""
            : "";
    return h.update(
            "UPDATE "
                + s.table
                + " t SET status = 'publishing', "
                + s.attempts
                + " = t."
                + s.attempts
                + " + 1, error_message = NULL, updated_at = :now"
                + " WHERE t.id = :id AND t.status = :waiting AND t."
                + s.due
                + " <= :now "
                + extra,
            Params.of("id", id, "now", now).and("waiting", s.waiting))
        == 1;
  }

  /** A further attempt of a row already publishing (after a refusal or an absent post). */
  static void countResend(Handle h, Source s, UUID id, Instant now) throws SQLException {
    h.update(
        "UPDATE "
            + s.table
            + " SET "
            + s.attempts
            + " = "
            + s.attempts
            + " + 1, updated_at = :now WHERE id = :id",
        Params.of("id", id, "now", now));
  }

  static Attempt insertAttempt(Handle h, Candidate c, String node, Instant now)
      throws SQLException {
    UUID id =
        h.queryOne(
                """
                INSERT INTO publishing_attempts
                  (source, source_id, account_id, as_organization, content, state, node, started_at)
                VALUES (:source, :id, :account, :org, :content, 'sending', :node, :now)
                RETURNING id""",
                Params.of("source", c.ref().source(), "id", c.ref().id(), "account", c.accountId())
                    .and("org", c.asOrganization())
                    .and("content", c.content())
                    .and("node", node)
                    .and("now", now),
                rs -> rs.getObject(1, UUID.class))
            .orElseThrow();
    return new Attempt(
        id, c.ref(), c.accountId(), c.asOrganization(), c.content(), "sending", now, null, null);
  }

  /** Moves an open attempt to its outcome; false when another node already did. */
  static boolean closeAttempt(
      Handle h,
      UUID attempt,
      String state,
      String externalId,
      String url,
      String error,
      boolean reconciled,
      Instant now)
      throws SQLException {
    return h.update(
            """
            UPDATE publishing_attempts
               SET state = :state, external_post_id = :external, post_url = :url,
                   error_message = :error, reconciled = :reconciled, finished_at = :now
             WHERE id = :id AND state IN ('sending', 'unknown')""",
            Params.of("id", attempt, "state", state, "external", externalId)
                .and("url", url)
                .and("error", error)
                .and("reconciled", reconciled)
                .and("now", now))
        == 1;
  }

  /** The provider's Retry-After on a refused attempt: nothing is sent again before it. */
  static void retryNotBefore(Handle h, UUID attempt, Instant at) throws SQLException {
    h.update(
        "UPDATE publishing_attempts SET retry_not_before = :at WHERE id = :id",
        Params.of("id", attempt, "at", at));
  }

  static void failRow(Handle h, PostRef ref, String message, Instant now) throws SQLException {
    Source s = ref.kind();
    h.update(
        "UPDATE "
            + s.table
            + " SET status = 'failed', error_message = :message, updated_at = :now"
            + " WHERE id = :id AND status IN (:waiting, 'publishing')",
        Params.of("id", ref.id(), "message", message, "now", now).and("waiting", s.waiting));
  }

  static void markDisconnected(Handle h, UUID accountUuid, Instant now) throws SQLException {
    h.update(
        "UPDATE unipile_accounts SET status = 'disconnected', updated_at = :now WHERE id = :id",
        Params.of("id", accountUuid, "now", now));
  }

  static void saveProviderId(Handle h, UUID accountUuid, String providerId) throws SQLException {
    h.update(
        "UPDATE unipile_accounts SET provider_id = :pid WHERE id = :id AND provider_id IS NULL",
        Params.of("id", accountUuid, "pid", providerId));
  }

  /** The provider post ids some attempt already answers for. */
  static List<String> claimedExternalIds(Handle h, List<String> ids) throws SQLException {
    return h.query(
        "SELECT external_post_id FROM publishing_attempts WHERE external_post_id = ANY(:ids)",
        Params.of("ids", ids.toArray(String[]::new)),
        rs -> rs.getString(1));
  }
}
