package dev.tributary.connectors.unipile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.VendorHttp;
import dev.tributary.connectors.unipile.UnipileException.Outcome;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Unipile's posts API (spec/external-apis.md §5): create a LinkedIn post ({@code POST
 * /api/v1/posts}, multipart), read one back ({@code GET /api/v1/posts/{id}}), list an account's
 * recent posts ({@code GET /api/v1/users/{identifier}/posts}) and find the account's own provider
 * id ({@code GET /api/v1/users/me}). Errors are read from the problem-JSON body and thrown as
 * {@link UnipileException} with the outcome a publisher needs. Redirects are not followed (they
 * would carry the key elsewhere); the key is never part of a message. Safe to share between
 * threads.
 */
public final class UnipileClient {
  public static final String VENDOR = "Unipile";
  static final String KEY_HEADER = "X-API-KEY";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final UnipileClientConfig config;
  private final HttpClient http;

  public UnipileClient(UnipileClientConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public UnipileClientConfig config() {
    return config;
  }

  /** Creates the post and returns its id ({@code post_id}). */
  public String createPost(PostDraft draft) {
    Multipart body = new Multipart();
    body.field("account_id", draft.accountId());
    body.field("text", draft.text());
    if (draft.asOrganization() != null) {
      body.field("as_organization", draft.asOrganization());
    }
    for (Attachment a : draft.attachments()) {
      body.file("attachments", a.fileName(), a.contentType(), a.data());
    }
    HttpRequest request =
        request("/api/v1/posts")
            .header("Content-Type", body.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
            .build();
    JsonNode root = call(request, true);
    JsonNode id = root.get("post_id");
    if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isBlank()) {
      // 201 without an id: created, but we cannot say which post it is; reconciliation finds it
      throw new UnipileException(
          200, Outcome.UNKNOWN, null, null, root.toString(), "the answer carries no post_id", null);
    }
    return id.asText();
  }

  /** One post, read back by id. */
  public UnipilePost getPost(String accountId, String postId) {
    HttpRequest request =
        request("/api/v1/posts/" + encode(postId) + "?account_id=" + encode(accountId))
            .GET()
            .build();
    return post(call(request, false));
  }

  /**
   * The most recent posts written by {@code identifier} (a member's {@code ACo…} provider id, or a
   * company's numeric id with {@code company} true), newest first, at most {@code limit} (1 to
   * 100).
   */
  public List<UnipilePost> listPosts(
      String accountId, String identifier, boolean company, int limit) {
    return listPage(accountId, identifier, company, limit, null).posts();
  }

  /** One page of posts, newest first; {@code cursor} null for the first page. */
  public PostPage listPage(
      String accountId, String identifier, boolean company, int limit, String cursor) {
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be between 1 and 100, got " + limit);
    }
    String path =
        "/api/v1/users/"
            + encode(identifier)
            + "/posts?account_id="
            + encode(accountId)
            + "&limit="
            + limit
            + (company ? "&is_company=true" : "")
            + (cursor == null ? "" : "&cursor=" + encode(cursor));
    JsonNode root = call(request(path).GET().build(), false);
    JsonNode items = root.get("items");
    if (items == null || !items.isArray()) {
      throw new UnipileException(
          200, Outcome.FINAL, null, null, root.toString(), "the post list has no items", null);
    }
    List<UnipilePost> out = new ArrayList<>();
    for (JsonNode item : items) {
      out.add(post(item));
    }
    String next = text(root, "cursor");
    return new PostPage(out, next.isBlank() ? null : next);
  }

  /** A page of an account's posts and the cursor of the next (null on the last). */
  public record PostPage(List<UnipilePost> posts, String cursor) {}

  /** The provider id ({@code ACo…}) of the member behind {@code accountId}. */
  public String ownProviderId(String accountId) {
    JsonNode root =
        call(request("/api/v1/users/me?account_id=" + encode(accountId)).GET().build(), false);
    JsonNode id = root.get("provider_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new UnipileException(
          200, Outcome.FINAL, null, null, root.toString(), "the profile has no provider_id", null);
    }
    return id.asText();
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(config.baseUrl() + pathAndQuery))
        .timeout(config.requestTimeout())
        .header(KEY_HEADER, config.apiKey())
        .header("Accept", "application/json");
  }

  private JsonNode call(HttpRequest request, boolean creating) {
    HttpResponse<String> response;
    try {
      response = VendorHttp.exchange(http, request, VENDOR);
    } catch (ConnectorException noAnswer) {
      // sent (or maybe sent) and no answer: for a create, nobody knows whether the post exists
      throw new UnipileException(
          0,
          creating ? Outcome.UNKNOWN : Outcome.REFUSED,
          null,
          null,
          null,
          noAnswer.getMessage().substring(VENDOR.length() + 2),
          noAnswer);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return parse(response.body(), status, creating);
    }
    throw problem(status, response, creating);
  }

  private JsonNode parse(String body, int status, boolean creating) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.isObject()) {
        return root;
      }
    } catch (JsonProcessingException e) {
      // fall through
    }
    // a 2xx we cannot read: for a create, the post was most likely made
    throw new UnipileException(
        status,
        creating ? Outcome.UNKNOWN : Outcome.FINAL,
        null,
        null,
        body,
        "HTTP " + status + " with a body that is not a JSON object",
        null);
  }

  private UnipileException problem(int status, HttpResponse<String> response, boolean creating) {
    String type = "";
    String title = "";
    String detail = "";
    try {
      JsonNode root = JSON.readTree(response.body());
      if (root != null && root.isObject()) {
        type = text(root, "type").replaceFirst("^errors/", "");
        title = text(root, "title");
        detail = text(root, "detail");
      }
    } catch (JsonProcessingException notJson) {
      // a gateway's HTML page: the status decides
    }
    Outcome outcome = outcome(status, type, creating);
    Duration wait =
        outcome == Outcome.FINAL
            ? null
            : VendorHttp.retryAfter(response.headers(), config.clock()).orElse(null);
    String words = !detail.isBlank() ? detail : !title.isBlank() ? title : "no details";
    String message =
        "HTTP " + status + (type.isBlank() ? "" : " " + type) + ": " + firstChars(words, 200);
    return new UnipileException(status, outcome, type, wait, response.body(), message, null);
  }

  static Outcome outcome(int status, String type, boolean creating) {
    if (status == 429 || (status == 503 && type.equals("no_client_session"))) {
      return Outcome.REFUSED;
    }
    if (status == 408 || status >= 500) {
      return creating ? Outcome.UNKNOWN : Outcome.REFUSED;
    }
    return Outcome.FINAL;
  }

  private static UnipilePost post(JsonNode n) {
    Instant at = null;
    String parsed = text(n, "parsed_datetime");
    if (!parsed.isBlank()) {
      try {
        at = Instant.parse(parsed);
      } catch (DateTimeParseException unreadable) {
        at = null;
      }
    }
    JsonNode author = n.get("author");
    boolean company = author != null && author.path("is_company").asBoolean(false);
    String id = text(n, "id");
    if (id.isBlank()) {
      throw new UnipileException(
          200, Outcome.FINAL, null, null, n.toString(), "a post without an id", null);
    }
    return new UnipilePost(
        id,
        Optional.of(text(n, "social_id")).filter(s -> !s.isBlank()).orElse(null),
        Optional.of(text(n, "share_url")).filter(s -> !s.isBlank()).orElse(null),
        text(n, "text"),
        at,
        company);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String firstChars(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "…";
  }
}
