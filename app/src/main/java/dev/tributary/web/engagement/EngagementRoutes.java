package dev.tributary.web.engagement;

import dev.tributary.pipelines.engagement.Counts;
import dev.tributary.pipelines.engagement.EngagementService;
import dev.tributary.pipelines.engagement.Results.BatchResult;
import dev.tributary.pipelines.engagement.Results.DueSummary;
import dev.tributary.pipelines.engagement.Results.TweetEngagement;
import dev.tributary.web.ApiException;
import dev.tributary.web.Caller;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The seed's engagement endpoints (S4.6, S4.7) and the stats, history and add-tweets routes. Users
 * (JWT) reach the tweets of the zones they own or belong to; the service key reaches all; the batch
 * update takes QStash's signature or the ENGAGEMENT_UPDATE_SECRET bearer.
 */
public final class EngagementRoutes implements WebServer.Routes {
  public static final String REFRESH = "/api/twitter/tweets/{id}/refresh";
  public static final String HISTORY = "/api/twitter/tweets/{id}/history";
  public static final String UPDATE = "/api/twitter/engagement/update";
  public static final String STATS = "/api/twitter/engagement/stats";
  public static final String TWEETS = "/api/twitter/tweets";

  private final EngagementService service;

  public EngagementRoutes(EngagementService service) {
    this.service = service;
  }

  /** {@code {"limit": n}}; absent means 100, as the seed's schedule. */
  public record UpdateBody(Integer limit) {
    public UpdateBody {
      if (limit == null) {
        limit = 100;
      }
      if (limit < 1 || limit > EngagementService.MAX_BATCH_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + EngagementService.MAX_BATCH_LIMIT + ", got " + limit);
      }
    }
  }

  /** {@code {"tweet_ids": [...], "zone_id": "..."}}. */
  public record AddBody(
      @com.fasterxml.jackson.annotation.JsonProperty("tweet_ids") List<String> tweetIds,
      @com.fasterxml.jackson.annotation.JsonProperty("zone_id") UUID zoneId) {
    public AddBody {
      if (tweetIds == null || tweetIds.isEmpty() || tweetIds.size() > 1000) {
        throw new IllegalArgumentException("tweet_ids must hold 1 to 1000 ids");
      }
      for (String id : tweetIds) {
        if (id == null || !id.matches("[0-9]{1,25}")) {
          throw new IllegalArgumentException("a tweet id is 1 to 25 digits, got '" + id + "'");
        }
      }
      if (zoneId == null) {
        throw new IllegalArgumentException("zone_id is required");
      }
      tweetIds = List.copyOf(tweetIds);
    }
  }

  @Override
  public void accept(Javalin app) {
    Handler refresh = ctx -> refresh(ctx);
    app.post(REFRESH, refresh, Role.USER, Role.SERVICE);
    app.get(REFRESH, refresh, Role.USER, Role.SERVICE);
    app.get(HISTORY, this::history, Role.USER, Role.SERVICE);
    app.post(UPDATE, this::update, Role.QSTASH, Role.ENGAGEMENT_UPDATE, Role.SERVICE);
    app.get(
        UPDATE,
        ctx -> ctx.json(due(service.dueSummary())),
        Role.QSTASH,
        Role.ENGAGEMENT_UPDATE,
        Role.SERVICE);
    app.get(STATS, ctx -> ctx.json(service.getEngagementTrackingStats()), Role.USER, Role.SERVICE);
    app.post(TWEETS, this::add, Role.USER, Role.SERVICE);
  }

  private void refresh(Context ctx) {
    UUID id = visibleTweet(ctx);
    boolean force = "true".equalsIgnoreCase(ctx.queryParam("force"));
    TweetEngagement e =
        guarded(() -> service.refresh(id, force))
            .orElseThrow(() -> ApiException.notFound("no tweet " + id));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tweet_id", e.tweetId());
    data.put("metrics", counts(e.metrics()));
    data.put("deltas", counts(e.deltas()));
    data.put("velocity", e.velocity());
    data.put("tier", e.tier());
    data.put("tracking_enabled", e.trackingEnabled());
    data.put("unavailable", e.unavailable());
    data.put("last_updated_at", e.lastUpdatedAt());
    data.put("next_update_at", e.nextUpdateAt());
    data.put("cached", e.cached());
    ctx.json(Map.of("success", true, "data", data));
  }

  private void history(Context ctx) {
    UUID id = visibleTweet(ctx);
    ctx.json(Map.of("success", true, "data", service.history(id, 1000)));
  }

  private void update(Context ctx) {
    UpdateBody body = JsonBody.readOr(ctx, UpdateBody.class, () -> new UpdateBody(null));
    BatchResult r = guarded(() -> service.updateBatchTweetEngagement(body.limit()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("processed", r.processed());
    out.put("successful", r.successful());
    out.put("failed", r.failed());
    out.put("skipped", r.skipped());
    out.put("provider_calls", r.providerCalls());
    out.put("duration_ms", r.durationMs());
    ctx.json(out);
  }

  private void add(Context ctx) {
    AddBody body = JsonBody.read(ctx, AddBody.class);
    Caller caller = Caller.of(ctx);
    if (!service.zoneExists(body.zoneId())) {
      throw ApiException.notFound("no zone " + body.zoneId());
    }
    if (!caller.is(Role.SERVICE)
        && !service.userMayUseZone(body.zoneId(), caller.userId().orElse(null))) {
      throw ApiException.forbidden("you are not a member of this zone");
    }
    var r = guarded(() -> service.addTweets(body.tweetIds(), body.zoneId()));
    ctx.status(201).json(Map.of("success", true, "data", r));
  }

  /** The path's tweet, after the caller's access to its zone is checked. */
  private UUID visibleTweet(Context ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the tweet id must be a UUID (the tweet's database id)");
    }
    if (!service.exists(id)) {
      throw ApiException.notFound("no tweet " + id);
    }
    Caller caller = Caller.of(ctx);
    if (!caller.is(Role.SERVICE) && !service.userMaySee(id, caller.userId().orElse(null))) {
      throw ApiException.forbidden("this tweet is not in a zone you belong to");
    }
    return id;
  }

  private static <T> T guarded(Supplier<T> call) {
    try {
      return call.get();
    } catch (EngagementService.NotConfigured e) {
      throw new ApiException(503, "not_configured", e.getMessage());
    } catch (EngagementService.ProviderFailed e) {
      throw new ApiException(502, "provider_failed", e.getMessage());
    } catch (dev.tributary.connectors.ConnectorException e) {
      throw new ApiException(502, "provider_failed", e.getMessage());
    }
  }

  private static Map<String, Object> counts(Counts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("likes", c.likes());
    m.put("retweets", c.retweets());
    m.put("replies", c.replies());
    m.put("quotes", c.quotes());
    m.put("views", c.views());
    m.put("bookmarks", c.bookmarks());
    m.put("total", c.total());
    return m;
  }

  private static Map<String, Object> due(DueSummary d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("due", d.due());
    m.put("tracked", d.tracked());
    m.put("tiers", d.tiers());
    return m;
  }
}
