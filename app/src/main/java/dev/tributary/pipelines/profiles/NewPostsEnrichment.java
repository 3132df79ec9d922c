package dev.tributary.pipelines.profiles;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * How far a sync run's new posts got through embedding and hook classification, counted from the
 * database whichever worker did the work (the run's own drain or the background cascade, which the
 * posts' insert triggers wake and which often claims them first), and a bounded wait for the rest
 * before the answer (S0.8).
 *
 * <p>A run's new posts are the posts of the profiles it synced whose row was created after the run
 * started ({@code sync_jobs.started_at}, the database's clock like {@code created_at}): a profile
 * is scraped by one run at a time, and known posts keep their {@code created_at}. A post still to
 * do is one its worker will take: no embedding and {@code needs_embedding}; no hook type and a hook
 * to extract or classify. A post that is neither done nor flagged (no text to embed, a hook the
 * classifier found no type for) is in neither count.
 */
final class NewPostsEnrichment {
  /** Between two counts while waiting. */
  static final Duration PAUSE = Duration.ofMillis(250);

  private static final String COUNT =
      """
      SELECT count(*) FILTER (WHERE v.embedding IS NOT NULL) AS embedded,
             count(*) FILTER (WHERE v.hook_type_id IS NOT NULL) AS classified,
             count(*) FILTER (WHERE v.embedding IS NULL AND v.needs_embedding) AS embeddings_left,
             count(*) FILTER (WHERE v.hook_type_id IS NULL
                                AND (v.needs_hook_extraction OR v.needs_hook_classification)) AS hooks_left
        FROM sync_jobs j
        JOIN viral_posts_bank v ON v.author_id = ANY(:profiles) AND v.created_at >= j.started_at
       WHERE j.id = :job""";

  /**
   * This run's new posts: how many are embedded and hook-classified, and how many of those asked
   * for are still to do (0 for what was not asked).
   */
  record Counts(int embedded, int hooksClassified, int embeddingsPending, int hooksPending) {
    static final Counts NONE = new Counts(0, 0, 0, 0);

    boolean complete() {
      return embeddingsPending == 0 && hooksPending == 0;
    }

    /** Only what the run was asked for. */
    Counts asked(boolean embeddings, boolean hooks) {
      return new Counts(
          embeddings ? embedded : 0,
          hooks ? hooksClassified : 0,
          embeddings ? embeddingsPending : 0,
          hooks ? hooksPending : 0);
    }
  }

  private final Jdbc jdbc;

  NewPostsEnrichment(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** Counts this run's new posts by the profiles it synced. */
  Counts count(UUID jobId, List<UUID> syncedProfiles) {
    if (syncedProfiles.isEmpty()) {
      return Counts.NONE;
    }
    return jdbc.queryOne(
            COUNT,
            Params.of("job", jobId, "profiles", syncedProfiles.toArray(UUID[]::new)),
            rs ->
                new Counts(
                    rs.getInt("embedded"),
                    rs.getInt("classified"),
                    rs.getInt("embeddings_left"),
                    rs.getInt("hooks_left")))
        .orElse(Counts.NONE);
  }

  /**
   * Counts what was asked for, recounting every {@link #PAUSE} until nothing asked is pending or
   * {@code wait} has passed; returns the last count.
   */
  Counts await(
      UUID jobId, List<UUID> syncedProfiles, boolean embeddings, boolean hooks, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    Counts counts = count(jobId, syncedProfiles).asked(embeddings, hooks);
    while (!counts.complete()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Thread.sleep(Duration.ofNanos(Math.min(left, PAUSE.toNanos())));
      counts = count(jobId, syncedProfiles).asked(embeddings, hooks);
    }
    return counts;
  }
}
