package dev.tributary.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the Unipile sandbox answers: JSON bodies, problem-JSON errors, query strings. */
final class SandboxHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxHttp() {}

  static void problem(HttpExchange ex, int status, String type, String title, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("type", "errors/" + type);
    body.put("title", title);
    body.put("detail", detail);
    json(ex, status, body);
  }

  static void json(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The caller's key against the sandbox's, in constant time. */
  static boolean keyMatches(String given, String required) {
    return given != null
        && java.security.MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), required.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  static Map<String, Object> wire(UnipileSandbox.Post p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("object", "Post");
    m.put("provider", "LINKEDIN");
    m.put("id", p.id());
    m.put("social_id", "urn:li:activity:" + p.id());
    m.put("share_url", "https://www.linkedin.com/feed/update/urn:li:activity:" + p.id());
    m.put("date", "now");
    m.put("parsed_datetime", p.createdAt().toString());
    m.put("text", p.text());
    m.put("comment_counter", 0);
    m.put("reaction_counter", 0);
    m.put("repost_counter", 0);
    m.put("impressions_counter", 0);
    m.put("attachments", List.of());
    m.put(
        "author",
        Map.of(
            "public_identifier",
            p.author(),
            "id",
            p.author(),
            "name",
            "Synthetic author",
            "is_company",
            p.byCompany()));
    m.put("is_repost", false);
    return m;
  }

  /** One page of {@code PostList}, newest first; the cursor is the last id of the page before. */
  static Map<String, Object> page(List<UnipileSandbox.Post> mine, String cursor, int limit) {
    int from = 0;
    if (cursor != null) {
      from = mine.size();
      for (int i = 0; i < mine.size(); i++) {
        if (mine.get(i).id().equals(cursor)) {
          from = i + 1;
          break;
        }
      }
    }
    List<Map<String, Object>> items = new java.util.ArrayList<>();
    for (int i = from; i < mine.size() && items.size() < limit; i++) {
      items.add(wire(mine.get(i)));
    }
    int end = from + items.size();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "PostList");
    body.put("items", items);
    body.put("cursor", end < mine.size() ? mine.get(end - 1).id() : null);
    return body;
  }

  /** The form of a create call, or null once a 400 problem was answered. */
  static SandboxMultipart postForm(HttpExchange ex) throws IOException {
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    SandboxMultipart form;
    try {
      form = SandboxMultipart.parse(contentType, ex.getRequestBody().readAllBytes());
    } catch (IllegalArgumentException e) {
      SandboxHttp.problem(ex, 400, "invalid_parameters", "Invalid parameters", e.getMessage());
      return null;
    }
    String accountId = form.field("account_id");
    String text = form.field("text");
    if (accountId == null || accountId.isBlank() || text == null || text.isBlank()) {
      SandboxHttp.problem(
          ex, 400, "missing_parameters", "Missing parameters", "account_id and text are required.");
      return null;
    }
    if (text.length() > 3000) {
      SandboxHttp.problem(
          ex,
          400,
          "too_many_characters",
          "Too many characters",
          "The text is over 3000 characters.");
      return null;
    }
    return form;
  }
}
