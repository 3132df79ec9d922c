package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves {@code documentation_embeddings} to a new model with no search downtime: every chunk of the
 * active model is embedded again with the target model, in batches, beside the old vectors (the
 * unique key includes the model). Search keeps answering from the active model meanwhile. When no
 * chunk lacks its new vector, one UPDATE of {@code search_active_models} switches every node at
 * once (its trigger notifies them). The old model's vectors are deleted later, by {@link
 * #dropRetiredVectors(Duration)}, once every node has had time to move: a node still answering from
 * them must find their rows.
 */
public final class ModelSwitch {
  private static final Logger log = LoggerFactory.getLogger(ModelSwitch.class);
  static final String SOURCE = EmbeddingQueueProcessor.SOURCE;

  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final Embedder target;
  private final int batchSize;

  public ModelSwitch(DataSource dataSource, Embedder target, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
    this.target = target;
    this.batchSize = batchSize;
  }

  public record Progress(String from, String to, int embedded, boolean switched) {}

  /** The model search answers with for {@code source}, if one is recorded. */
  public static Optional<String> activeModel(DataSource dataSource, String source) {
    return new Jdbc(dataSource)
        .queryOne(
            "SELECT model FROM search_active_models WHERE source = :source",
            Params.of("source", source),
            rs -> rs.getString(1));
  }

  /** The sources search answers with {@code model} for. */
  public static List<String> sourcesAnsweringWith(DataSource dataSource, String model) {
    return new Jdbc(dataSource)
        .query(
            "SELECT source FROM search_active_models WHERE model = :model ORDER BY source",
            Params.of("model", model),
            rs -> rs.getString(1));
  }

  /** Records {@code model} as active for each source that has none yet (first start). */
  public static void ensureActive(DataSource dataSource, String model, List<String> sources) {
    new Jdbc(dataSource)
        .withConnection(
            "record the active models",
            h ->
                h.batch(
                    """
                    INSERT INTO search_active_models (source, model) VALUES (:source, :model)
                    ON CONFLICT (source) DO NOTHING""",
                    sources.stream().map(s -> Params.of("source", s, "model", model)).toList()));
  }

  /**
   * Runs the whole switch; returns at once when the target is already active, or when another node
   * is running a switch ({@link SwitchLock}: one node does the work).
   */
  public Progress run() {
    return SwitchLock.whileHeld(dataSource, this::runLocked)
        .orElseGet(
            () ->
                new Progress(
                    activeModel(dataSource, SOURCE).orElse(null), target.modelId(), 0, false));
  }

  private Progress runLocked() {
    String from = activeModel(dataSource, SOURCE).orElse(null);
    if (from == null || from.equals(target.modelId())) {
      ensureActive(dataSource, target.modelId(), List.of(SOURCE));
      return new Progress(from, target.modelId(), 0, false);
    }
    log.info("re-embedding documentation_embeddings from {} to {}", from, target.modelId());
    int embedded = 0;
    while (true) {
      int n = step(from);
      if (n == 0) {
        break;
      }
      embedded += n;
    }
    boolean switched = switchIfComplete(from);
    log.info(
        "model switch {} -> {}: {} chunks embedded, switched={}",
        from,
        target.modelId(),
        embedded,
        switched);
    return new Progress(from, target.modelId(), embedded, switched);
  }

  /**
   * Deletes vectors of models that stopped answering more than {@code grace} ago (run it with the
   * queue cleanup; a grace of a few poll intervals is enough). Returns how many rows went.
   */
  public static int dropRetiredVectors(DataSource dataSource, Duration grace) {
    return new Jdbc(dataSource)
        .update(
            """
            DELETE FROM documentation_embeddings d
            USING search_active_models a
            WHERE a.source = 'documentation_embeddings' AND d.model <> a.model
              AND a.updated_at < now() - make_interval(secs => :grace_seconds)""",
            Params.of("grace_seconds", grace.toMillis() / 1000.0));
  }

  /**
   * Embeds one batch of chunks that lack an up-to-date vector of the target model; returns how
   * many.
   */
  public int step(String from) {
    record Chunk(
        String table, String id, int index, String content, String hash, String metadata) {}
    List<Chunk> chunks =
        jdbc.query(
            """
            SELECT o.source_table, o.source_id, o.chunk_index, o.content, o.content_hash, o.metadata::text
            FROM documentation_embeddings o
            WHERE o.model = :from
              AND NOT EXISTS (SELECT 1 FROM documentation_embeddings n
                              WHERE n.model = :to AND n.source_table = o.source_table AND n.source_id = o.source_id
                                AND n.chunk_index = o.chunk_index
                                AND n.content_hash IS NOT DISTINCT FROM o.content_hash)
            ORDER BY o.source_table, o.source_id, o.chunk_index
            LIMIT :limit""",
            Params.of("from", from, "to", target.modelId(), "limit", batchSize),
            rs ->
                new Chunk(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6)));
    if (chunks.isEmpty()) {
      return 0;
    }
    List<float[]> vectors = target.embed(chunks.stream().map(Chunk::content).toList());
    List<DocumentationEmbeddings.Chunk> embedded = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      Chunk k = chunks.get(i);
      embedded.add(
          new DocumentationEmbeddings.Chunk(
              k.table(), k.id(), k.index(), k.content(), k.hash(), k.metadata(), vectors.get(i)));
    }
    jdbc.withConnection(
        "store re-embedded chunks",
        h -> {
          DocumentationEmbeddings.upsert(h, target.modelId(), embedded);
          return null;
        });
    return chunks.size();
  }

  /**
   * Switches in one transaction if every chunk of {@code from} has its target vector, then drops
   * the old ones.
   */
  private boolean switchIfComplete(String from) {
    return jdbc.inTransaction(
        "switch the active model",
        h -> {
          h.execute("LOCK TABLE documentation_embeddings IN SHARE MODE", Params.NONE);
          long missing =
              h.queryOne(
                      """
                      SELECT count(*) FROM documentation_embeddings o WHERE o.model = :from
                        AND NOT EXISTS (SELECT 1 FROM documentation_embeddings n
                                        WHERE n.model = :to AND n.source_table = o.source_table
                                          AND n.source_id = o.source_id
                                          AND n.chunk_index = o.chunk_index)""",
                      Params.of("from", from, "to", target.modelId()),
                      rs -> rs.getLong(1))
                  .orElseThrow();
          if (missing > 0) {
            return false; // nothing written: the transaction only held the lock
          }
          return h.update(
                  """
                  UPDATE search_active_models SET model = :to, updated_at = now()
                   WHERE source = :source AND model = :from""",
                  Params.of("to", target.modelId(), "source", SOURCE, "from", from))
              > 0;
        });
  }
}
