package dev.tributary.pipelines.enrichment;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The five post queues of S1.9 as the schema defines them: {@code get_posts_needing_…(n, stale)}
 * claims, {@code release_post_lock(id, queue)} gives a row back. Claims are committed at once, so a
 * slow model call holds no row lock; the stamp keeps other workers away.
 */
enum PostQueue {
  HOOK_EXTRACTION("hook_extraction", "get_posts_needing_hook_extraction"),
  EMBEDDING("embedding", "get_posts_needing_embedding"),
  HOOK_CLASSIFICATION("hook_classification", "get_posts_needing_classification"),
  TOPIC_CLASSIFICATION("topic_classification", "get_posts_needing_topic_classification"),
  AUDIENCE_CLASSIFICATION("audience_classification", "get_posts_needing_audience_classification");

  /** A claim older than this is presumed dead (its worker crashed) and can be claimed again. */
  static final String STALE_AFTER = "10 minutes";

  final String queue;

  /** The seed's queue function (S1.9), over {@code claim_posts_needing}. */
  final String function;

  PostQueue(String queue, String function) {
    this.queue = queue;
    this.function = function;
  }

  String flagColumn() {
    return "needs_" + queue;
  }

  String lockColumn() {
    return queue + "_locked_at";
  }

  /**
   * A claimed row; {@code embedding}, {@code embeddingModel} and {@code needsEmbedding} are read
   * only when asked for (the vector is the largest column).
   */
  record ClaimedPost(
      UUID id,
      String hook,
      String content,
      float[] embedding,
      String embeddingModel,
      boolean needsEmbedding) {}

  List<ClaimedPost> claim(Jdbc jdbc, int max) {
    return claim(jdbc, max, false);
  }

  List<ClaimedPost> claim(Jdbc jdbc, int max, boolean withEmbedding) {
    return claim(jdbc, max, withEmbedding, false);
  }

  /**
   * @param embeddedOnly only posts not flagged {@code needs_embedding} (V045; classification queues
   *     only)
   */
  List<ClaimedPost> claim(Jdbc jdbc, int max, boolean withEmbedding, boolean embeddedOnly) {
    if (max < 1) {
      return List.of();
    }
    String from =
        embeddedOnly
            ? "claim_posts_needing('" + queue + "', :max, :stale::interval, true)"
            : function + "(:max, :stale::interval)";
    return jdbc.inTransaction(
        "claim posts from the " + queue + " queue",
        h ->
            h.query(
                "SELECT id, hook, content"
                    + (withEmbedding ? ", embedding, embedding_model, needs_embedding" : "")
                    + " FROM "
                    + from,
                Params.of("max", max, "stale", STALE_AFTER),
                rs -> {
                  float[] vector = null;
                  String model = null;
                  boolean needsEmbedding = false;
                  if (withEmbedding) {
                    java.sql.Array a = rs.getArray(4);
                    vector = a == null ? null : unbox((Float[]) a.getArray());
                    model = rs.getString(5);
                    needsEmbedding = rs.getBoolean(6);
                  }
                  return new ClaimedPost(
                      (UUID) rs.getObject(1),
                      rs.getString(2),
                      rs.getString(3),
                      vector,
                      model,
                      needsEmbedding);
                }));
  }

  private static float[] unbox(Float[] boxed) {
    float[] out = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      out[i] = boxed[i] == null ? 0f : boxed[i];
    }
    return out;
  }

  void release(Jdbc jdbc, List<UUID> ids) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.inTransaction(
        "release claims on the " + queue + " queue",
        h -> {
          release(h, ids);
          return null;
        });
  }

  /**
   * Locks the posts a write is about to touch, in id order. Every multi-row write to the posts
   * (stores, releases, clears) starts with this, so two of them that share posts (a topic store and
   * an embedding store of the same batch, say) lock in the same order and wait for each other
   * instead of deadlocking, as they did in arbitrary order.
   */
  static void lockInOrder(Handle h, List<UUID> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    h.execute(
        "SELECT 1 FROM viral_posts_bank WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE",
        Params.of("ids", ids.toArray(UUID[]::new)));
  }

  void release(Handle h, List<UUID> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    lockInOrder(h, ids);
    h.update(
        "UPDATE viral_posts_bank SET " + lockColumn() + " = NULL WHERE id = ANY(:ids)",
        Params.of("ids", ids.toArray(UUID[]::new)));
  }

  /** Rows with nothing to work on: flag cleared, claim released, nothing stored. */
  void clear(Handle h, List<UUID> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    lockInOrder(h, ids);
    h.update(
        "UPDATE viral_posts_bank SET "
            + flagColumn()
            + " = false, "
            + lockColumn()
            + " = NULL WHERE id = ANY(:ids)",
        Params.of("ids", ids.toArray(UUID[]::new)));
  }
}
