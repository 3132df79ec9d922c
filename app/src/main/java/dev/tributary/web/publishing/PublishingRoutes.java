package dev.tributary.web.publishing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.engine.Jobs;
import dev.tributary.pipelines.publishing.CycleResult;
import dev.tributary.pipelines.publishing.MediaItem;
import dev.tributary.pipelines.publishing.NewScheduledPost;
import dev.tributary.pipelines.publishing.PostRef;
import dev.tributary.pipelines.publishing.PublishingCycle;
import dev.tributary.pipelines.publishing.PublishingJobs;
import dev.tributary.pipelines.publishing.PublishingModule;
import dev.tributary.pipelines.publishing.PublishingOperations;
import dev.tributary.web.ApiException;
import dev.tributary.web.Caller;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scheduled publishing over HTTP: the seed's cycle ({@code POST /functions/v1/publish-scheduled},
 * scheduler secret, answers the counts), the status and the operator's list, retry and cancel
 * (service key), and scheduling a post (service key or a user's token). Without {@code
 * UNIPILE_API_KEY} every route answers 503 naming it ({@link #off()}).
 */
public final class PublishingRoutes implements WebServer.Routes {
  public static final String CYCLE_PATH = "/functions/v1/publish-scheduled";
  public static final String BASE = "/api/publishing";
  static final int MAX_LIMIT = 500;

  private final PublishingModule module;
  private final Jobs jobs;

  public PublishingRoutes(PublishingModule module, Jobs jobs) {
    this.module = module;
    this.jobs = jobs;
  }

  /** The body of {@code POST /api/publishing/scheduled-posts}. */
  public record ScheduleBody(
      @JsonProperty(value = "unipile_account_id", required = true) UUID unipileAccountId,
      @JsonProperty(value = "content", required = true) String content,
      @JsonProperty(value = "scheduled_at", required = true) Instant scheduledAt,
      @JsonProperty("media") List<MediaBody> media) {}

  public record MediaBody(
      @JsonProperty(value = "url", required = true) String url,
      @JsonProperty("type") String type,
      @JsonProperty("name") String name) {}

  /** The body of {@code PATCH /api/publishing/scheduled-posts/{id}}. */
  public record MoveBody(
      @JsonProperty(value = "scheduled_at", required = true) Instant scheduledAt) {}

  @Override
  public void accept(Javalin app) {
    PublishingOperations ops = module.operations();
    app.post(CYCLE_PATH, this::cycle, Role.SCHEDULER);
    app.get(BASE + "/status", ctx -> ctx.json(ops.status()), Role.SERVICE);
    app.get(
        BASE + "/posts",
        ctx -> ctx.json(Map.of("posts", ops.list(ctx.queryParam("status"), limit(ctx)))),
        Role.SERVICE);
    app.get(BASE + "/due", ctx -> ctx.json(Map.of("posts", ops.due(limit(ctx)))), Role.SERVICE);
    app.post(
        BASE + "/posts/{source}/{id}/retry",
        ctx -> change(ctx, "retry", ops.retry(ref(ctx), jobs)),
        Role.SERVICE);
    app.post(
        BASE + "/posts/{source}/{id}/cancel",
        ctx -> change(ctx, "cancel", ops.cancel(ref(ctx))),
        Role.SERVICE);
    app.post(BASE + "/scheduled-posts", this::schedule, Role.SERVICE, Role.USER);
    app.patch(
        BASE + "/scheduled-posts/{id}",
        ctx -> {
          MoveBody body = JsonBody.read(ctx, MoveBody.class);
          UUID id = uuid(ctx.pathParam("id"));
          change(ctx, "move", ops.reschedule(id, body.scheduledAt()));
        },
        Role.SERVICE);
  }

  private void cycle(Context ctx) {
    CycleResult r =
        module
            .cycle()
            .run(PublishingCycle.DEFAULT_LIMIT, o -> PublishingJobs.enqueueCheck(jobs, o));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("processed", r.processed());
    body.put("published", r.published());
    body.put("reconciled", r.reconciled());
    body.put("failed", r.failed());
    body.put("outcome_unknown", r.unknown());
    body.put("refused", r.refused());
    body.put("busy", r.busy());
    ctx.json(body);
  }

  private void schedule(Context ctx) {
    ScheduleBody b = JsonBody.read(ctx, ScheduleBody.class);
    NewScheduledPost post;
    try {
      List<MediaItem> media =
          b.media() == null
              ? List.of()
              : b.media().stream().map(m -> new MediaItem(m.url(), m.type(), m.name())).toList();
      post = new NewScheduledPost(b.unipileAccountId(), b.content(), b.scheduledAt(), media);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Caller caller = Caller.of(ctx);
    UUID userId = userId(caller);
    UUID id;
    try {
      // a user schedules from their own accounts only; the service key from any
      id = module.operations().schedule(post, userId, !caller.is(Role.SERVICE));
    } catch (IllegalArgumentException e) {
      throw new ApiException(422, "invalid_post", e.getMessage());
    }
    ctx.status(201).json(Map.of("id", id, "status", "pending", "scheduled_at", post.scheduledAt()));
  }

  private static UUID userId(Caller caller) {
    if (caller.userId().isEmpty()) {
      return null;
    }
    try {
      return UUID.fromString(caller.userId().get());
    } catch (IllegalArgumentException notAUuid) {
      return null;
    }
  }

  private static void change(Context ctx, String what, boolean changed) {
    if (!changed) {
      throw new ApiException(
          409,
          "conflict",
          "cannot " + what + " it in its current status (see GET " + BASE + "/posts)");
    }
    ctx.json(Map.of("success", true, "action", what));
  }

  private static PostRef ref(Context ctx) {
    try {
      return new PostRef(ctx.pathParam("source"), uuid(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static UUID uuid(String raw) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'" + raw + "' is not a UUID");
    }
  }

  private static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null) {
      return 50;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n < 1 || n > MAX_LIMIT) {
        throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit must be an integer");
    }
  }

  /** Every publishing route answering 503: publishing is off on this node. */
  public static WebServer.Routes off() {
    return app -> {
      io.javalin.http.Handler off =
          ctx -> {
            throw new ApiException(
                503,
                "not_configured",
                "scheduled publishing is off on this node: set UNIPILE_API_KEY");
          };
      app.post(CYCLE_PATH, off, Role.SCHEDULER);
      app.get(BASE + "/status", off, Role.SERVICE);
      app.get(BASE + "/posts", off, Role.SERVICE);
      app.get(BASE + "/due", off, Role.SERVICE);
      app.post(BASE + "/posts/{source}/{id}/retry", off, Role.SERVICE);
      app.post(BASE + "/posts/{source}/{id}/cancel", off, Role.SERVICE);
      app.post(BASE + "/scheduled-posts", off, Role.SERVICE, Role.USER);
      app.patch(BASE + "/scheduled-posts/{id}", off, Role.SERVICE);
    };
  }
}
