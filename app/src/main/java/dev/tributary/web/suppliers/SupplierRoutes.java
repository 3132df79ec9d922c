package dev.tributary.web.suppliers;

import dev.tributary.pipelines.suppliers.CycleReport;
import dev.tributary.pipelines.suppliers.ImportJobRequest;
import dev.tributary.pipelines.suppliers.ImportJobView;
import dev.tributary.pipelines.suppliers.SupplierPipeline;
import dev.tributary.pipelines.suppliers.UnknownSupplierException;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Supplier sync over HTTP, every route behind the service key: the seed's {@code POST
 * /functions/v1/automated-sync} (one cycle, answered when done), a sync trigger per supplier
 * ({@code POST /api/suppliers/{id}/sync}, queued on the engine), and the import jobs' list, detail
 * and stats (S2.7).
 */
public final class SupplierRoutes implements WebServer.Routes {
  public static final String AUTOMATED_SYNC = "/functions/v1/automated-sync";
  public static final String JOBS = "/api/import-jobs";
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  static final Set<String> STATUSES = Set.of("pending", "running", "completed", "failed");

  private final SupplierPipeline pipeline;

  public SupplierRoutes(SupplierPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** {@code POST /api/suppliers/{id}/sync}'s body. */
  record SyncBody(String job_type, Integer priority, String webhook_url) {
    static final SyncBody EMPTY = new SyncBody(null, null, null);
  }

  @Override
  public void accept(Javalin app) {
    app.post(AUTOMATED_SYNC, this::automatedSync, Role.SERVICE);
    app.post("/api/suppliers/{id}/sync", this::triggerSync, Role.SERVICE);
    app.get(JOBS, this::list, Role.SERVICE);
    app.get(JOBS + "/stats", ctx -> ctx.json(pipeline.stats()), Role.SERVICE);
    app.get(
        JOBS + "/{id}",
        ctx ->
            ctx.json(
                pipeline
                    .get(uuid(ctx.pathParam("id")))
                    .orElseThrow(
                        () ->
                            new ApiException(
                                404, "not_found", "no import job " + ctx.pathParam("id")))),
        Role.SERVICE);
  }

  private void automatedSync(Context ctx) {
    CycleReport r = pipeline.cycle(SupplierPipeline.CYCLE_MAX_JOBS);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("processed", r.processed());
    body.put("completed", r.completed());
    body.put("failed", r.failed());
    body.put("jobs", r.jobs());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("logs_deleted", r.maintenance().logsDeleted());
    m.put("jobs_deleted", r.maintenance().jobsDeleted());
    m.put("scores_updated", r.maintenance().scoresUpdated());
    body.put("maintenance", m);
    ctx.json(body);
  }

  private void triggerSync(Context ctx) {
    UUID supplier = uuid(ctx.pathParam("id"));
    SyncBody b = JsonBody.readOr(ctx, SyncBody.class, () -> SyncBody.EMPTY);
    ImportJobRequest request;
    try {
      request =
          new ImportJobRequest(
              supplier,
              b.job_type() == null ? "supplier_api" : b.job_type(),
              b.priority() == null ? ImportJobRequest.DEFAULT_PRIORITY : b.priority(),
              b.webhook_url());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    try {
      ImportJobView job = pipeline.create(request);
      ctx.status(202).json(Map.of("success", true, "job", job));
    } catch (UnknownSupplierException e) {
      throw new ApiException(404, "not_found", e.getMessage());
    }
  }

  private void list(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest(
          "status must be one of pending, running, completed, failed, got '" + status + "'");
    }
    int limit = DEFAULT_LIMIT;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("limit must be a whole number");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT);
      }
    }
    List<ImportJobView> jobs = pipeline.list(status, limit);
    ctx.json(Map.of("jobs", jobs));
  }

  private static UUID uuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'" + s + "' is not a uuid");
    }
  }
}
