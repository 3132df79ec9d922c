package dev.tributary.pipelines.profiles;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInPost;
import dev.tributary.connectors.linkedin.LinkedInPostSource;
import dev.tributary.connectors.linkedin.LinkedInProfileUrl;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.profiles.ScrapeOutcome.Status;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one profile (S0.2): fetch its latest posts, drop reshares, dedupe on {@code post_url},
 * insert the new posts into {@code viral_posts_bank} (the insert trigger flags them for the
 * cascade) and refresh the counters of known ones, never duplicating a row. The outcome lands in
 * {@code profile_sync_status} (S0.7): success resets {@code consecutive_failures} and stamps {@code
 * last_scraped_at}; failure increments it and keeps {@code last_error}. Profile stats (S0.5) are
 * recomputed in the same transaction as the posts.
 *
 * <p>Never throws for a profile's own failure: the outcome says what happened, so a run goes on
 * with the next profile.
 */
public final class ProfileScraper {
  private static final Logger log = LoggerFactory.getLogger(ProfileScraper.class);

  /**
   * LinkedIn caps posts at 3,000 characters; anything far beyond is not a post worth storing whole.
   */
  public static final int MAX_CONTENT_CHARS = 100_000;

  static final int MAX_ERROR_CHARS = 1_000;

  private final Jdbc jdbc;
  private final LinkedInPostSource source;
  private final Retrying retrying;

  public ProfileScraper(DataSource dataSource, LinkedInPostSource source, Retrying retrying) {
    this.jdbc = new Jdbc(dataSource);
    this.source = source;
    this.retrying = retrying;
  }

  public ScrapeOutcome scrape(DueProfile profile) {
    if (!claim(profile)) {
      return ScrapeOutcome.notSynced(
          profile,
          Status.SKIPPED,
          profile.consecutiveFailures(),
          "another sync is scraping this profile");
    }
    if (LinkedInProfileUrl.publicId(profile.linkedinId()).isEmpty()) {
      return fail(
          profile,
          "malformed linkedin_id '"
              + shorten(String.valueOf(profile.linkedinId()), 80)
              + "': expected a public id like 'alexhormozi' or https://www.linkedin.com/in/<id>/");
    }
    List<LinkedInPost> fetched;
    try {
      fetched = retrying.call(() -> source.fetchPosts(profile.linkedinId()));
    } catch (ConnectorException e) {
      if (affectsEveryProfile(e)) {
        return abort(profile, e.getMessage());
      }
      return fail(
          profile,
          e.status() == 404
              ? "LinkedIn profile not found (HTTP 404): " + e.getMessage()
              : e.getMessage());
    } catch (RuntimeException e) {
      log.warn("fetching posts of profile {} failed unexpectedly", profile.profileId(), e);
      return fail(profile, "unexpected error while fetching posts: " + e);
    }
    try {
      return store(profile, fetched);
    } catch (RuntimeException e) {
      log.warn("storing posts of profile {} failed", profile.profileId(), e);
      return fail(profile, "could not store the posts: " + e.getMessage());
    }
  }

  /**
   * A rejected key, a missing subscription or an exhausted quota fails every profile alike:
   * counting it against each profile would disable them all after five runs.
   */
  static boolean affectsEveryProfile(ConnectorException e) {
    return e.status() == 401 || e.status() == 403 || e.status() == 429;
  }

  private boolean claim(DueProfile p) {
    return jdbc.inTransaction(
        "claim a profile",
        h ->
            h.update(
                    "UPDATE profiles SET sync_status = 'scraping'"
                        + " WHERE id = :id AND sync_status <> 'scraping'",
                    Params.of("id", p.profileId()))
                == 1);
  }

  private ScrapeOutcome store(DueProfile profile, List<LinkedInPost> fetched) {
    int reshares = 0;
    Map<String, LinkedInPost> unique = new LinkedHashMap<>();
    for (LinkedInPost p : fetched) {
      if (p.reshared()) {
        reshares++;
      } else {
        unique.putIfAbsent(p.postUrl(), p);
      }
    }
    int originals = fetched.size() - reshares;
    int duplicates = originals - unique.size();
    int dropped = reshares;
    List<LinkedInPost> posts = new ArrayList<>(unique.values());
    return jdbc.inTransaction(
        "store scraped posts",
        h -> {
          int[] counts = upsert(h, profile, posts);
          int inserted = counts[0];
          int refreshed = counts[1];
          markSynced(h, profile, fetched.size(), inserted);
          h.execute("SELECT update_profile_stats(:id)", Params.of("id", profile.profileId()));
          return new ScrapeOutcome(
              profile.profileId(),
              profile.linkedinId(),
              Status.SYNCED,
              fetched.size(),
              dropped,
              duplicates,
              inserted,
              refreshed,
              posts.size() - inserted - refreshed,
              0,
              null);
        });
  }

  private static final String UPSERT =
      """
      INSERT INTO viral_posts_bank AS v
             (author_id, post_url, external_post_id, content, likes, comments, reposts, posted_at)
      SELECT :author, u.post_url, nullif(u.urn, ''), u.content, u.likes, u.comments, u.reposts,
             u.posted_at::timestamptz
        FROM unnest(:urls::text[], :urns::text[], :contents::text[], :likes::int[], :comments::int[],
                    :reposts::int[], :posted_at::text[])
             AS u(post_url, urn, content, likes, comments, reposts, posted_at)
      ON CONFLICT (post_url) DO UPDATE
         SET likes = excluded.likes, comments = excluded.comments, reposts = excluded.reposts
       WHERE (v.likes, v.comments, v.reposts) IS DISTINCT FROM (excluded.likes, excluded.comments, excluded.reposts)
      RETURNING (xmax = 0) AS inserted
      """;

  /**
   * Inserts new posts and refreshes changed counters in one statement; returns {inserted,
   * refreshed}.
   */
  private static int[] upsert(Handle h, DueProfile profile, List<LinkedInPost> posts)
      throws SQLException {
    if (posts.isEmpty()) {
      return new int[] {0, 0};
    }
    int n = posts.size();
    String[] urls = new String[n];
    String[] urns = new String[n];
    String[] contents = new String[n];
    Integer[] likes = new Integer[n];
    Integer[] comments = new Integer[n];
    Integer[] reposts = new Integer[n];
    String[] posted = new String[n];
    for (int i = 0; i < n; i++) {
      LinkedInPost p = posts.get(i);
      urls[i] = p.postUrl();
      urns[i] = p.urn();
      contents[i] = cleanContent(p.text());
      likes[i] = p.likes();
      comments[i] = p.comments();
      reposts[i] = p.reposts();
      posted[i] = p.postedAt() == null ? null : p.postedAt().toString();
    }
    List<Boolean> inserts =
        h.query(
            UPSERT,
            Params.with("author", profile.profileId())
                .and("urls", urls)
                .and("urns", urns)
                .and("contents", contents)
                .and("likes", likes)
                .and("comments", comments)
                .and("reposts", reposts)
                .and("posted_at", posted),
            rs -> rs.getBoolean(1));
    int inserted = (int) inserts.stream().filter(Boolean::booleanValue).count();
    int refreshed = inserts.size() - inserted;
    return new int[] {inserted, refreshed};
  }

  /** Postgres text cannot hold NUL; a runaway text is cut. */
  static String cleanContent(String text) {
    String t = text == null ? "" : text.replace("\u0000", "");
    if (t.length() > MAX_CONTENT_CHARS) {
      int cut = MAX_CONTENT_CHARS;
      if (Character.isHighSurrogate(t.charAt(cut - 1))) {
        cut--;
      }
      t = t.substring(0, cut);
    }
    return t;
  }

  private static void markSynced(Handle h, DueProfile p, int scraped, int inserted)
      throws SQLException {
    h.update(
        """
        INSERT INTO profile_sync_status AS s
               (profile_id, last_scraped_at, last_attempt_at, consecutive_failures, last_error,
                last_posts_scraped, last_posts_new)
        VALUES (:id, now(), now(), 0, NULL, :scraped, :inserted)
        ON CONFLICT (profile_id) DO UPDATE
           SET last_scraped_at = now(), last_attempt_at = now(), consecutive_failures = 0, last_error = NULL,
               last_posts_scraped = excluded.last_posts_scraped, last_posts_new = excluded.last_posts_new
        """,
        Params.of("id", p.profileId(), "scraped", scraped, "inserted", inserted));
    h.update(
        "UPDATE profiles SET sync_status = 'synced', last_sync_at = now() WHERE id = :id",
        Params.of("id", p.profileId()));
  }

  private ScrapeOutcome fail(DueProfile p, String error) {
    String message = shorten(error, MAX_ERROR_CHARS);
    int failures =
        jdbc.inTransaction(
            "record a failed scrape",
            h -> {
              int f =
                  h.queryOne(
                          """
                          INSERT INTO profile_sync_status AS s
                                 (profile_id, last_attempt_at, consecutive_failures, last_error)
                          VALUES (:id, now(), 1, :error)
                          ON CONFLICT (profile_id) DO UPDATE
                             SET last_attempt_at = now(), consecutive_failures = s.consecutive_failures + 1,
                                 last_error = excluded.last_error
                          RETURNING consecutive_failures
                          """,
                          Params.of("id", p.profileId(), "error", message),
                          rs -> rs.getInt(1))
                      .orElseThrow();
              setStatus(h, p, "failed");
              return f;
            });
    log.info(
        "profile {} ({}) failed to sync ({} in a row): {}",
        p.profileId(),
        p.linkedinId(),
        failures,
        message);
    return ScrapeOutcome.notSynced(p, Status.FAILED, failures, message);
  }

  private ScrapeOutcome abort(DueProfile p, String error) {
    String message = shorten(error, MAX_ERROR_CHARS);
    jdbc.inTransaction(
        "record an aborted scrape",
        h -> {
          h.update(
              """
              INSERT INTO profile_sync_status AS s (profile_id, last_attempt_at, last_error)
              VALUES (:id, now(), :error)
              ON CONFLICT (profile_id) DO UPDATE SET last_attempt_at = now(), last_error = excluded.last_error
              """,
              Params.of("id", p.profileId(), "error", message));
          setStatus(h, p, "pending");
          return null;
        });
    return ScrapeOutcome.notSynced(p, Status.ABORTED, p.consecutiveFailures(), message);
  }

  private static void setStatus(Handle h, DueProfile p, String status) throws SQLException {
    h.update(
        "UPDATE profiles SET sync_status = :status WHERE id = :id",
        Params.of("status", status, "id", p.profileId()));
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
