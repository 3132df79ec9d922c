package dev.tributary.pipelines.profiles;

import dev.tributary.ai.Embedder;
import dev.tributary.ai.TokenUsage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * {@code worker-generate-embeddings-v2} (S0.3, S1.1): embeds hook + content of each flagged post in
 * one call to the {@link Embedder} per batch, and stores the vector with its model id ({@code
 * embedding_model}), {@code needs_embedding = false}. A post whose content changed since it was
 * claimed is left flagged: its vector would describe the old text.
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
      embedded =
          texts.isEmpty()
              ? new Embedder.Embedded(List.of(), TokenUsage.NONE)
              : embedder.embedWithUsage(texts);
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
      queue.release(dataSource, ids(todo));
      clearOnly(empty);
      return new WorkerResult(0, todo.size(), empty.size(), TokenUsage.NONE, e);
    }
    String model = embedder.modelId();
    try {
      int dims = embedder.dimensions();
      int[] stored =
          Jdbc.inTransaction(
              dataSource,
              "storing embeddings",
              c -> {
                // one statement for the batch (the statement-level cascade trigger of V041 then
                // runs once, not
                // per row); the vectors travel as one flat float4 array, row i's being elements
                // i*dims+1 .. (i+1)*dims
                float[] flat = new float[todo.size() * dims];
                Object[] ids = new Object[todo.size()];
                Object[] contents = new Object[todo.size()];
                for (int i = 0; i < todo.size(); i++) {
                  System.arraycopy(embedded.vectors().get(i), 0, flat, i * dims, dims);
                  ids[i] = todo.get(i).id();
                  contents[i] = todo.get(i).content();
                }
                Set<UUID> updated = new HashSet<>();
                try (PreparedStatement ps =
                    c.prepareStatement(
                        """
            UPDATE viral_posts_bank v
               SET embedding = (?::real[])[(u.ord - 1) * ? + 1 : u.ord * ?], embedding_model = ?,
                   embedded_at = now(), needs_embedding = false, embedding_locked_at = NULL
              FROM unnest(?::uuid[], ?::text[]) WITH ORDINALITY AS u(id, content, ord)
             WHERE v.id = u.id AND v.content IS NOT DISTINCT FROM u.content
            RETURNING v.id
            """)) {
                  ps.setArray(
                      1,
                      c.unwrap(PGConnection.class)
                          .createArrayOf("float4", flat)); // primitive floats, no boxing
                  ps.setInt(2, dims);
                  ps.setInt(3, dims);
                  ps.setString(4, model);
                  ps.setArray(5, c.createArrayOf("uuid", ids));
                  ps.setArray(6, c.createArrayOf("text", contents));
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      updated.add((UUID) rs.getObject(1));
                    }
                  }
                }
                // a post whose content changed since the claim keeps its flag: its vector would
                // describe the old text
                List<UUID> changed = new ArrayList<>();
                for (PostQueue.ClaimedPost p : todo) {
                  if (!updated.contains(p.id())) {
                    changed.add(p.id());
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
      Jdbc.inTransaction(
          dataSource,
          "clearing posts without text",
          c -> {
            PostQueue.EMBEDDING.clear(c, empty);
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
