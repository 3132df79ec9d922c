package dev.tributary.web.vectorsync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.pipelines.vectorsync.DocumentText;
import dev.tributary.pipelines.vectorsync.EmbeddingQueueProcessor;
import dev.tributary.pipelines.vectorsync.TextChunker;
import dev.tributary.pipelines.vectorsync.VectorSyncAdmin;
import dev.tributary.web.ApiException;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The vector sync over HTTP, all behind {@code Authorization: Bearer SERVICE_ROLE_KEY}: {@code POST
 * /functions/v1/process-embedding-queue} (the seed's {action, batchSize, forceResync}), {@code
 * GET|POST /api/vectorize/sources}, {@code GET /api/vectorize/status} and {@code POST
 * /api/documents} (a PDF, multipart field {@code file} or a raw application/pdf body).
 */
public final class VectorSyncRoutes implements WebServer.Routes {
  public static final int DEFAULT_BATCH = 20;
  public static final int MAX_BATCH = 500;

  private final DataSource dataSource;
  private final EmbeddingQueueProcessor processor;
  private final VectorSyncAdmin admin;
  private final byte[] serviceKey;

  public VectorSyncRoutes(
      DataSource dataSource, EmbeddingQueueProcessor processor, String serviceRoleKey) {
    if (serviceRoleKey == null || serviceRoleKey.isBlank()) {
      throw new IllegalArgumentException("the vector sync routes need SERVICE_ROLE_KEY");
    }
    this.dataSource = dataSource;
    this.processor = processor;
    this.admin = new VectorSyncAdmin(dataSource);
    this.serviceKey = serviceRoleKey.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void accept(Javalin app) {
    app.post(
        "/functions/v1/process-embedding-queue",
        ctx -> {
          authorize(ctx);
          ctx.json(processQueue(body(ctx, true)));
        });
    app.get(
        "/api/vectorize/sources",
        ctx -> {
          authorize(ctx);
          ctx.json(admin.sources());
        });
    app.post(
        "/api/vectorize/sources",
        ctx -> {
          authorize(ctx);
          JsonNode b = body(ctx, false);
          String table = text(b, "table", true);
          int enqueued =
              invalidAs400(
                  () ->
                      admin.register(
                          table,
                          text(b, "idColumn", true),
                          text(b, "content", true),
                          text(b, "where", false)));
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("source_table", table);
          out.put("enqueued", enqueued);
          ctx.status(201).json(out);
        });
    app.get(
        "/api/vectorize/status",
        ctx -> {
          authorize(ctx);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("sources", admin.status());
          out.put("stuck", admin.stuckItems(VectorSyncAdmin.STUCK_AFTER));
          out.put("models", admin.modelSwitches());
          ctx.json(out);
        });
    app.post(
        "/api/documents",
        ctx -> {
          authorize(ctx);
          ctx.status(201).json(upload(ctx));
        });
  }

  private Map<String, Object> processQueue(JsonNode body) {
    String action = body.hasNonNull("action") ? body.get("action").asText() : "process";
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("action", action);
    switch (action) {
      case "process" -> {
        int batch = DEFAULT_BATCH;
        if (body.hasNonNull("batchSize")) {
          JsonNode n = body.get("batchSize");
          if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > MAX_BATCH) {
            throw ApiException.badRequest(
                "batchSize must be an integer between 1 and " + MAX_BATCH);
          }
          batch = n.asInt();
        }
        EmbeddingQueueProcessor.Result r = processor.processBatch(batch);
        out.put("processed", r.claimed());
        out.put("completed", r.completed());
        out.put("retried", r.retried());
        out.put("failed", r.failed());
        out.put("chunksEmbedded", r.chunksEmbedded());
        out.put("chunksReused", r.chunksReused());
      }
      case "resync" -> {
        JsonNode force = body.get("forceResync");
        String table = force == null || force.isNull() || force.isBoolean() ? null : force.asText();
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
      doc = DocumentText.fromPdf(pdf);
    } catch (DocumentText.UnreadableDocument e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String title =
        ctx.isMultipartFormData() && ctx.formParam("title") != null
            ? ctx.formParam("title")
            : ctx.queryParam("title") != null
                ? ctx.queryParam("title")
                : filename != null ? filename : "untitled document";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
        INSERT INTO client_documents (title, filename, content_type, page_count, content)
        VALUES (?, ?, 'application/pdf', ?, ?) RETURNING id::text""")) {
      ps.setString(1, title);
      ps.setString(2, filename);
      ps.setInt(3, doc.pages());
      ps.setString(4, doc.text().replace("\u0000", ""));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rs.getString(1));
        out.put("source_table", "client_documents");
        out.put("title", title);
        out.put("pages", doc.pages());
        out.put("characters", doc.text().length());
        out.put("chunks", TextChunker.DEFAULT.chunk(doc.text()).size());
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not store the document: " + e.getMessage(), e);
    }
  }

  private void authorize(Context ctx) {
    String header = ctx.header("Authorization");
    String prefix = "Bearer ";
    byte[] given =
        header != null && header.startsWith(prefix)
            ? header.substring(prefix.length()).getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, serviceKey)) {
      throw ApiException.unauthorized(
          "a valid service role key is required (Authorization: Bearer <key>)");
    }
  }

  private static JsonNode body(Context ctx, boolean emptyAllowed) throws java.io.IOException {
    String raw = ctx.body();
    if (raw.isBlank()) {
      if (emptyAllowed) {
        return WebServer.JSON.createObjectNode();
      }
      throw ApiException.badRequest("the request needs a JSON body");
    }
    JsonNode node = WebServer.JSON.readTree(raw);
    if (!node.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return node;
  }

  private static String text(JsonNode b, String name, boolean required) {
    JsonNode n = b.get(name);
    if (n == null || n.isNull() || n.asText().isBlank()) {
      if (required) {
        throw ApiException.badRequest("'" + name + "' is required");
      }
      return null;
    }
    return n.asText();
  }

  private static int invalidAs400(java.util.function.IntSupplier work) {
    try {
      return work.getAsInt();
    } catch (VectorSyncAdmin.InvalidRequest e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
