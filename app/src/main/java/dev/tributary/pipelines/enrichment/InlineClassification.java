package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.Classification;
import dev.tributary.ai.Embedder;
import dev.tributary.ai.Label;
import dev.tributary.ai.LabelClassifier;
import dev.tributary.ai.VectorLabelClassifier;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The embedding worker doing, in the same batch, what four other workers would do next with local
 * models: store the hook, classify its hook type, the post's topic and its audience. With the local
 * models all three classifications are a nearest-label search over vectors the embedding pass has
 * just produced (the post's vector, and its hook's as read in the same pass: {@link
 * Embedder#embedWithPrefix}), so the other workers would only claim each post again, read it, and
 * store it again: four claims and four stores per post, through the seed's row triggers and the
 * table's indexes. Here the embedding's own store writes all of it in one statement.
 *
 * <p>Nothing of the seed's contract changes: each part is done only for a post still flagged for it
 * ({@code needs_*}), not claimed by that worker's queue right now (a fresh {@code *_locked_at}),
 * and with that worker enabled ({@code is_worker_enabled}); its flag and stamp are cleared as the
 * worker would. Anything left (a post claimed elsewhere, a hook that differs from the one embedded)
 * stays flagged for its own worker. The hook worker classifies with the same vectors, so either way
 * a post gets the same hook type.
 */
public final class InlineClassification {
  private final VectorLabelClassifier hooks;
  private final VectorLabelClassifier topics;
  private final VectorLabelClassifier audiences;

  private InlineClassification(
      VectorLabelClassifier hooks, VectorLabelClassifier topics, VectorLabelClassifier audiences) {
    this.hooks = hooks;
    this.topics = topics;
    this.audiences = audiences;
  }

  /**
   * Present when the three classifiers work in {@code embedder}'s vector space and the embedder
   * reads hooks within posts: the local models. OpenAI's classifiers read text, so they run as
   * workers of their own.
   */
  public static Optional<InlineClassification> of(
      Embedder embedder, LabelClassifier hooks, LabelClassifier topics, LabelClassifier audiences) {
    if (!embedder.readsPrefixes()
        || !(hooks instanceof VectorLabelClassifier h)
        || !(topics instanceof VectorLabelClassifier t)
        || !(audiences instanceof VectorLabelClassifier a)) {
      return Optional.empty();
    }
    for (VectorLabelClassifier c : List.of(h, t, a)) {
      if (!c.embeddingModel().equals(embedder.modelId())) {
        return Optional.empty();
      }
    }
    return Optional.of(new InlineClassification(h, t, a));
  }

  /** Which of the four workers are enabled, and the catalogues of the enabled classifiers. */
  record Plan(
      boolean extractHooks, List<Label> hookTypes, List<Label> topics, List<Label> audiences) {
    boolean any() {
      return extractHooks || hookTypes != null || topics != null || audiences != null;
    }
  }

  Plan plan(Handle h) throws SQLException {
    boolean[] enabled =
        h.queryOne(
                """
                SELECT is_worker_enabled(:hooks), is_worker_enabled(:hook_types),
                       is_worker_enabled(:topics), is_worker_enabled(:audiences)
                """,
                Params.of(
                    "hooks",
                    HookExtractionWorker.NAME,
                    "hook_types",
                    ClassificationWorker.Kind.HOOK_TYPE.workerName,
                    "topics",
                    ClassificationWorker.Kind.TOPIC.workerName,
                    "audiences",
                    ClassificationWorker.Kind.AUDIENCE.workerName),
                rs -> {
                  boolean[] out = new boolean[4];
                  for (int i = 0; i < 4; i++) {
                    out[i] = rs.getBoolean(i + 1);
                  }
                  return out;
                })
            .orElseThrow();
    return new Plan(
        enabled[0],
        catalogue(h, enabled[1], ClassificationWorker.Kind.HOOK_TYPE),
        catalogue(h, enabled[2], ClassificationWorker.Kind.TOPIC),
        catalogue(h, enabled[3], ClassificationWorker.Kind.AUDIENCE));
  }

  /** An empty catalogue counts as disabled: its worker will report the error. */
  private static List<Label> catalogue(Handle h, boolean enabled, ClassificationWorker.Kind k)
      throws SQLException {
    if (!enabled) {
      return null;
    }
    List<Label> labels = ClassificationWorker.labels(h, k);
    return labels.isEmpty() ? null : labels;
  }

  /** The labels chosen per post (null where none), and who chose them. */
  record Labels(UUID[] hookTypes, UUID[] topics, UUID[] audiences, String classifiedBy) {}

  /**
   * @param hookTexts the hook each post's embedded text starts with (empty for none)
   * @param embedded the embedder's answer for each post, with the hook's vector as prefix
   */
  Labels classify(
      Plan plan, List<String> hookTexts, List<String> texts, List<Embedder.WithPrefix> embedded) {
    int n = texts.size();
    List<float[]> postVectors = embedded.stream().map(Embedder.WithPrefix::text).toList();
    UUID[] hookTypes = new UUID[n];
    if (plan.hookTypes() != null) {
      List<Integer> rows = new ArrayList<>();
      List<String> withHook = new ArrayList<>();
      List<float[]> hookVectors = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!hookTexts.get(i).isEmpty() && embedded.get(i).prefix() != null) {
          rows.add(i);
          withHook.add(hookTexts.get(i));
          hookVectors.add(embedded.get(i).prefix());
        }
      }
      if (!rows.isEmpty()) {
        List<Classification> cs =
            hooks.classifyVectors(withHook, hookVectors, plan.hookTypes()).classifications();
        for (int k = 0; k < rows.size(); k++) {
          hookTypes[rows.get(k)] = cs.get(k).label().id();
        }
      }
    }
    return new Labels(
        hookTypes,
        labelIds(topics, plan.topics(), texts, postVectors),
        labelIds(audiences, plan.audiences(), texts, postVectors),
        hooks.providerId());
  }

  private static UUID[] labelIds(
      VectorLabelClassifier c, List<Label> labels, List<String> texts, List<float[]> vectors) {
    UUID[] out = new UUID[texts.size()];
    if (labels != null && !texts.isEmpty()) {
      List<Classification> cs = c.classifyVectors(texts, vectors, labels).classifications();
      for (int i = 0; i < out.length; i++) {
        out[i] = cs.get(i).label().id();
      }
    }
    return out;
  }

  /** What one store did: the posts stored, and the other workers' parts done on them. */
  record Stored(List<UUID> ids, WorkerResult.Inline inline) {}

  /**
   * Stores the embeddings with every part the post still wants, in one statement. The caller has
   * locked the posts ({@link PostQueue#lockInOrder}), so the decisions, read by this statement, see
   * every claim another worker committed before. A post whose content changed since its claim is
   * left out, as by the plain store.
   */
  static Stored store(
      Handle h,
      Plan plan,
      List<UUID> ids,
      List<String> contents,
      List<String> hookTexts,
      float[] flatVectors,
      int dims,
      String model,
      Labels labels)
      throws SQLException {
    String stale = "now() - '" + PostQueue.STALE_AFTER + "'::interval";
    String sql =
        """
        WITH u AS (
          SELECT *
            FROM unnest(:ids::uuid[], :contents::text[], :hooks::text[], :hook_types::uuid[],
                        :topics::uuid[], :audiences::uuid[])
                 WITH ORDINALITY AS u(id, content, hook, hook_type, topic, audience, ord)),
        d AS (
          SELECT u.*,
                 (:extract_hooks::boolean AND u.hook <> '' AND coalesce(btrim(p.hook), '') = ''
                  AND p.needs_hook_extraction) AS set_hook,
                 coalesce(p.hook = u.hook, false) AND p.needs_hook_classification AS hook_flagged,
                 (p.hook_classification_locked_at IS NULL
                  OR p.hook_classification_locked_at < %1$s) AS hook_free,
                 (u.topic IS NOT NULL AND p.needs_topic_classification
                  AND (p.topic_classification_locked_at IS NULL
                       OR p.topic_classification_locked_at < %1$s)) AS topic_ok,
                 (u.audience IS NOT NULL AND p.needs_audience_classification
                  AND (p.audience_classification_locked_at IS NULL
                       OR p.audience_classification_locked_at < %1$s)) AS audience_ok
            FROM u JOIN viral_posts_bank p ON p.id = u.id),
        e AS (
          SELECT d.*, (d.hook_type IS NOT NULL AND (d.set_hook OR d.hook_flagged) AND d.hook_free)
                        AS hook_ok
            FROM d)
        UPDATE viral_posts_bank v
           SET embedding = (:vectors::real[])[(e.ord - 1) * :dims + 1 : e.ord * :dims],
               embedding_model = :model,
               embedded_at = now(), needs_embedding = false, embedding_locked_at = NULL,
               hook = CASE WHEN e.set_hook THEN e.hook ELSE v.hook END,
               hook_type_id = CASE WHEN e.hook_ok THEN e.hook_type ELSE v.hook_type_id END,
               needs_hook_classification = v.needs_hook_classification AND NOT e.hook_ok,
               hook_classification_locked_at =
                 CASE WHEN e.hook_ok THEN NULL ELSE v.hook_classification_locked_at END,
               topic_id = CASE WHEN e.topic_ok THEN e.topic ELSE v.topic_id END,
               needs_topic_classification = v.needs_topic_classification AND NOT e.topic_ok,
               topic_classification_locked_at =
                 CASE WHEN e.topic_ok THEN NULL ELSE v.topic_classification_locked_at END,
               audience_id = CASE WHEN e.audience_ok THEN e.audience ELSE v.audience_id END,
               needs_audience_classification = v.needs_audience_classification AND NOT e.audience_ok,
               audience_classification_locked_at =
                 CASE WHEN e.audience_ok THEN NULL ELSE v.audience_classification_locked_at END,
               classified_by = CASE WHEN e.hook_ok OR e.topic_ok OR e.audience_ok
                                    THEN :classified_by ELSE v.classified_by END,
               classified_at = CASE WHEN e.hook_ok OR e.topic_ok OR e.audience_ok
                                    THEN now() ELSE v.classified_at END
          FROM e
         WHERE v.id = e.id AND v.content IS NOT DISTINCT FROM e.content
        RETURNING v.id, e.set_hook, e.hook_ok, e.topic_ok, e.audience_ok
        """
            .formatted(stale);
    List<UUID> stored = new ArrayList<>(ids.size());
    int[] counts = new int[4];
    Params params =
        Params.with("ids", ids.toArray(UUID[]::new))
            .and("contents", contents.toArray(String[]::new))
            .and("hooks", hookTexts.toArray(String[]::new))
            .and("hook_types", labels.hookTypes())
            .and("topics", labels.topics())
            .and("audiences", labels.audiences())
            .and("extract_hooks", plan.extractHooks())
            // row i's vector is elements i*dims+1 .. (i+1)*dims
            .and("vectors", flatVectors)
            .and("dims", dims)
            .and("model", model)
            .and("classified_by", labels.classifiedBy());
    for (StoredRow row : h.query(sql, params, InlineClassification::storedRow)) {
      stored.add(row.id());
      for (int k = 0; k < 4; k++) {
        counts[k] += row.parts()[k] ? 1 : 0;
      }
    }
    return new Stored(stored, new WorkerResult.Inline(counts[0], counts[1], counts[2], counts[3]));
  }

  /** One stored post and which of set_hook, hook_ok, topic_ok, audience_ok it got. */
  private record StoredRow(UUID id, boolean[] parts) {}

  private static StoredRow storedRow(ResultSet rs) throws SQLException {
    boolean[] parts = new boolean[4];
    for (int k = 0; k < 4; k++) {
      parts[k] = rs.getBoolean(k + 2);
    }
    return new StoredRow((UUID) rs.getObject(1), parts);
  }
}
