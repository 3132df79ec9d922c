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
    List<UUID> empty = new ArrayList<>();
    List<PostQueue.ClaimedPost> todo = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<String> hooks = new ArrayList<>();
    List<Integer> hookChars = new ArrayList<>();
    for (PostQueue.ClaimedPost p : posts) {
      String text = EmbeddingText.of(p.hook(), p.content());
      if (text.isBlank()) {
        empty.add(p.id());
      } else {
        String hook = EmbeddingText.hook(p.hook(), p.content());
        todo.add(p);
        texts.add(text);
        hooks.add(hook);
        hookChars.add(text.startsWith(hook) ? hook.length() : 0);
      }
    }
    Embedder.Embedded embedded;
    InlineClassification.Plan plan = null;
    InlineClassification.Labels labels = null;
    try {
      if (inline != null && !texts.isEmpty()) {
        plan = jdbc.inTransaction("read the cascade's worker flags and catalogues", inline::plan);
      }
      if (plan != null && plan.any()) {
        List<Embedder.WithPrefix> withHooks = embedder.embedWithPrefix(texts, hookChars);
        embedded =
            new Embedder.Embedded(
                withHooks.stream().map(Embedder.WithPrefix::text).toList(), TokenUsage.NONE);
        labels = inline.classify(plan, hooks, texts, withHooks);
      } else {
        plan = null;
        embedded =
            texts.isEmpty()
                ? new Embedder.Embedded(List.of(), TokenUsage.NONE)
                : embedder.embedWithUsage(texts);
      }
      if (embedded.vectors().size() != texts.size()) {
        throw new IllegalStateException(
            embedder.modelId()
                + " returned "
                + embedded.vectors().size()
                + " vectors for "
                + texts.size()
                + " texts");
      }
      for (float[] v : embedded.vectors()) {
        checkVector(v);
      }
    } catch (RuntimeException e) {
      queue.release(jdbc, ids(todo));
      clearOnly(empty);
      return new WorkerResult(0, todo.size(), empty.size(), TokenUsage.NONE, e);
    }
    int dims = embedder.dimensions();
    float[] flat = flatten(embedded.vectors(), dims);
    InlineClassification.Plan inlinePlan = plan;
    InlineClassification.Labels inlineLabels = labels;
    List<UUID> todoIds = ids(todo);
    List<String> contents = todo.stream().map(PostQueue.ClaimedPost::content).toList();
    try {
      InlineClassification.Stored stored =
          jdbc.inTransaction(
              plan != null ? "store embeddings and classifications" : "store embeddings",
              h -> {
                PostQueue.lockInOrder(h, ids(posts));
                // one statement for the batch (the statement-level cascade trigger of V041 then
                // runs once, not per row)
                InlineClassification.Stored s =
                    inlinePlan != null
                        ? InlineClassification.store(
                            h,
                            inlinePlan,
                            todoIds,
                            contents,
                            hooks,
                            flat,
                            dims,
                            embedder.modelId(),
                            inlineLabels)
                        : new InlineClassification.Stored(
                            storeVectors(h, todoIds, contents, flat, dims),
                            WorkerResult.Inline.NONE);
                // a post whose content changed since the claim keeps its flag: its vector would
                // describe the old text
                Set<UUID> updated = new HashSet<>(s.ids());
                queue.release(h, todoIds.stream().filter(id -> !updated.contains(id)).toList());
                queue.clear(h, empty);
                return s;
              });
      int changed = todo.size() - stored.ids().size();
      return new WorkerResult(
          stored.ids().size(), 0, empty.size() + changed, embedded.usage(), null, stored.inline());
    } catch (RuntimeException e) {
      queue.release(jdbc, ids(posts));
      return new WorkerResult(0, posts.size(), 0, embedded.usage(), e);
    }
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
