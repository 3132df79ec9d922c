package dev.tributary.pipelines.enrichment;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import javax.sql.DataSource;

/**
 * The monthly style refresh (S1.8, seed cron {@code 0 3 1 * *}): internal profiles with more than
 * {@value #MIN_POSTS_EXCLUSIVE} posts are flagged {@code needs_style_analysis}; the
 * profile-completion worker then re-analyses them. Flagging rather than analysing here keeps the
 * refresh instant and lets the worker's claims spread the model calls over the cluster.
 */
public final class StyleRefresh {
  public static final int MIN_POSTS_EXCLUSIVE = 20;

  private final Jdbc jdbc;

  public StyleRefresh(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** Flags the profiles due for a refresh; returns how many were flagged. */
  public int markInternalProfiles() {
    return jdbc.inTransaction(
        "flag profiles for the style refresh",
        h ->
            h.update(
                """
                UPDATE profiles p SET needs_style_analysis = true
                 WHERE p.type = 'internal' AND NOT p.needs_style_analysis
                   AND (SELECT count(*) FROM viral_posts_bank v WHERE v.author_id = p.id) > :min_posts
                """,
                Params.of("min_posts", MIN_POSTS_EXCLUSIVE)));
  }
}
