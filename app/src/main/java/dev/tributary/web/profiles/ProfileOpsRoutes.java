package dev.tributary.web.profiles;

import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.EnqueueResult;
import dev.tributary.engine.Jobs;
import dev.tributary.pipelines.profiles.ProfileJobs;
import dev.tributary.pipelines.profiles.SyncOperations;
import dev.tributary.pipelines.profiles.SyncRequest;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The profile sync's monitoring (S0.10) and troubleshooting recipes (S0.11) as a JSON API over
 * {@link SyncOperations}, plus a trigger that enqueues a sync as an engine job. Every route needs
 * {@code Authorization: Bearer <SERVICE_ROLE_KEY>}: failing profiles' errors and the sync history
 * are operator data, so reads are guarded like writes.
 */
public final class ProfileOpsRoutes implements WebServer.Routes {
  public static final String BASE = "/api/profiles";
  public static final int DEFAULT_JOBS_LIMIT = 20;
  public static final int MAX_JOBS_LIMIT = 500;

  /**
   * A manual trigger while one is waiting or running returns that one instead of queueing another.
   */
  public static final String MANUAL_SYNC_KEY = "profile_sync:manual";

  static final int MANUAL_SYNC_ATTEMPTS = 3;

  private final SyncOperations operations;
  private final Jobs jobs;
  private final boolean syncAvailable;

  /**
   * @param syncAvailable whether this node can scrape (has {@code RAPIDAPI_KEY}); without it a
   *     trigger is refused with 503 rather than queueing a job no node here can run
   */
  public ProfileOpsRoutes(SyncOperations operations, Jobs jobs, boolean syncAvailable) {
    this.operations = operations;
    this.jobs = jobs;
    this.syncAvailable = syncAvailable;
  }

  @Override
  public void accept(Javalin app) {
    app.get(BASE + "/sync/stats", ctx -> ctx.json(stats(operations.stats())), Role.SERVICE);
    app.get(
        BASE + "/sync/failing",
        ctx ->
            ctx.json(
                Map.of(
                    "profiles",
                    operations.failingProfiles().stream().map(ProfileOpsRoutes::failing).toList())),
        Role.SERVICE);
    app.get(BASE + "/sync/pending", ctx -> ctx.json(operations.pendingCounts()), Role.SERVICE);
    app.get(
        BASE + "/sync/jobs",
        ctx ->
            ctx.json(
                Map.of(
                    "jobs",
                    operations.recentJobs(limit(ctx)).stream()
                        .map(ProfileOpsRoutes::syncJob)
                        .toList())),
        Role.SERVICE);
    app.post(BASE + "/sync", this::triggerSync, Role.SERVICE);
    app.post(
        BASE + "/{id}/reset", ctx -> change(ctx, "reset", operations::resetProfile), Role.SERVICE);
    app.post(
        BASE + "/{id}/resync", ctx -> change(ctx, "resync", operations::forceResync), Role.SERVICE);
  }

  private void triggerSync(Context ctx) {
    if (!syncAvailable) {
      throw new ApiException(
          503, "not_configured", "profile sync is off on this node: set RAPIDAPI_KEY");
    }
    SyncRequest request;
    try {
      request = JsonBody.readOr(ctx, SyncBody.class, () -> SyncBody.EMPTY).toRequest();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("max_profiles", request.maxProfiles());
    args.put("generate_embeddings", request.generateEmbeddings());
    args.put("classify_hooks", request.classifyHooks());
    EnqueueResult r =
        jobs.enqueue(
            ProfileJobs.PROFILE_SYNC,
            args,
            EnqueueOptions.DEFAULTS
                .queue(ProfileJobs.SYNC_QUEUE)
                .maxAttempts(MANUAL_SYNC_ATTEMPTS)
                .uniqueKey(MANUAL_SYNC_KEY));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("job_id", r.jobId());
    body.put("deduplicated", r.deduplicated());
    body.put(
        "message",
        r.deduplicated()
            ? "a sync triggered earlier is still waiting or running: job " + r.jobId()
            : "sync queued as job " + r.jobId() + "; follow it with GET /api/jobs/" + r.jobId());
    ctx.status(202).json(body);
  }

  @FunctionalInterface
  private interface ProfileChange {
    boolean apply(UUID profileId);
  }

  private void change(Context ctx, String action, ProfileChange change) {
    UUID id = profileId(ctx.pathParam("id"));
    if (!change.apply(id)) {
      throw ApiException.notFound("no profile " + id + " (it has no profile_sync_status row)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("action", action);
    body.put("profile_id", id);
    body.put(
        "message",
        action.equals("reset")
            ? "consecutive failures set to 0 and last error cleared: the profile is synced again when due"
            : "last_scraped_at cleared: the profile is due at the next sync run");
    ctx.json(body);
  }

  private static UUID profileId(String raw) {
    try {
      return SyncOperations.profileId(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null || raw.isBlank()) {
      return DEFAULT_JOBS_LIMIT;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= MAX_JOBS_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ApiException.badRequest(
        "limit must be a whole number from 1 to " + MAX_JOBS_LIMIT + ", got '" + raw + "'");
  }

  static Map<String, Object> stats(SyncOperations.Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total_profiles", s.totalProfiles());
    m.put("profiles_needing_sync", s.profilesNeedingSync());
    m.put("posts_without_embedding", s.postsWithoutEmbedding());
    m.put("last_sync_date", s.lastSyncDate());
    m.put("sync_running", s.syncRunning());
    return m;
  }

  static Map<String, Object> failing(SyncOperations.FailingProfile f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile_id", f.profileId());
    m.put("full_name", f.fullName());
    m.put("linkedin_id", f.linkedinId());
    m.put("consecutive_failures", f.consecutiveFailures());
    m.put("last_error", f.lastError());
    m.put("last_attempt_at", f.lastAttemptAt());
    m.put("disabled", f.disabled());
    return m;
  }

  static Map<String, Object> syncJob(SyncOperations.SyncJob j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("job_type", j.jobType());
    m.put("status", j.status());
    m.put("profiles_processed", j.profilesProcessed());
    m.put("posts_scraped", j.postsScraped());
    m.put("posts_new", j.postsNew());
    m.put("embeddings_updated", j.embeddingsUpdated());
    m.put("hooks_classified", j.hooksClassified());
    m.put("started_at", j.startedAt());
    m.put("completed_at", j.completedAt());
    m.put("duration_seconds", j.durationSeconds());
    m.put("error_message", j.errorMessage());
    return m;
  }
}
