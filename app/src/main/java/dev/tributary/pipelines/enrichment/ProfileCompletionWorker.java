package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.StyleAnalyser;
import dev.tributary.ai.StyleAnalysis;
import dev.tributary.ai.TokenUsage;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code worker-complete-profiles-v2} (S1.1): profiles without a style yet, or flagged {@code
 * needs_style_analysis} (the monthly refresh, S1.8), get {@code writing_style_prompt}, {@code
 * style_analysis}, {@code style_analyzed_by} and {@code style_analyzed_at} from their most recent
 * posts. Profiles with fewer than {@code minPosts} posts with text wait: a style read from one or
 * two posts would be noise.
 */
public final class ProfileCompletionWorker implements CascadeWorker {
  public static final String NAME = "worker_complete_profiles_v2";
  public static final int DEFAULT_MIN_POSTS = 3;
  public static final int DEFAULT_SAMPLE_POSTS = 30;

  private final Jdbc jdbc;
  private final StyleAnalyser analyser;
  private final int minPosts;
  private final int samplePosts;

  public ProfileCompletionWorker(DataSource dataSource, StyleAnalyser analyser) {
    this(dataSource, analyser, DEFAULT_MIN_POSTS, DEFAULT_SAMPLE_POSTS);
  }

  public ProfileCompletionWorker(
      DataSource dataSource, StyleAnalyser analyser, int minPosts, int samplePosts) {
    if (minPosts < 1 || samplePosts < minPosts) {
      throw new IllegalArgumentException(
          "need 1 <= minPosts <= samplePosts, got " + minPosts + " and " + samplePosts);
    }
    this.jdbc = new Jdbc(dataSource);
    this.analyser = analyser;
    this.minPosts = minPosts;
    this.samplePosts = samplePosts;
  }

  @Override
  public String name() {
    return NAME;
  }

  private record ClaimedProfile(UUID id, String fullName) {}

  @Override
  public WorkerResult processBatch(int maxItems) {
    List<ClaimedProfile> profiles = claim(maxItems);
    int processed = 0;
    int failed = 0;
    TokenUsage usage = TokenUsage.NONE;
    RuntimeException failure = null;
    for (ClaimedProfile p : profiles) {
      try {
        List<String> posts = recentPosts(p.id());
        StyleAnalysis s = analyser.analyse(p.fullName() == null ? "" : p.fullName(), posts);
        usage = usage.plus(s.usage());
        jdbc.inTransaction(
            "store a style analysis",
            h ->
                h.update(
                    """
                    UPDATE profiles
                       SET writing_style_prompt = :prompt, style_analysis = :analysis::jsonb,
                           style_analyzed_by = :analyzed_by, style_analyzed_at = now(),
                           needs_style_analysis = false, style_locked_at = NULL
                     WHERE id = :id
                    """,
                    Params.with("prompt", s.writingStylePrompt())
                        .and("analysis", s.styleAnalysis().toString())
                        .and("analyzed_by", s.analyzedBy())
                        .and("id", p.id())));
        processed++;
      } catch (RuntimeException e) {
        failed++;
        failure = e;
        release(p.id());
      }
    }
    return new WorkerResult(processed, failed, 0, usage, failure);
  }

  private List<ClaimedProfile> claim(int max) {
    if (max < 1) {
      return List.of();
    }
    return jdbc.inTransaction(
        "claim profiles to complete",
        h ->
            h.query(
                """
                UPDATE profiles p SET style_locked_at = now()
                 WHERE p.id IN (SELECT q.id FROM profiles q
                                 WHERE (q.needs_style_analysis OR q.writing_style_prompt IS NULL)
                                   AND (q.style_locked_at IS NULL OR q.style_locked_at < now() - interval '10 minutes')
                                   AND (SELECT count(*) FROM viral_posts_bank v
                                         WHERE v.author_id = q.id AND btrim(v.content) <> '') >= :min_posts
                                 ORDER BY q.needs_style_analysis DESC, q.created_at
                                 LIMIT :max
                                   FOR UPDATE SKIP LOCKED)
                RETURNING p.id, p.full_name
                """,
                Params.of("min_posts", minPosts, "max", max),
                rs -> new ClaimedProfile((UUID) rs.getObject(1), rs.getString(2))));
  }

  private List<String> recentPosts(UUID profileId) {
    return jdbc.inTransaction(
        "read a profile's posts",
        h ->
            h.query(
                """
                SELECT content FROM viral_posts_bank
                 WHERE author_id = :author AND btrim(content) <> ''
                 ORDER BY posted_at DESC NULLS LAST, created_at DESC
                 LIMIT :limit
                """,
                Params.of("author", profileId, "limit", samplePosts),
                rs -> rs.getString(1)));
  }

  private void release(UUID id) {
    jdbc.inTransaction(
        "release a profile claim",
        h ->
            h.update(
                "UPDATE profiles SET style_locked_at = NULL WHERE id = :id", Params.of("id", id)));
  }
}
