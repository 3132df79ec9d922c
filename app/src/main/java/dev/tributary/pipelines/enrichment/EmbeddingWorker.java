package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.Embedder;
import dev.tributary.ai.TokenUsage;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code worker-generate-embeddings-v2} (S0.3, S1.1): embeds hook + content of each flagged post in
 * one call to the {@link Embedder} per batch, and stores the vector with its model id ({@code
 * embedding_model}), {@code needs_embedding = false}. A post whose content changed since it was
 * claimed is left flagged: its vector would describe the old text.
 */
public final class EmbeddingWorker implements CascadeWorker {
  public static final String NAME = "worker_generate_embeddings_v2";

  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final Embedder embedder;
  private final InlineClassification inline;

  public EmbeddingWorker(DataSource dataSource, Embedder embedder) {
    this(dataSource, embedder, null);
  }

  /**
   * With {@code inline} (local models), each batch also stores the hooks and the hook types, topics
   * and audiences of its posts that still want them, from the vectors it computes.
   */
  public EmbeddingWorker(DataSource dataSource, Embedder embedder, InlineClassification inline) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
    this.embedder = embedder;
    this.inline = inline;
  }

  /**
   * This worker without the inline classification: for a sync asked to embed but not to classify
   * (S0.8 {@code classify_hooks: false}).
   */
  public EmbeddingWorker withoutInline() {
    return inline == null ? this : new EmbeddingWorker(dataSource, embedder);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WorkerResult processBatch(int maxItems) {
    PostQueue queue = PostQueue.EMBEDDING;
    List<PostQueue.ClaimedPost> posts = queue.claim(jdbc, maxItems);
    if (posts.isEmpty()) {
      return WorkerResult.NOTHING;
    }
    Batch b = Batch.of(posts);
    Inference inference;
    try {
      inference = infer(b);
    } catch (RuntimeException e) {
      queue.release(jdbc, ids(b.todo()));
      clearOnly(b.empty());
      return new WorkerResult(0, b.todo().size(), b.empty().size(), TokenUsage.NONE, e);
    }
    try {
      InlineClassification.Stored stored = store(queue, posts, b, inference);
      int changed = b.todo().size() - stored.ids().size();
      return new WorkerResult(
          stored.ids().size(),
          0,
          b.empty().size() + changed,
          inference.embedded().usage(),
          null,
          stored.inline());
    } catch (RuntimeException e) {
      queue.release(jdbc, ids(posts));
      return new WorkerResult(0, posts.size(), 0, inference.embedded().usage(), e);
    }
  }

  /** A claimed batch split into posts with nothing to embed and posts with their texts. */
  private record Batch(
      List<UUID> empty,
      List<PostQueue.ClaimedPost> todo,
      List<String> texts,
      List<String> hooks,
      List<Integer> hookChars) {
    static Batch of(List<PostQueue.ClaimedPost> posts) {
      Batch b =
          new Batch(
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>());
      for (PostQueue.ClaimedPost p : posts) {
        String text = EmbeddingText.of(p.hook(), p.content());
        if (text.isBlank()) {
          b.empty.add(p.id());
        } else {
          String hook = EmbeddingText.hook(p.hook(), p.content());
          b.todo.add(p);
          b.texts.add(text);
          b.hooks.add(hook);
          b.hookChars.add(text.startsWith(hook) ? hook.length() : 0);
        }
      }
      return b;
    }
  }

  /** The model's answer for a batch: vectors, and the inline labels when the plan asked for any. */
  private record Inference(
      Embedder.Embedded embedded,
      InlineClassification.Plan plan,
      InlineClassification.Labels labels) {}

  /** One model pass over the batch's texts; throws when the model's answer is unusable. */
  private Inference infer(Batch b) {
    List<String> texts = b.texts();
    InlineClassification.Plan plan = null;
    if (inline != null && !texts.isEmpty()) {
      plan = jdbc.inTransaction("read the cascade's worker flags and catalogues", inline::plan);
    }
    Inference result;
    if (plan != null && plan.any()) {
      List<Embedder.WithPrefix> withHooks = embedder.embedWithPrefix(texts, b.hookChars());
      Embedder.Embedded embedded =
          new Embedder.Embedded(
              withHooks.stream().map(Embedder.WithPrefix::text).toList(), TokenUsage.NONE);
      result = new Inference(embedded, plan, inline.classify(plan, b.hooks(), texts, withHooks));
    } else {
      Embedder.Embedded embedded =
          texts.isEmpty()
              ? new Embedder.Embedded(List.of(), TokenUsage.NONE)
              : embedder.embedWithUsage(texts);
      result = new Inference(embedded, null, null);
    }
    if (result.embedded().vectors().size() != texts.size()) {
      throw new IllegalStateException(
          embedder.modelId()
              + " returned "
              + result.embedded().vectors().size()
              + " vectors for "
              + texts.size()
              + " texts");
    }
    for (float[] v : result.embedded().vectors()) {
      checkVector(v);
    }
    return result;
  }

  /** Stores the batch in one transaction; posts changed since the claim keep their flag. */
  private InlineClassification.Stored store(
      PostQueue queue, List<PostQueue.ClaimedPost> posts, Batch b, Inference inference) {
    int dims = embedder.dimensions();
    float[] flat = flatten(inference.embedded().vectors(), dims);
    List<UUID> todoIds = ids(b.todo());
    List<String> contents = b.todo().stream().map(PostQueue.ClaimedPost::content).toList();
    return jdbc.inTransaction(
        inference.plan() != null ? "store embeddings and classifications" : "store embeddings",
        h -> {
          PostQueue.lockInOrder(h, ids(posts));
          // one statement for the batch (the statement-level cascade trigger of V041 then runs
          // once, not per row)
          InlineClassification.Stored s =
              inference.plan() != null
                  ? InlineClassification.store(
                      h,
                      inference.plan(),
                      todoIds,
                      contents,
                      b.hooks(),
                      flat,
                      dims,
                      embedder.modelId(),
                      inference.labels())
                  : new InlineClassification.Stored(
                      storeVectors(h, todoIds, contents, flat, dims), WorkerResult.Inline.NONE);
          // a post whose content changed since the claim keeps its flag: its vector would
          // describe the old text
          Set<UUID> updated = new HashSet<>(s.ids());
          queue.release(h, todoIds.stream().filter(id -> !updated.contains(id)).toList());
          queue.clear(h, b.empty());
          return s;
        });
  }

  /** Stores the vectors alone; returns the posts stored (content unchanged since the claim). */
  private List<UUID> storeVectors(
      Handle h, List<UUID> ids, List<String> contents, float[] flat, int dims) throws SQLException {
    return h.query(
        """
        UPDATE viral_posts_bank v
           SET embedding = (:vectors::real[])[(u.ord - 1) * :dims + 1 : u.ord * :dims],
               embedding_model = :model,
               embedded_at = now(), needs_embedding = false, embedding_locked_at = NULL
          FROM unnest(:ids::uuid[], :contents::text[]) WITH ORDINALITY AS u(id, content, ord)
         WHERE v.id = u.id AND v.content IS NOT DISTINCT FROM u.content
        RETURNING v.id
        """,
        Params.with("vectors", flat) // primitive floats, no boxing
            .and("dims", dims)
            .and("model", embedder.modelId())
            .and("ids", ids.toArray(UUID[]::new))
            .and("contents", contents.toArray(String[]::new)),
        rs -> (UUID) rs.getObject(1));
  }

  /**
   * The vectors as one flat float4 array for a single statement, row i's being elements i*dims+1 ..
   * (i+1)*dims.
   */
  private static float[] flatten(List<float[]> vectors, int dims) {
    float[] flat = new float[vectors.size() * dims];
    for (int i = 0; i < vectors.size(); i++) {
      System.arraycopy(vectors.get(i), 0, flat, i * dims, dims);
    }
    return flat;
  }

  private void clearOnly(List<UUID> empty) {
    if (!empty.isEmpty()) {
      jdbc.inTransaction(
          "clear posts without text",
          h -> {
            PostQueue.EMBEDDING.clear(h, empty);
            return null;
          });
    }
  }

  private void checkVector(float[] v) {
    if (v.length != embedder.dimensions()) {
      throw new IllegalStateException(
          embedder.modelId()
              + " returned a vector of "
              + v.length
              + " dimensions instead of "
              + embedder.dimensions());
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalStateException(
            embedder.modelId() + " returned a vector with a non-finite value");
      }
    }
  }

  private static List<UUID> ids(List<PostQueue.ClaimedPost> posts) {
    return posts.stream().map(PostQueue.ClaimedPost::id).toList();
  }
}
