package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.HookText;
import dev.tributary.ai.TokenUsage;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code worker-extract-hooks-v2} (S1.1): the hook of each flagged post, from its text alone
 * ({@link HookText}). Storing the hook fires {@code on_viral_post_hook_extracted}, which clears the
 * flag and the claim and flags the post for hook, topic and audience classification.
 */
public final class HookExtractionWorker implements CascadeWorker {
  public static final String NAME = "worker_extract_hooks_v2";

  private final Jdbc jdbc;

  public HookExtractionWorker(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WorkerResult processBatch(int maxItems) {
    List<PostQueue.ClaimedPost> posts = PostQueue.HOOK_EXTRACTION.claim(jdbc, maxItems);
    if (posts.isEmpty()) {
      return WorkerResult.NOTHING;
    }
    List<UUID> empty = new ArrayList<>();
    List<PostQueue.ClaimedPost> withHook = new ArrayList<>();
    List<String> hooks = new ArrayList<>();
    for (PostQueue.ClaimedPost p : posts) {
      String hook = HookText.extract(p.content());
      if (hook.isEmpty()) {
        empty.add(p.id());
      } else {
        withHook.add(p);
        hooks.add(hook);
      }
    }
    try {
      jdbc.inTransaction(
          "store extracted hooks",
          h -> {
            PostQueue.lockInOrder(h, posts.stream().map(PostQueue.ClaimedPost::id).toList());
            // one statement for the batch: the statement-level cascade trigger (V041) then runs
            // once, not per row
            h.update(
                """
                UPDATE viral_posts_bank v
                   SET hook = u.hook, needs_hook_extraction = false, hook_extraction_locked_at = NULL
                  FROM unnest(:ids::uuid[], :hooks::text[]) AS u(id, hook)
                 WHERE v.id = u.id
                """,
                Params.of(
                    "ids",
                    withHook.stream().map(PostQueue.ClaimedPost::id).toArray(UUID[]::new),
                    "hooks",
                    hooks.toArray(String[]::new)));
            PostQueue.HOOK_EXTRACTION.clear(h, empty);
            return null;
          });
    } catch (RuntimeException e) {
      PostQueue.HOOK_EXTRACTION.release(
          jdbc, posts.stream().map(PostQueue.ClaimedPost::id).toList());
      return new WorkerResult(0, posts.size(), 0, TokenUsage.NONE, e);
    }
    return new WorkerResult(withHook.size(), 0, empty.size(), TokenUsage.NONE, null);
  }
}
