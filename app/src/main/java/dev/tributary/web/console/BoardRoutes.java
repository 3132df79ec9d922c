package dev.tributary.web.console;

import dev.tributary.pipelines.monitoring.PipelineBoards;
import dev.tributary.web.ApiException;
import dev.tributary.web.Caller;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Read-only JSON for the console's engagement, suppliers and publishing views. Operators see every
 * zone; a signed-in user (JWT) sees the tweets of the zones they belong to and nothing else.
 */
public final class BoardRoutes implements WebServer.Routes {
  private static final Set<String> TIERS = Set.of("ultra_hot", "hot", "warm", "cold");

  private final PipelineBoards boards;

  public BoardRoutes(DataSource dataSource, Clock clock) {
    this.boards = new PipelineBoards(dataSource, clock);
  }

  @Override
  public void accept(Javalin app) {
    app.get(
        "/api/boards/engagement",
        ctx -> ctx.json(boards.engagement(viewer(ctx))),
        Role.SERVICE,
        Role.USER);
    app.get("/api/boards/tweets", this::tweets, Role.SERVICE, Role.USER);
    app.get(
        "/api/boards/tweets/{id}/curve",
        ctx -> ctx.json(Map.of("snapshots", boards.curve(viewer(ctx), tweetId(ctx)))),
        Role.SERVICE,
        Role.USER);
    app.get("/api/boards/imports", ctx -> ctx.json(boards.imports()), Role.SERVICE);
    app.get("/api/boards/publishing", ctx -> ctx.json(boards.publishing()), Role.SERVICE);
  }

  private void tweets(Context ctx) {
    String tier = ctx.queryParam("tier");
    if (tier != null && tier.isBlank()) {
      tier = null;
    }
    if (tier != null && !TIERS.contains(tier)) {
      throw ApiException.badRequest(
          "tier must be ultra_hot, hot, warm or cold, got '" + tier + "'");
    }
    Instant before = null;
    String raw = ctx.queryParam("before");
    if (raw != null && !raw.isBlank()) {
      try {
        before = Instant.parse(raw.strip());
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("before must be an ISO-8601 instant, got '" + raw + "'");
      }
    }
    int limit = 50;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l.strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > PipelineBoards.MAX_PAGE) {
        throw ApiException.badRequest(
            "limit must be a number between 1 and " + PipelineBoards.MAX_PAGE);
      }
    }
    ctx.json(Map.of("tweets", boards.tweets(viewer(ctx), tier, before, limit)));
  }

  private static UUID tweetId(Context ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("tweet id must be a uuid, got '" + ctx.pathParam("id") + "'");
    }
  }

  /** Empty for an operator (every zone); the user's id for a read-only viewer. */
  private static Optional<String> viewer(Context ctx) {
    Caller caller = Caller.of(ctx);
    if (caller.operator()) {
      return Optional.empty();
    }
    return Optional.of(caller.userId().orElseThrow(() -> ApiException.forbidden("no user")));
  }
}
