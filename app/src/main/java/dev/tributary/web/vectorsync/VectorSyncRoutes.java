package dev.tributary.web.vectorsync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.pipelines.vectorsync.DocumentText;
import dev.tributary.pipelines.vectorsync.EmbeddingQueueProcessor;
import dev.tributary.pipelines.vectorsync.VectorSyncAdmin;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The vector sync over HTTP, behind {@code Authorization: Bearer SERVICE_ROLE_KEY}: {@code POST
 * /functions/v1/process-embedding-queue} (the seed's {action, batchSize, forceResync}), {@code GET
 * /api/vectorize/sources}, {@code GET /api/vectorize/status}, {@code GET
 * /api/vectorize/consistency} (rows without a current embedding) and {@code POST /api/documents} (a
 * PDF, multipart field {@code file} or a raw application/pdf body). Registering a source ({@code
 * POST /api/vectorize/sources}) is an administrator's act: {@code Bearer ADMIN_KEY} only.
 */
public final class VectorSyncRoutes implements WebServer.Routes {
  public static final int DEFAULT_BATCH = 20;
  public static final int MAX_BATCH = 500;

  private final EmbeddingQueueProcessor processor;
  private final VectorSyncAdmin admin;
  private final DocumentText.Limits pdfLimits;

  public VectorSyncRoutes(DataSource dataSource, EmbeddingQueueProcessor processor) {
    this(dataSource, processor, DocumentText.Limits.DEFAULTS);
  }

  public VectorSyncRoutes(
      DataSource dataSource, EmbeddingQueueProcessor processor, DocumentText.Limits pdfLimits) {
    this.processor = processor;
    this.admin = new VectorSyncAdmin(dataSource);
    this.pdfLimits = pdfLimits;
  }

  /** The seed's {@code {action, batchSize, forceResync}}; forceResync is a boolean or a table. */
  record QueueBody(String action, Integer batchSize, Object forceResync) {
    static final QueueBody EMPTY = new QueueBody(null, null, null);

    QueueBody {
      action = action == null ? "process" : action;
      if (batchSize != null && (batchSize < 1 || batchSize > MAX_BATCH)) {
        throw new IllegalArgumentException(
            "batchSize must be an integer between 1 and " + MAX_BATCH);
      }
      if (forceResync != null
          && !(forceResync instanceof Boolean || forceResync instanceof String)) {
        throw new IllegalArgumentException("forceResync must be true, false or a table name");
      }
    }

    String table() {
      return forceResync instanceof String t && !t.isBlank() ? t : null;
    }
  }

  /** A source to register: {@code {table, idColumn, content, where}}. */
  record SourceBody(
      @JsonProperty(value = "table", required = true) String table,
      @JsonProperty(value = "idColumn", required = true) String idColumn,
      @JsonProperty(value = "content", required = true) String content,
      @JsonProperty("where") String where) {
    SourceBody {
      for (String[] f :
          new String[][] {{"table", table}, {"idColumn", idColumn}, {"content", content}}) {
        if (f[1] == null || f[1].isBlank()) {
          throw new IllegalArgumentException("'" + f[0] + "' is required");
        }
      }
      where = where == null || where.isBlank() ? null : where;
    }
  }

  @Override
  public void accept(Javalin app) {
    app.post(
        "/functions/v1/process-embedding-queue",
        ctx -> ctx.json(processQueue(JsonBody.readOr(ctx, QueueBody.class, () -> QueueBody.EMPTY))),
        Role.SERVICE);
    app.get("/api/vectorize/sources", ctx -> ctx.json(admin.sources()), Role.SERVICE);
    app.post(
        "/api/vectorize/sources",
        ctx -> {
          SourceBody b = JsonBody.read(ctx, SourceBody.class);
          int enqueued =
              invalidAs400(() -> admin.register(b.table(), b.idColumn(), b.content(), b.where()));
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("source_table", b.table());
          out.put("enqueued", enqueued);
          ctx.status(201).json(out);
        },
        // an administrator's act: the expressions run on every write to the table
        Role.ADMIN);
    app.get(
        "/api/vectorize/status",
        ctx -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("sources", admin.status());
          out.put("stuck", admin.stuckItems(VectorSyncAdmin.STUCK_AFTER));
          out.put("models", admin.modelSwitches());
          ctx.json(out);
        },
        Role.SERVICE);
    app.get("/api/vectorize/consistency", ctx -> ctx.json(consistency()), Role.SERVICE);
    app.post("/api/documents", ctx -> ctx.status(201).json(upload(ctx)), Role.SERVICE);
  }

  /** How many ids one source lists in the consistency answer; the count is always whole. */
  static final int MISSING_SAMPLE = 20;

  /**
   * The consistency check of every registered source ({@link VectorSyncAdmin#missingEmbeddings}):
   * included rows without an embedding in the model search answers with, counted, with the first
   * ids.
   */
  private Map<String, Object> consistency() {
    java.util.List<Map<String, Object>> sources = new java.util.ArrayList<>();
    for (Map<String, Object> source : admin.sources()) {
      String table = String.valueOf(source.get("source_table"));
      java.util.List<String> missing = admin.missingEmbeddings(table);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("source_table", table);
      row.put("missing", missing.size());
      row.put("sample", missing.subList(0, Math.min(MISSING_SAMPLE, missing.size())));
      sources.add(row);
    }
    return Map.of("sources", sources);
  }

  private Map<String, Object> processQueue(QueueBody body) {
    String action = body.action();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("action", action);
    switch (action) {
      case "process" -> {
        int batch = body.batchSize() == null ? DEFAULT_BATCH : body.batchSize();
        EmbeddingQueueProcessor.Result r = processor.processBatch(batch);
        out.put("processed", r.claimed());
        out.put("completed", r.completed());
        out.put("retried", r.retried());
        out.put("failed", r.failed());
        out.put("chunksEmbedded", r.chunksEmbedded());
        out.put("chunksReused", r.chunksReused());
      }
      case "resync" -> {
        String table = body.table();
        out.put("table", table);
        out.put("enqueued", invalidAs400(() -> admin.resync(table)));
      }
      default ->
          throw ApiException.badRequest(
              "action must be 'process' or 'resync', got '" + action + "'");
    }
    return out;
  }

  private Map<String, Object> upload(Context ctx) {
    byte[] pdf;
    String filename;
    UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
    if (file != null) {
      try (var in = file.content()) {
        pdf = in.readAllBytes();
      } catch (java.io.IOException e) {
        throw ApiException.badRequest("could not read the uploaded file: " + e.getMessage());
      }
      filename = file.filename();
    } else if (ctx.isMultipartFormData()) {
      throw ApiException.badRequest("a multipart upload needs the PDF in a field named 'file'");
    } else {
      String type = ctx.contentType() == null ? "" : ctx.contentType();
      if (!type.startsWith("application/pdf")) {
        throw ApiException.badRequest(
            "send a PDF as multipart/form-data (field 'file') or as application/pdf");
      }
      pdf = ctx.bodyAsBytes();
      filename = ctx.queryParam("filename");
    }
    DocumentText.Extracted doc;
    try {
      doc = DocumentText.fromPdf(pdf, pdfLimits);
    } catch (DocumentText.DocumentTooLarge e) {
      throw new ApiException(413, "payload_too_large", e.getMessage());
    } catch (DocumentText.UnreadableDocument e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String title =
        ctx.isMultipartFormData() && ctx.formParam("title") != null
            ? ctx.formParam("title")
            : ctx.queryParam("title") != null
                ? ctx.queryParam("title")
                : filename != null ? filename : "untitled document";
    VectorSyncAdmin.StoredDocument stored = admin.storeDocument(title, filename, doc);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", stored.id());
    out.put("source_table", "client_documents");
    out.put("title", stored.title());
    out.put("pages", stored.pages());
    out.put("characters", stored.characters());
    out.put("chunks", stored.chunks());
    return out;
  }

  private static int invalidAs400(java.util.function.IntSupplier work) {
    try {
      return work.getAsInt();
    } catch (VectorSyncAdmin.InvalidRequest e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
