package dev.tributary.connectors.linkedin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.VendorHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RapidAPI "Fresh LinkedIn Profile Data": {@code GET /get-profile-posts} (spec/external-apis.md
 * §1). One instance is safe to share between threads.
 *
 * <p>Errors are {@link ConnectorException}s: 429 (quota or rate, honouring Retry-After when sent),
 * 5xx and timeouts are retryable; 401/403 (bad key, not subscribed) and 404 (no such profile) are
 * final, as are a body that is not JSON and a 200 whose {@code message} is not {@code "ok"}.
 */
public final class RapidApiLinkedInClient implements LinkedInPostSource, AutoCloseable {
  public static final String VENDOR = "RapidAPI LinkedIn";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter POSTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final LinkedInClientConfig config;
  private final RateLimiter rateLimiter;
  private final HttpClient http;

  /** A client that calls as fast as asked (tests, one-off use); the pipeline passes a limiter. */
  public RapidApiLinkedInClient(LinkedInClientConfig config) {
    this(config, RateLimiter.NONE);
  }

  /**
   * @param rateLimiter asked before every request, retries included (each one is billed)
   */
  public RapidApiLinkedInClient(LinkedInClientConfig config, RateLimiter rateLimiter) {
    this.config = config;
    this.rateLimiter = rateLimiter;
    // no redirects: the API never sends one, and following it would hand the key header to another
    // host
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public LinkedInClientConfig config() {
    return config;
  }

  /**
   * The latest posts of a profile: {@link LinkedInClientConfig#maxPages()} pages (page 1 by
   * default).
   */
  @Override
  public List<LinkedInPost> fetchPosts(String linkedinId) {
    return fetchPosts(linkedinId, config.maxPages());
  }

  /**
   * Up to {@code pages} pages, following {@code paging.pagination_token} and stopping at a short
   * page.
   */
  public List<LinkedInPost> fetchPosts(String linkedinId, int pages) {
    if (pages < 1) {
      throw new IllegalArgumentException("pages must be at least 1, got " + pages);
    }
    String url = profileUrl(linkedinId);
    List<LinkedInPost> all = new ArrayList<>();
    PostsPage page = fetchPage(url, 0, null);
    all.addAll(page.posts());
    for (int i = 1; i < pages && page.hasNext(); i++) {
      page =
          fetchPage(url, page.start() + PostsPage.PAGE_SIZE, page.paginationToken().orElseThrow());
      all.addAll(page.posts());
    }
    return all;
  }

  /**
   * One page. {@code start} is 0 for page 1, 50 for page 2…; {@code paginationToken} is null for
   * page 1 and the previous page's token after.
   */
  public PostsPage fetchPage(String linkedinUrl, int start, String paginationToken) {
    if (start < 0) {
      throw new IllegalArgumentException("start must not be negative, got " + start);
    }
    StringBuilder query =
        new StringBuilder("linkedin_url=").append(encode(linkedinUrl)).append("&type=posts");
    if (start > 0) {
      query.append("&start=").append(start);
    }
    if (paginationToken != null) {
      query.append("&pagination_token=").append(encode(paginationToken));
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + "/get-profile-posts?" + query))
            .timeout(config.requestTimeout())
            .header("x-rapidapi-key", config.apiKey())
            .header("x-rapidapi-host", config.host())
            .header("Accept", "application/json")
            .GET()
            .build();
    try {
      rateLimiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectorException(
          VENDOR, 0, true, null, null, "interrupted while waiting for a rate-limit permit", e);
    }
    HttpResponse<String> response = VendorHttp.send(http, request, VENDOR, config.clock());
    return parsePage(response.body(), start);
  }

  static PostsPage parsePage(String body, int start) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ConnectorException(
          VENDOR,
          200,
          false,
          null,
          body,
          "the answer is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new ConnectorException(
          VENDOR, 200, false, null, body, "the answer is not a JSON object");
    }
    JsonNode message = root.get("message");
    if (message != null && message.isTextual() && !"ok".equalsIgnoreCase(message.asText())) {
      throw new ConnectorException(
          VENDOR, 200, false, null, body, "the provider answered '" + message.asText() + "'");
    }
    JsonNode data = root.get("data");
    if (data == null || data.isNull()) {
      return new PostsPage(List.of(), 0, 0, start, Optional.empty());
    }
    if (!data.isArray()) {
      throw new ConnectorException(
          VENDOR, 200, false, null, body, "'data' is not an array of posts");
    }
    List<LinkedInPost> posts = new ArrayList<>(data.size());
    int unreadable = 0;
    for (JsonNode item : data) {
      LinkedInPost post = item.isObject() ? parsePost(item) : null;
      if (post == null) {
        unreadable++;
      } else {
        posts.add(post);
      }
    }
    JsonNode token = root.path("paging").get("pagination_token");
    Optional<String> next =
        token != null && token.isTextual() && !token.asText().isBlank()
            ? Optional.of(token.asText())
            : Optional.empty();
    return new PostsPage(posts, data.size(), unreadable, start, next);
  }

  /**
   * Null when the item has no identity (neither {@code post_url} nor {@code urn}): it cannot be
   * deduplicated.
   */
  static LinkedInPost parsePost(JsonNode item) {
    String urn = text(item, "urn");
    String postUrl = text(item, "post_url");
    if (postUrl.isEmpty() && urn.isEmpty()) {
      return null;
    }
    if (postUrl.isEmpty()) {
      postUrl = "https://www.linkedin.com/feed/update/urn:li:activity:" + urn + "/";
    }
    JsonNode poster = item.path("poster");
    String name = (text(poster, "first") + " " + text(poster, "last")).strip();
    return new LinkedInPost(
        urn,
        postUrl,
        text(item, "text"),
        item.path("reshared").asBoolean(false),
        count(item, "num_likes"),
        count(item, "num_comments"),
        count(item, "num_reposts"),
        count(item, "num_reactions"),
        posted(text(item, "posted")),
        text(poster, "public_id"),
        name);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText().strip();
  }

  /**
   * Counts arrive as numbers (sometimes as strings); missing, negative or unreadable counts are 0.
   */
  private static int count(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    long n = v.isNumber() ? v.asLong() : parseLong(v.asText());
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant posted(String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      return LocalDateTime.parse(value, POSTED).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String profileUrl(String linkedinId) {
    try {
      return LinkedInProfileUrl.of(linkedinId);
    } catch (IllegalArgumentException e) {
      throw ConnectorException.invalid(VENDOR, e.getMessage());
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    http.close();
  }
}
