package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.StyleAnalyser;
import dev.tributary.ai.StyleAnalysis;
import dev.tributary.ai.TokenUsage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
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

  private final DataSource dataSource;
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
    this.dataSource = dataSource;
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
        Jdbc.inTransaction(
            dataSource,
            "storing a style analysis",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      """
              UPDATE profiles
                 SET writing_style_prompt = ?, style_analysis = ?::jsonb, style_analyzed_by = ?,
                     style_analyzed_at = now(), needs_style_analysis = false, style_locked_at = NULL
               WHERE id = ?
              """)) {
                ps.setString(1, s.writingStylePrompt());
                ps.setString(2, s.styleAnalysis().toString());
                ps.setString(3, s.analyzedBy());
                ps.setObject(4, p.id());
                return ps.executeUpdate();
              }
            });
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
    return Jdbc.inTransaction(
        dataSource,
        "claiming profiles to complete",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          UPDATE profiles p SET style_locked_at = now()
           WHERE p.id IN (SELECT q.id FROM profiles q
                           WHERE (q.needs_style_analysis OR q.writing_style_prompt IS NULL)
                             AND (q.style_locked_at IS NULL OR q.style_locked_at < now() - interval '10 minutes')
                             AND (SELECT count(*) FROM viral_posts_bank v
                                   WHERE v.author_id = q.id AND btrim(v.content) <> '') >= ?
                           ORDER BY q.needs_style_analysis DESC, q.created_at
                           LIMIT ?
                             FOR UPDATE SKIP LOCKED)
          RETURNING p.id, p.full_name
          """)) {
            ps.setInt(1, minPosts);
            ps.setInt(2, max);
            List<ClaimedProfile> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new ClaimedProfile((UUID) rs.getObject(1), rs.getString(2)));
              }
            }
            return out;
          }
        });
  }

  private List<String> recentPosts(UUID profileId) {
    return Jdbc.inTransaction(
        dataSource,
        "reading a profile's posts",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          SELECT content FROM viral_posts_bank
           WHERE author_id = ? AND btrim(content) <> ''
           ORDER BY posted_at DESC NULLS LAST, created_at DESC
           LIMIT ?
          """)) {
            ps.setObject(1, profileId);
            ps.setInt(2, samplePosts);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  private void release(UUID id) {
    Jdbc.inTransaction(
        dataSource,
        "releasing a profile claim",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE profiles SET style_locked_at = NULL WHERE id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate();
          }
        });
  }
}
