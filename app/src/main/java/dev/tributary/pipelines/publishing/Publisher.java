package dev.tributary.pipelines.publishing;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.unipile.Attachment;
import dev.tributary.connectors.unipile.MediaFetcher;
import dev.tributary.connectors.unipile.PostDraft;
import dev.tributary.connectors.unipile.UnipileClient;
import dev.tributary.connectors.unipile.UnipileException;
import dev.tributary.connectors.unipile.UnipilePost;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.pipelines.publishing.PublishOutcome.Result;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one row, exactly once. Each call moves the row one or two steps and is safe to run on
 * any node at any time, as often as wanted:
 *
 * <ol>
 *   <li>A due waiting row is claimed (its row lock taken with SKIP LOCKED, status {@code
 *       publishing}) and an attempt is recorded, in one transaction, before the provider is called.
 *   <li>The answer closes the attempt: created (the row is published, copied to {@code
 *       published_posts}, company re-posts queued), refused (retried with backoff), final (the row
 *       fails with the provider's reason; a disconnected account is marked), or unknown. A refusal
 *       that says when to come back (Retry-After) is not sent again before that time.
 *   <li>An unknown outcome (timeout, dropped connection, 500/502/504; or a node killed mid-call,
 *       which leaves the attempt {@code sending}) is never resent blindly: after the timeout and a
 *       settle delay the account's recent posts are listed; a post with the same text since the
 *       attempt began is taken as this one (published), otherwise the attempt is {@code absent} and
 *       the row is sent again.
 * </ol>
 */
public final class Publisher {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);

  /** After this many refusals (429/503) in a row the post fails with the last reason. */
  public static final int MAX_REFUSALS = 8;

  /** How far before the attempt a listed post may be dated (clock skew between us and LinkedIn). */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  static final int PAGE_SIZE = 100;

  /** At most this many pages are listed to settle one attempt. */
  static final int MAX_LISTED_PAGES = 20;

  private final Jdbc jdbc;
  private final UnipileClient client;
  private final MediaFetcher media;
  private final Clock clock;
  private final String node;
  private final Duration checkAfter;
  private final PublishingMetrics metrics;

  /**
   * @param checkAfter how long after an attempt began its outcome may still be unknown: the
   *     client's timeout plus the settle delay
   */
  public Publisher(
      DataSource dataSource,
      UnipileClient client,
      MediaFetcher media,
      Clock clock,
      String node,
      Duration checkAfter,
      PublishingMetrics metrics) {
    this.jdbc = new Jdbc(dataSource);
    this.client = client;
    this.media = media;
    this.clock = clock;
    this.node = node;
    this.checkAfter = checkAfter;
    this.metrics = metrics;
  }

  private sealed interface Prep {}

  private record Done(PublishOutcome outcome) implements Prep {}

  private record Send(Candidate candidate, Attempt attempt) implements Prep {}

  private record Check(Candidate candidate, Attempt attempt) implements Prep {}

  /** Moves {@code ref} on as far as it can go now; see the class comment. */
  public PublishOutcome advance(PostRef ref) {
    for (int step = 0; step < 3; step++) {
      Prep prep = jdbc.inTransaction("prepare " + ref, h -> prepare(h, ref));
      PublishOutcome outcome =
          switch (prep) {
            case Done d -> d.outcome();
            case Send s -> send(s.candidate(), s.attempt());
            case Check c -> check(c.candidate(), c.attempt());
          };
      if (outcome != null) {
        metrics.outcome(ref, outcome.result());
        return outcome;
      }
    }
    return PublishOutcome.of(Result.BUSY, "still settling after three steps");
  }

  private Prep prepare(Handle h, PostRef ref) throws SQLException {
    Instant now = clock.instant();
    Optional<Candidate> locked = PublishingRepository.load(h, ref, true);
    if (locked.isEmpty()) {
      boolean exists = PublishingRepository.load(h, ref, false).isPresent();
      return new Done(PublishOutcome.of(exists ? Result.BUSY : Result.NOTHING_TO_DO));
    }
    Candidate c = locked.get();
    Source s = ref.kind();
    if (c.status().equals(s.waiting)) {
      if (c.dueAt() == null || c.dueAt().isAfter(now)) {
        return new Done(PublishOutcome.of(Result.NOTHING_TO_DO, "not due before " + c.dueAt()));
      }
      if (!PublishingRepository.claimWaiting(h, s, ref.id(), now)) {
        return new Done(
            PublishOutcome.of(Result.NOTHING_TO_DO, "published with its scheduled post"));
      }
    } else if (c.status().equals("publishing")) {
      Optional<Attempt> last = PublishingRepository.latestAttempt(h, ref);
      if (last.isPresent() && last.get().open()) {
        return new Check(c, last.get());
      }
      Instant notBefore = last.map(Attempt::retryNotBefore).orElse(null);
      if (notBefore != null && notBefore.isAfter(now)) {
        return new Done(
            PublishOutcome.retryAt(notBefore, "Unipile asked to wait until " + notBefore));
      }
      PublishingRepository.countResend(h, s, ref.id(), now);
    } else {
      return new Done(PublishOutcome.of(Result.NOTHING_TO_DO, "status " + c.status()));
    }
    String refusal = c.refusal();
    if (refusal != null) {
      PublishingRepository.failRow(h, ref, refusal, now);
      return new Done(PublishOutcome.of(Result.FAILED, refusal));
    }
    return new Send(c, PublishingRepository.insertAttempt(h, c, node, now));
  }

  private PublishOutcome send(Candidate c, Attempt attempt) {
    List<Attachment> attachments;
    try {
      attachments = attachments(c);
    } catch (ConnectorException | IllegalArgumentException e) {
      return fail(c, attempt, e.getMessage(), false);
    }
    PostDraft draft = new PostDraft(c.accountId(), c.content(), attachments, c.asOrganization());
    String postId;
    try {
      postId = client.createPost(draft);
    } catch (UnipileException e) {
      return switch (e.outcome()) {
        case REFUSED -> refused(c, attempt, e);
        case FINAL -> fail(c, attempt, e.getMessage(), e.disconnectedAccount());
        case UNKNOWN -> unknown(attempt, e);
      };
    }
    String url = "https://www.linkedin.com/feed/update/urn:li:activity:" + postId;
    return publish(c, attempt, postId, url, false);
  }

  private PublishOutcome publish(
      Candidate c, Attempt attempt, String postId, String url, boolean reconciled) {
    Instant now = clock.instant();
    return jdbc.inTransaction(
        "record " + c.ref() + " as published",
        h -> {
          if (!PublishingRepository.closeAttempt(
              h, attempt.id(), "created", postId, url, null, reconciled, now)) {
            log.warn("attempt {} of {} was settled elsewhere first", attempt.id(), c.ref());
            return PublishOutcome.of(Result.NOTHING_TO_DO, "settled elsewhere");
          }
          int queued = PublishedWrites.published(h, c, postId, url, now);
          if (c.dueAt() != null) {
            metrics.late(Duration.between(c.dueAt(), attempt.startedAt()));
          }
          String late =
              c.dueAt() == null
                  ? ""
                  : ", " + Duration.between(c.dueAt(), now).toMillis() + " ms late";
          return PublishOutcome.of(
              reconciled ? Result.RECONCILED : Result.PUBLISHED,
              "post " + postId + late + (queued > 0 ? ", " + queued + " company re-posts" : ""));
        });
  }

  private PublishOutcome fail(Candidate c, Attempt attempt, String message, boolean disconnected) {
    String shown =
        disconnected
            ? message + " — the account is marked disconnected: reconnect it, then retry the post"
            : message;
    Instant now = clock.instant();
    jdbc.inTransaction(
        "record " + c.ref() + " as failed",
        h -> {
          if (PublishingRepository.closeAttempt(
              h, attempt.id(), "failed", null, null, shown, false, now)) {
            PublishingRepository.failRow(h, c.ref(), shown, now);
            if (disconnected && c.accountUuid() != null) {
              PublishingRepository.markDisconnected(h, c.accountUuid(), now);
            }
          }
          return null;
        });
    return PublishOutcome.of(Result.FAILED, shown);
  }

  private PublishOutcome refused(Candidate c, Attempt attempt, UnipileException e) {
    Instant now = clock.instant();
    Instant notBefore = e.retryAfter().map(now::plus).orElse(null);
    int refusals =
        jdbc.inTransaction(
            "record a refusal of " + c.ref(),
            h -> {
              PublishingRepository.closeAttempt(
                  h, attempt.id(), "refused", null, null, e.getMessage(), false, now);
              if (notBefore != null) {
                PublishingRepository.retryNotBefore(h, attempt.id(), notBefore);
              }
              int n = PublishingRepository.countAttempts(h, c.ref(), "refused");
              if (n >= MAX_REFUSALS) {
                PublishingRepository.failRow(
                    h, c.ref(), "refused " + n + " times, last: " + e.getMessage(), now);
              }
              return n;
            });
    if (refusals >= MAX_REFUSALS) {
      return PublishOutcome.of(Result.FAILED, e.getMessage());
    }
    if (notBefore != null) {
      // the provider said when: the next try is due then, not at the engine's backoff
      return PublishOutcome.retryAt(notBefore, e.getMessage());
    }
    throw new PublishRefusedException(e.getMessage(), null);
  }

  private PublishOutcome unknown(Attempt attempt, UnipileException e) {
    jdbc.update(
        """
        UPDATE publishing_attempts SET state = 'unknown', error_message = :error
         WHERE id = :id AND state = 'sending'""",
        dev.tributary.jdbc.Params.of("id", attempt.id(), "error", e.getMessage()));
    log.warn("outcome of attempt {} unknown ({}): checking later", attempt.id(), e.getMessage());
    return PublishOutcome.unknownUntil(attempt.startedAt().plus(checkAfter), e.getMessage());
  }

  /** Settles an open attempt by listing the account's posts, once its answer can no longer come. */
  private PublishOutcome check(Candidate c, Attempt attempt) {
    Instant due = attempt.startedAt().plus(checkAfter);
    if (clock.instant().isBefore(due)) {
      return PublishOutcome.unknownUntil(
          due, "outcome of attempt " + attempt.id() + " not known yet");
    }
    String identifier = c.listIdentifier();
    if (identifier == null) {
      identifier = client.ownProviderId(attempt.accountId());
      String found = identifier;
      jdbc.inTransaction(
          "save the provider id",
          h -> {
            PublishingRepository.saveProviderId(h, c.accountUuid(), found);
            return null;
          });
    }
    Listing listing = list(attempt, identifier, c.listAsCompany());
    List<UnipilePost> matches = listing.matches();
    boolean covered = listing.covered();
    int seen = listing.seen();
    List<String> claimed =
        matches.isEmpty()
            ? List.of()
            : jdbc.withConnection(
                "read claimed post ids",
                h ->
                    PublishingRepository.claimedExternalIds(
                        h, matches.stream().map(UnipilePost::id).toList()));
    Optional<UnipilePost> mine =
        matches.reversed().stream().filter(p -> !claimed.contains(p.id())).findFirst();
    if (mine.isEmpty() && !covered) {
      // never resend on a partial look: the post may be further back than we listed
      throw new IllegalStateException(
          "listed "
              + seen
              + " posts of "
              + attempt.accountId()
              + " without reaching the time of attempt "
              + attempt.id()
              + ": its outcome stays unknown");
    }
    if (mine.isPresent()) {
      UnipilePost p = mine.get();
      String url =
          p.shareUrl() != null
              ? p.shareUrl()
              : "https://www.linkedin.com/feed/update/urn:li:activity:" + p.id();
      log.info("attempt {} of {} reconciled: post {} exists", attempt.id(), c.ref(), p.id());
      return publish(c, attempt, p.id(), url, true);
    }
    Instant now = clock.instant();
    int listedCount = seen;
    jdbc.inTransaction(
        "record attempt " + attempt.id() + " as absent",
        h ->
            PublishingRepository.closeAttempt(
                h,
                attempt.id(),
                "absent",
                null,
                null,
                "not among the account's " + listedCount + " posts since the attempt",
                true,
                now));
    log.info("attempt {} of {} created nothing: sending again", attempt.id(), c.ref());
    return null; // the next step sends again
  }

  /** The posts with the attempt's text since it began, and whether the listing got that far. */
  private record Listing(List<UnipilePost> matches, int seen, boolean covered) {}

  private Listing list(Attempt attempt, String identifier, boolean company) {
    Instant earliest = attempt.startedAt().minus(CLOCK_SKEW);
    List<UnipilePost> matches = new ArrayList<>();
    int seen = 0;
    boolean covered = false;
    String cursor = null;
    // newest first, page after page, until the posts are older than the attempt (minus skew)
    for (int page = 0; page < MAX_LISTED_PAGES && !covered; page++) {
      UnipileClient.PostPage p =
          client.listPage(attempt.accountId(), identifier, company, PAGE_SIZE, cursor);
      for (UnipilePost post : p.posts()) {
        seen++;
        if (post.publishedAt() != null && post.publishedAt().isBefore(earliest)) {
          covered = true;
        } else if (sameText(post.text(), attempt.content())) {
          matches.add(post);
        }
      }
      cursor = p.cursor();
      covered |= cursor == null;
    }
    return new Listing(matches, seen, covered);
  }

  static boolean sameText(String a, String b) {
    return a != null && b != null && normalize(a).equals(normalize(b));
  }

  private static String normalize(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  private List<Attachment> attachments(Candidate c) {
    List<Attachment> out = new ArrayList<>();
    for (MediaItem m : MediaItem.parse(c.mediaJson())) {
      out.add(media.fetch(m.url(), m.name(), m.type()));
    }
    return out;
  }
}
