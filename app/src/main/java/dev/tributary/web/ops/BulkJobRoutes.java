package dev.tributary.web.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.engine.BulkAction;
import dev.tributary.engine.JobMatch;
import dev.tributary.engine.MatchCount;
import dev.tributary.engine.MatchingJobs;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code POST /api/jobs/bulk}: retry, cancel or delete every job matching a filter, not only the
 * page on screen. A dry run answers how many jobs the action would touch and the highest id among
 * them; the action itself must carry that id back ({@code up_to_id}), so it touches only jobs the
 * operator saw counted, never one that arrived after the confirmation.
 */
public final class BulkJobRoutes implements WebServer.Routes {
  public static final String PATH = "/api/jobs/bulk";

  private final MatchingJobs matching;

  public BulkJobRoutes(DataSource dataSource, Clock clock) {
    this.matching = new MatchingJobs(dataSource, clock);
  }

  /** The body: the action, the filter and whether this is the confirmation's dry run. */
  record BulkBody(
      @JsonProperty(value = "action", required = true) String action,
      @JsonProperty("state") String state,
      @JsonProperty("queue") String queue,
      @JsonProperty("kind") String kind,
      @JsonProperty("from") String from,
      @JsonProperty("to") String to,
      @JsonProperty("up_to_id") Long upToId,
      @JsonProperty("dry_run") Boolean dryRun) {
    BulkBody {
      BulkAction.parse(action);
      if (upToId != null && upToId < 1) {
        throw new IllegalArgumentException("up_to_id must be a job id (at least 1)");
      }
    }

    boolean isDryRun() {
      return Boolean.TRUE.equals(dryRun);
    }
  }

  @Override
  public void accept(Javalin app) {
    app.post(PATH, this::bulk, Role.SERVICE);
  }

  private void bulk(Context ctx) {
    BulkBody b = JsonBody.read(ctx, BulkBody.class);
    BulkAction action = BulkAction.parse(b.action());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("state", b.state());
    fields.put("queue", b.queue());
    fields.put("kind", b.kind());
    fields.put("from", b.from());
    fields.put("to", b.to());
    JobMatch match = JobQueries.match(fields::get).upToId(b.upToId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("action", action.word());
    if (b.isDryRun()) {
      MatchCount count = matching.count(match, action);
      out.put("dry_run", true);
      out.put("count", count.count());
      out.put("up_to_id", count.maxId());
      ctx.json(out);
      return;
    }
    if (b.upToId() == null) {
      throw ApiException.badRequest(
          "up_to_id is required: run the action with \"dry_run\": true first and pass back the"
              + " up_to_id it answers, so only the jobs it counted are touched");
    }
    int touched;
    try {
      touched = matching.apply(match, action);
    } catch (IllegalStateException e) {
      throw new ApiException(409, "conflict", e.getMessage());
    }
    out.put("dry_run", false);
    out.put("touched", touched);
    ctx.json(out);
  }
}
