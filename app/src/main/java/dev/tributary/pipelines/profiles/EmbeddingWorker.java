package dev.tributary.pipelines.profiles;

import dev.tributary.ai.Embedder;
import dev.tributary.ai.TokenUsage;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code worker-generate-embeddings-v2} (S0.3, S1.1): embeds hook + content of each flagged post in
 * one call to the {@link Embedder} per batch, and stores the vector with its model id
 * ({@code embedding_model}), {@code needs_embedding = false}. A post whose content changed since it
 * was claimed is left flagged: its vector would describe the old text.
 */
public final class EmbeddingWorker implements CascadeWorker {
  public static final String NAME = "worker_generate_embeddings_v2";

  private final DataSource dataSource;
  private final Embedder embedder;

  public EmbeddingWorker(DataSource dataSource, Embedder embedder) {
    this.dataSource = dataSource;
    this.embedder = embedder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WorkerResult processBatch(int maxItems) {
    PostQueue queue = PostQueue.EMBEDDING;
    List<PostQueue.ClaimedPost> posts = queue.claim(dataSource, maxItems);
    if (posts.isEmpty()) {
      return WorkerResult.NOTHING;
    }
    List<UUID> empty = new ArrayList<>();
    List<PostQueue.ClaimedPost> todo = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (PostQueue.ClaimedPost p : posts) {
      String text = EmbeddingText.of(p.hook(), p.content());
      if (text.isBlank()) {
        empty.add(p.id());
      } else {
        todo.add(p);
        texts.add(text);
      }
    }
    Embedder.Embedded embedded;
    try {
      embedded = texts.isEmpty() ? new Embedder.Embedded(List.of(), TokenUsage.NONE) : embedder.embedWithUsage(texts);
      if (embedded.vectors().size() != texts.size()) {
        throw new IllegalStateException(embedder.modelId() + " returned " + embedded.vectors().size()
            + " vectors for " + texts.size() + " texts");
      }
      for (float[] v : embedded.vectors()) {
        checkVector(v);
      }
    } catch (RuntimeException e) {
      queue.release(dataSource, ids(todo));
      clearOnly(empty);
      return new WorkerResult(0, todo.size(), empty.size(), TokenUsage.NONE, e);
    }
    String model = embedder.modelId();
    try {
      int[] stored = Jdbc.inTransaction(dataSource, "storing embeddings", c -> {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement("""
            UPDATE viral_posts_bank
               SET embedding = ?, embedding_model = ?, embedded_at = now(),
                   needs_embedding = false, embedding_locked_at = NULL
             WHERE id = ? AND content IS NOT DISTINCT FROM ?
            """)) {
          for (int i = 0; i < todo.size(); i++) {
            PostQueue.ClaimedPost p = todo.get(i);
            ps.setArray(1, c.createArrayOf("float4", boxed(embedded.vectors().get(i))));
            ps.setString(2, model);
            ps.setObject(3, p.id());
            ps.setString(4, p.content());
            ps.addBatch();
          }
          counts = ps.executeBatch();
        }
        List<UUID> changed = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            changed.add(todo.get(i).id());
          }
        }
        queue.release(c, changed);
        queue.clear(c, empty);
        return new int[] {todo.size() - changed.size(), changed.size()};
      });
      return new WorkerResult(stored[0], 0, empty.size() + stored[1], embedded.usage(), null);
    } catch (RuntimeException e) {
      queue.release(dataSource, ids(posts));
      return new WorkerResult(0, posts.size(), 0, embedded.usage(), e);
    }
  }

  private void clearOnly(List<UUID> empty) {
    if (!empty.isEmpty()) {
      Jdbc.inTransaction(dataSource, "clearing posts without text", c -> {
        PostQueue.EMBEDDING.clear(c, empty);
        return null;
      });
    }
  }

  private void checkVector(float[] v) {
    if (v.length != embedder.dimensions()) {
      throw new IllegalStateException(embedder.modelId() + " returned a vector of " + v.length
          + " dimensions instead of " + embedder.dimensions());
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalStateException(embedder.modelId() + " returned a vector with a non-finite value");
      }
    }
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static List<UUID> ids(List<PostQueue.ClaimedPost> posts) {
    return posts.stream().map(PostQueue.ClaimedPost::id).toList();
  }
}
