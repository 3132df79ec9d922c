package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.Classification;
import dev.tributary.ai.Embedder;
import dev.tributary.ai.HookText;
import dev.tributary.ai.Label;
import dev.tributary.ai.LabelClassifier;
import dev.tributary.ai.TokenUsage;
import dev.tributary.ai.VectorLabelClassifier;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code worker-classify-hooks-v2}, {@code worker-classify-topics-v2} and {@code
 * worker-classify-audiences-v2} (S0.4, S1.1): one class, three catalogues. Hooks are classified on
 * the hook; topics and audiences on the post's text. Each row records the chosen id, the provider
 * ({@code classified_by}) and the time, and its flag is cleared.
 *
 * <p>With an embedding-space classifier (the local one), topics and audiences are read from the
 * post's stored embedding when it comes from the same model, and a hook from the pass that embeds
 * its post, so a post goes through the model once for the whole cascade. While the embedding worker
 * is enabled, such a classifier claims only posts already embedded ({@code claim_posts_needing(…,
 * true)}, V045): the embedding worker classifies the others inline, and its store fires the cascade
 * trigger for anything it left. Without that, a drain running beside the embedding drain (another
 * node, a concurrency above 1, a sync embedding inline) embedded the same posts a second time. With
 * the embedding worker disabled, the texts are embedded here.
 */
public final class ClassificationWorker implements CascadeWorker {
  /** Topic and audience need the gist, not the whole post; it also bounds a model call's tokens. */
  static final int MAX_TEXT_CHARS = 4_000;

  /** A catalogue, the post column it fills and the queue that feeds it. */
  public enum Kind {
    HOOK_TYPE(
        "worker_classify_hooks_v2", "hook_types", "hook_type_id", PostQueue.HOOK_CLASSIFICATION),
    TOPIC("worker_classify_topics_v2", "topics", "topic_id", PostQueue.TOPIC_CLASSIFICATION),
    AUDIENCE(
        "worker_classify_audiences_v2",
        "audiences",
        "audience_id",
        PostQueue.AUDIENCE_CLASSIFICATION);

    final String workerName;
    final String table;
    final String column;
    final PostQueue queue;

    Kind(String workerName, String table, String column, PostQueue queue) {
      this.workerName = workerName;
      this.table = table;
      this.column = column;
      this.queue = queue;
    }
  }

  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final LabelClassifier classifier;
  private final Kind kind;
  private final boolean waitsForEmbedding;

  public ClassificationWorker(DataSource dataSource, LabelClassifier classifier, Kind kind) {
    this(dataSource, classifier, kind, true);
  }

  private ClassificationWorker(
      DataSource dataSource, LabelClassifier classifier, Kind kind, boolean waitsForEmbedding) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
    this.classifier = classifier;
    this.kind = kind;
    this.waitsForEmbedding = waitsForEmbedding;
  }

  /**
   * This worker taking posts still to embed too, reading their texts itself: for a caller that
   * wants them classified now and will not embed them (S0.8 {@code classify_hooks} without {@code
   * generate_embeddings}).
   */
  public ClassificationWorker withoutWaitingForEmbeddings() {
    return new ClassificationWorker(dataSource, classifier, kind, false);
  }

  public static ClassificationWorker hooks(DataSource ds, LabelClassifier c) {
    return new ClassificationWorker(ds, c, Kind.HOOK_TYPE);
  }

  public static ClassificationWorker topics(DataSource ds, LabelClassifier c) {
    return new ClassificationWorker(ds, c, Kind.TOPIC);
  }

  public static ClassificationWorker audiences(DataSource ds, LabelClassifier c) {
    return new ClassificationWorker(ds, c, Kind.AUDIENCE);
  }

  @Override
  public String name() {
    return kind.workerName;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public WorkerResult processBatch(int maxItems) {
    // an embedding-space classifier (the local one) reads topics and audiences from the post's
    // stored embedding, and a hook from the pass that embeds its post (as the embedding worker
    // does when it classifies inline), instead of embedding texts of their own
    VectorLabelClassifier vectors =
        classifier instanceof VectorLabelClassifier v
                && (kind != Kind.HOOK_TYPE || v.embedder().readsPrefixes())
            ? v
            : null;
    // while the embedding worker runs, a post still to embed is left to it: its pass gives the
    // vectors, and with local models it classifies the post inline
    boolean embeddedOnly = waitsForEmbedding && vectors != null && embeddingWorkerEnabled();
    List<PostQueue.ClaimedPost> posts =
        kind.queue.claim(jdbc, maxItems, vectors != null && kind != Kind.HOOK_TYPE, embeddedOnly);
    if (posts.isEmpty()) {
      return WorkerResult.NOTHING;
    }
    List<UUID> empty = new ArrayList<>();
    List<PostQueue.ClaimedPost> todo = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (PostQueue.ClaimedPost p : posts) {
      String text = text(p);
      if (text.isBlank()) {
        empty.add(p.id());
      } else {
        todo.add(p);
        texts.add(text);
      }
    }
    LabelClassifier.Result result;
    try {
      result = classify(vectors, todo, texts);
    } catch (RuntimeException e) {
      kind.queue.release(jdbc, ids(todo));
      clearOnly(empty);
      return new WorkerResult(0, todo.size(), empty.size(), TokenUsage.NONE, e);
    }
    try {
      store(ids(posts), todo, empty, result);
    } catch (RuntimeException e) {
      kind.queue.release(jdbc, ids(posts));
      return new WorkerResult(0, posts.size(), 0, result.usage(), e);
    }
    return stored(todo.size(), empty.size(), result);
  }

  /** Stored posts, those without a usable answer (marked, counted as failed) and empty ones. */
  private static WorkerResult stored(int todo, int empty, LabelClassifier.Result result) {
    int unusable = result.unusable().size();
    return new WorkerResult(todo - unusable, unusable, empty, result.usage(), null);
  }

  /** Labels for the texts, one each, from the catalogue; throws when none can be had. */
  private LabelClassifier.Result classify(
      VectorLabelClassifier vectors, List<PostQueue.ClaimedPost> todo, List<String> texts) {
    List<Label> labels =
        jdbc.inTransaction("read the " + kind.table + " catalogue", h -> labels(h, kind));
    if (labels.isEmpty()) {
      throw new IllegalStateException(
          "the " + kind.table + " catalogue is empty: nothing to classify into");
    }
    LabelClassifier.Result result;
    if (texts.isEmpty()) {
      result = new LabelClassifier.Result(List.of(), TokenUsage.NONE);
    } else if (vectors != null && kind == Kind.HOOK_TYPE) {
      result = vectors.classifyVectors(texts, hookVectors(vectors, todo, texts), labels);
    } else if (vectors != null) {
      result = vectors.classifyVectors(texts, postVectors(vectors, todo), labels);
    } else {
      result = classifier.classify(texts, labels);
    }
    if (result.classifications().size() != texts.size()) {
      throw new IllegalStateException(
          classifier.providerId()
              + " returned "
              + result.classifications().size()
              + " classifications for "
              + texts.size()
              + " texts");
    }
    return result;
  }

  /**
   * Stores the batch's labels in one statement, marks the posts without a usable answer and clears
   * the posts with nothing to classify.
   */
  private void store(
      List<UUID> claimed,
      List<PostQueue.ClaimedPost> todo,
      List<UUID> empty,
      LabelClassifier.Result result) {
    List<UUID> ids = new ArrayList<>();
    List<UUID> labelIds = new ArrayList<>();
    List<String> by = new ArrayList<>();
    for (int i = 0; i < todo.size(); i++) {
      Classification cl = result.classifications().get(i);
      if (cl != null) { // none: no usable answer, marked below
        ids.add(todo.get(i).id());
        labelIds.add(cl.label().id());
        by.add(cl.classifiedBy());
      }
    }
    jdbc.inTransaction(
        "store " + kind.table + " classifications",
        h -> {
          PostQueue.lockInOrder(h, claimed);
          // one statement for the batch: the statement-level cascade trigger (V041) then runs
          // once, not per row; the column names are the kind's constants, never input
          h.update(
              "UPDATE viral_posts_bank v SET "
                  + kind.column
                  + " = u.label,"
                  + " classified_by = u.classified_by, classified_at = now(),"
                  + " classification_error = NULL, "
                  + kind.queue.flagColumn()
                  + " = false, "
                  + kind.queue.lockColumn()
                  + " = NULL"
                  + " FROM unnest(:ids::uuid[], :labels::uuid[], :classified_by::text[])"
                  + " AS u(id, label, classified_by) WHERE v.id = u.id",
              Params.of(
                  "ids", ids.toArray(UUID[]::new),
                  "labels", labelIds.toArray(UUID[]::new),
                  "classified_by", by.toArray(String[]::new)));
          markUnusable(h, todo, result.unusable());
          kind.queue.clear(h, empty);
          return null;
        });
  }

  /**
   * Posts the classifier gave no usable answer for after its own retries: flag cleared (they do not
   * come back every drain), the reason kept in {@code classification_error} (V121).
   */
  private void markUnusable(
      Handle h, List<PostQueue.ClaimedPost> todo, java.util.Map<Integer, String> unusable)
      throws java.sql.SQLException {
    if (unusable.isEmpty()) {
      return;
    }
    List<Params> rows = new ArrayList<>();
    for (var e : unusable.entrySet()) {
      rows.add(
          Params.of("error", kind.table + ": " + e.getValue(), "id", todo.get(e.getKey()).id()));
    }
    h.batch(
        "UPDATE viral_posts_bank SET "
            + kind.queue.flagColumn()
            + " = false, "
            + kind.queue.lockColumn()
            + " = NULL, classification_error = :error WHERE id = :id",
        rows);
  }

  private boolean embeddingWorkerEnabled() {
    return jdbc.inTransaction(
        "read the embedding worker's flag",
        h ->
            h.queryOne(
                    "SELECT is_worker_enabled(:worker)",
                    Params.of("worker", EmbeddingWorker.NAME),
                    rs -> rs.getBoolean(1))
                .orElse(false));
  }

  private static boolean usable(VectorLabelClassifier c, PostQueue.ClaimedPost p) {
    return p.embedding() != null
        && c.embeddingModel().equals(p.embeddingModel())
        && p.embedding().length == c.embedder().dimensions();
  }

  /** Each post's stored vector when it comes from the classifier's model, else one embedded now. */
  private static List<float[]> postVectors(
      VectorLabelClassifier c, List<PostQueue.ClaimedPost> posts) {
    List<float[]> out = new ArrayList<>(posts.size());
    List<Integer> missing = new ArrayList<>();
    List<String> missingTexts = new ArrayList<>();
    for (int i = 0; i < posts.size(); i++) {
      PostQueue.ClaimedPost p = posts.get(i);
      boolean usable = usable(c, p);
      out.add(usable ? p.embedding() : null);
      if (!usable) {
        missing.add(i);
        missingTexts.add(EmbeddingText.of(p.hook(), p.content()));
      }
    }
    if (!missing.isEmpty()) {
      List<float[]> fresh = c.embedder().embed(missingTexts);
      for (int j = 0; j < missing.size(); j++) {
        out.set(missing.get(j), fresh.get(j));
      }
    }
    return out;
  }

  /**
   * Each hook as read within its post's embedded text (hook first, then content): one inference per
   * post, the same vector the embedding worker classifies inline, so a post gets the same hook type
   * from either worker.
   */
  private static List<float[]> hookVectors(
      VectorLabelClassifier c, List<PostQueue.ClaimedPost> posts, List<String> hooks) {
    List<String> texts = new ArrayList<>(posts.size());
    List<Integer> hookChars = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) {
      PostQueue.ClaimedPost p = posts.get(i);
      String text = EmbeddingText.of(p.hook(), p.content());
      texts.add(text);
      hookChars.add(text.startsWith(hooks.get(i)) ? hooks.get(i).length() : 0);
    }
    List<Embedder.WithPrefix> embedded = c.embedder().embedWithPrefix(texts, hookChars);
    List<float[]> out = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) {
      float[] prefix = embedded.get(i).prefix();
      // no token wholly within the hook (it cannot happen with a non-blank hook): the hook alone
      out.add(prefix != null ? prefix : c.embedder().embed(hooks.get(i)));
    }
    return out;
  }

  private String text(PostQueue.ClaimedPost p) {
    if (kind == Kind.HOOK_TYPE) {
      return p.hook() == null || p.hook().isBlank()
          ? HookText.extract(p.content())
          : p.hook().strip();
    }
    return EmbeddingText.cut(EmbeddingText.of(p.hook(), p.content()), MAX_TEXT_CHARS);
  }

  /** The catalogue of {@code kind}, in a stable order. */
  static List<Label> labels(Handle h, Kind kind) throws SQLException {
    return h.query(
        "SELECT id, name, description, examples FROM " + kind.table + " ORDER BY name",
        Params.NONE,
        rs -> {
          Array examples = rs.getArray(4);
          return new Label(
              (UUID) rs.getObject(1),
              rs.getString(2),
              rs.getString(3),
              examples == null
                  ? List.of()
                  : java.util.Arrays.asList((String[]) examples.getArray()));
        });
  }

  private void clearOnly(List<UUID> empty) {
    if (!empty.isEmpty()) {
      jdbc.inTransaction(
          "clear posts without text",
          h -> {
            kind.queue.clear(h, empty);
            return null;
          });
    }
  }

  private static List<UUID> ids(List<PostQueue.ClaimedPost> posts) {
    return posts.stream().map(PostQueue.ClaimedPost::id).toList();
  }
}
