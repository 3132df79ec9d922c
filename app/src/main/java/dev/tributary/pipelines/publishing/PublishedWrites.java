package dev.tributary.pipelines.publishing;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * What "published" writes, in the transaction that closes the attempt: the row's own status and
 * provider ids, the {@code published_posts} copy, and for a profile's post the company-page
 * re-posts its enabled rules ask for (queued in {@code company_published_posts}, due after each
 * rule's delay; a trigger gives each its job). Every insert is once per source: the unique
 * constraints hold it.
 */
final class PublishedWrites {
  private PublishedWrites() {}

  /** Returns how many company re-posts were queued. */
  static int published(Handle h, Candidate c, String externalId, String url, Instant now)
      throws SQLException {
    Source s = c.ref().kind();
    h.update(
        "UPDATE "
            + s.table
            + " SET status = 'published', external_post_id = :external, post_url = :url,"
            + " published_at = :now, error_message = NULL, updated_at = :now"
            + " WHERE id = :id AND status = 'publishing'",
        Params.of("id", c.ref().id(), "external", externalId, "url", url).and("now", now));
    if (s == Source.COMPANY_POST) {
      return 0;
    }
    if (c.productionPostId() != null) {
      // the scheduled post carries a generated post: that one is published with it, not again
      h.update(
          """
          UPDATE production_posts
             SET status = 'published', external_post_id = :external, post_url = :url,
                 published_at = :now, updated_at = :now
           WHERE id = :id AND status NOT IN ('published', 'publishing')""",
          Params.of("id", c.productionPostId(), "external", externalId, "url", url)
              .and("now", now));
    }
    UUID publishedId =
        h.queryOne(
                "INSERT INTO published_posts (user_id, profile_id, unipile_account_id, source, "
                    + (s == Source.SCHEDULED_POST ? "scheduled_post_id" : "production_post_id")
                    + """
                    , content, media, external_post_id, post_url, published_at)
                    VALUES (:user, :profile, :account, :source, :id, :content, :media::jsonb,
                            :external, :url, :now)
                    ON CONFLICT DO NOTHING
                    RETURNING id""",
                Params.of("user", c.userId(), "profile", c.profileId(), "account", c.accountUuid())
                    .and("source", c.ref().source())
                    .and("id", c.ref().id())
                    .and("content", c.content())
                    .and("media", c.mediaJson())
                    .and("external", externalId)
                    .and("url", url)
                    .and("now", now),
                rs -> rs.getObject(1, UUID.class))
            .orElse(null);
    if (publishedId == null || c.profileId() == null) {
      return 0;
    }
    return h.update(
        """
        INSERT INTO company_published_posts
          (company_page_id, rule_id, published_post_id, content, media, status, scheduled_for)
        SELECT r.company_page_id, r.id, :published,
               CASE WHEN coalesce(btrim(r.content_prefix), '') = '' THEN :content
                    ELSE r.content_prefix || E'\\n\\n' || :content END,
               CASE WHEN r.include_media THEN :media::jsonb ELSE '[]'::jsonb END,
               'pending', CAST(:now AS timestamptz) + make_interval(mins => r.delay_minutes)
          FROM company_auto_post_rules r
          JOIN company_pages cp ON cp.id = r.company_page_id
         WHERE r.profile_id = :profile AND r.is_enabled AND cp.is_active
        ON CONFLICT (company_page_id, published_post_id) DO NOTHING""",
        Params.of("published", publishedId, "content", c.content(), "media", c.mediaJson())
            .and("now", now)
            .and("profile", c.profileId()));
  }
}
