package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.ai.Embedders;
import dev.tributary.pipelines.vectorsync.DocumentationEmbeddings.Chunk;
import dev.tributary.pipelines.vectorsync.EmbeddingQueue.Item;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Works through {@code embedding_sync_queue} (S3.2-S3.4): claims a batch with SKIP LOCKED, chunks
 * each item's content, embeds only the chunks whose content hash the model has not seen for that
 * row, writes them to {@code documentation_embeddings}, and marks the item completed. A failure
 * puts the item back with {@code retry_count + 1} and a growing delay; the third failure parks it
 * as {@code failed} with its reason until an operator retries it. Callable from a job handler, a
 * schedule or the HTTP endpoint; safe to run on many nodes at once.
 *
 * <p>The queue's states are {@link EmbeddingQueue}'s, the vectors' table is {@link
 * DocumentationEmbeddings}'; this class decides what to embed.
 */
public final class EmbeddingQueueProcessor {
  public static final int MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(1);
  static final String SOURCE = DocumentationEmbeddings.TABLE;

  private final DataSource dataSource;
  private final Embedders embedders;
  private final TextChunker chunker;
  private final EmbeddingQueue queue;

  public EmbeddingQueueProcessor(DataSource dataSource, Embedders embedders) {
    this(dataSource, embedders, TextChunker.DEFAULT, DEFAULT_RETRY_DELAY);
  }

  public EmbeddingQueueProcessor(
      DataSource dataSource, Embedders embedders, TextChunker chunker, Duration retryDelay) {
    this.dataSource = dataSource;
    this.embedders = embedders;
    this.chunker = chunker;
    this.queue = new EmbeddingQueue(dataSource, retryDelay);
  }

  public record Result(
      int claimed, int completed, int retried, int failed, int chunksEmbedded, int chunksReused) {

    private Result plus(Result r) {
      return new Result(
          claimed + r.claimed,
          completed + r.completed,
          retried + r.retried,
          failed + r.failed,
          chunksEmbedded + r.chunksEmbedded,
          chunksReused + r.chunksReused);
    }
  }

  /** Chunks embedded anew and chunks whose stored vector was still current. */
  private record Counts(int embedded, int reused) {}

  /** Processes up to {@code batchSize} due items; returns what happened to them. */
  public Result processBatch(int batchSize) {
    List<Item> items = queue.claim(batchSize);
    int completed = 0;
    int retried = 0;
    int failed = 0;
    int embedded = 0;
    int reused = 0;
    for (Item item : items) {
      try {
        Counts counts = process(item);
        embedded += counts.embedded();
        reused += counts.reused();
        completed++;
      } catch (RuntimeException e) {
        String reason = reason(e);
        boolean permanent = reason.startsWith(PermanentFailure.PREFIX);
        if (queue.fail(item, reason, permanent, MAX_ATTEMPTS)) {
          failed++;
        } else {
          retried++;
        }
      }
    }
    return new Result(items.size(), completed, retried, failed, embedded, reused);
  }

  /** Processes batches until nothing is due (for tests, the CLI and on-demand runs). */
  public Result drain(int batchSize) {
    Result total = new Result(0, 0, 0, 0, 0, 0);
    while (true) {
      Result r = processBatch(batchSize);
      if (r.claimed() == 0) {
        return total;
      }
      total = total.plus(r);
    }
  }

  private Counts process(Item item) {
    if (item.action().equals("delete")) {
      queue.complete(
          item, c -> DocumentationEmbeddings.deleteRow(c, item.sourceTable(), item.sourceId()));
      return new Counts(0, 0);
    }
    List<String> chunks = chunker.chunk(item.content());
    if (chunks.isEmpty()) {
      throw new PermanentFailure("the row's content is empty: nothing to embed");
    }
    List<String> hashes = chunks.stream().map(EmbeddingQueueProcessor::sha256).toList();
    int embedded = 0;
    int reused = 0;
    Map<String, List<Chunk>> fresh = new HashMap<>();
    for (Embedder embedder : writeModels()) {
      List<Chunk> out = embedChanged(item, embedder, chunks, hashes);
      embedded += out.size();
      reused += chunks.size() - out.size();
      fresh.put(embedder.modelId(), out);
    }
    queue.complete(
        item,
        c -> {
          for (Map.Entry<String, List<Chunk>> e : fresh.entrySet()) {
            DocumentationEmbeddings.upsert(c, e.getKey(), e.getValue());
            DocumentationEmbeddings.deleteChunksFrom(
                c, item.sourceTable(), item.sourceId(), e.getKey(), chunks.size());
          }
        });
    return new Counts(embedded, reused);
  }

  /** Embeds with {@code embedder} the chunks whose stored hash differs from the current one. */
  private List<Chunk> embedChanged(
      Item item, Embedder embedder, List<String> chunks, List<String> hashes) {
    Map<Integer, String> stored =
        DocumentationEmbeddings.storedHashes(
            dataSource, item.sourceTable(), item.sourceId(), embedder.modelId());
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      if (!hashes.get(i).equals(stored.get(i))) {
        todo.add(i);
      }
    }
    if (todo.isEmpty()) {
      return List.of();
    }
    List<float[]> vectors = embedder.embed(todo.stream().map(chunks::get).toList());
    String metadata = item.metadata() == null ? "{}" : item.metadata();
    List<Chunk> out = new ArrayList<>(todo.size());
    for (int j = 0; j < todo.size(); j++) {
      float[] v = vectors.get(j);
      if (v.length != embedder.dimensions()) {
        throw new IllegalStateException(
            embedder.modelId()
                + " returned "
                + v.length
                + " dimensions, expected "
                + embedder.dimensions());
      }
      int i = todo.get(j);
      out.add(
          new Chunk(
              item.sourceTable(), item.sourceId(), i, chunks.get(i), hashes.get(i), metadata, v));
    }
    return out;
  }

  /**
   * The current model, plus the one search answers with while a switch is under way (if this node
   * has it).
   */
  private List<Embedder> writeModels() {
    Set<Embedder> out = new LinkedHashSet<>();
    out.add(embedders.current());
    ModelSwitch.activeModel(dataSource, SOURCE).flatMap(embedders::forModel).ifPresent(out::add);
    return new ArrayList<>(out);
  }

  private static String reason(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof PermanentFailure) {
      return PermanentFailure.PREFIX + m;
    }
    return m.length() > 1000 ? m.substring(0, 1000) : m;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A failure retrying cannot fix (e.g. empty content): parked at once. */
  static final class PermanentFailure extends RuntimeException {
    static final String PREFIX = "cannot be embedded: ";

    PermanentFailure(String message) {
      super(message);
    }
  }
}
