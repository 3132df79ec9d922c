package dev.tributary.connectors.bigbuy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.VendorHttp;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.connectors.suppliers.OrderTracker;
import dev.tributary.connectors.suppliers.OrderTracking;
import dev.tributary.connectors.suppliers.SupplierConnector;
import dev.tributary.connectors.suppliers.SupplierRef;
import dev.tributary.connectors.suppliers.SyncScope;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * BigBuy's REST API (spec/external-apis.md §6): the catalogue list endpoints as streams of bare
 * JSON arrays paged with a 0-based {@code page}, and order tracking. One instance is safe to share.
 *
 * <p>BigBuy's quirks, each handled here: the 429 is plain text ({@code You exceeded the rate
 * limit}) with {@code X-Ratelimit-Reset} in unix seconds and no Retry-After; a 200 with an empty
 * body stands in for a 404, and errors also come inside a 200 as {@code {code, message}}; 5xx pages
 * are HTML and retryable; prices are numbers in the lists and strings elsewhere; some rows name the
 * id {@code product}.
 */
public final class BigBuyClient implements SupplierConnector, OrderTracker, AutoCloseable {
  public static final String VENDOR = "BigBuy";
  public static final String PROVIDER = "bigbuy";
  public static final String PRODUCTS = "products";
  public static final String INFORMATION = "productsinformation";
  public static final String PRICES = "productprices";
  public static final String STOCK = "productsstockbyhandlingdays";

  /** Supplier setting that narrows the catalogue to one BigBuy taxonomy. */
  public static final String PARENT_TAXONOMY = "parent_taxonomy";

  static final ObjectMapper JSON = new ObjectMapper();

  private final BigBuyConfig config;
  private final EndpointQuota quota;
  private final HttpClient http;

  public BigBuyClient(BigBuyConfig config, EndpointQuota quota) {
    this.config = config;
    this.quota = quota;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER) // never hand the bearer to another host
            .build();
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public List<CatalogStream> streams(SyncScope scope, SupplierRef supplier) {
    return switch (scope) {
      case FULL ->
          List.of(
              new CatalogStream(PRODUCTS, true, true),
              new CatalogStream(INFORMATION, false, false),
              new CatalogStream(PRICES, false, false),
              new CatalogStream(STOCK, false, false));
      case STOCK -> List.of(new CatalogStream(STOCK, false, false));
      case PRICES -> List.of(new CatalogStream(PRICES, false, false));
    };
  }

  @Override
  public CatalogPage fetch(CatalogStream stream, SupplierRef supplier, int page) {
    if (page < 0) {
      throw new IllegalArgumentException("page counts from 0, got " + page);
    }
    String endpoint = stream.name();
    StringBuilder query = new StringBuilder();
    if (endpoint.equals(PRODUCTS) || endpoint.equals(INFORMATION)) {
      query.append("isoCode=").append(config.isoCode()).append('&');
    }
    query.append("page=").append(page).append("&pageSize=").append(config.pageSize());
    String taxonomy = supplier.setting(PARENT_TAXONOMY, null);
    if (taxonomy != null) {
      query.append("&parentTaxonomy=").append(URLEncoder.encode(taxonomy, StandardCharsets.UTF_8));
    }
    JsonNode array = getArray(endpoint, "/rest/catalog/" + endpoint + ".json?" + query);
    return BigBuyItems.page(endpoint, array, config.pageSize());
  }

  /**
   * The tracking of one BigBuy order ({@code GET /rest/tracking/order/{id}.json}); empty when
   * BigBuy has none yet (an empty array, or its empty 200).
   */
  @Override
  public Optional<OrderTracking> tracking(String orderId) {
    if (orderId == null || !orderId.matches("[A-Za-z0-9_-]{1,64}")) {
      throw ConnectorException.invalid(VENDOR, "an order id is letters, digits, - and _");
    }
    String path = "/rest/tracking/order/" + orderId + ".json";
    HttpResponse<String> response = config.retrying().call(() -> call("tracking", path));
    if (response.body() == null || response.body().isBlank()) {
      return Optional.empty();
    }
    return BigBuyItems.tracking(orderId, json(response.body()));
  }

  private JsonNode getArray(String endpoint, String pathAndQuery) {
    return config
        .retrying()
        .call(
            () -> {
              HttpResponse<String> response = call(endpoint, pathAndQuery);
              String body = response.body();
              if (body == null || body.isBlank()) {
                throw new ConnectorException(
                    VENDOR,
                    200,
                    false,
                    null,
                    null,
                    "HTTP 200 with an empty body from "
                        + endpoint
                        + " (BigBuy's stand-in for 404)");
              }
              JsonNode root = json(body);
              if (root.isArray()) {
                return root;
              }
              throw errorInside200(endpoint, root, body);
            });
  }

  private HttpResponse<String> call(String endpoint, String pathAndQuery) {
    Instant now = config.clock().instant();
    Optional<Instant> blocked = quota.blockedUntil(endpoint);
    if (blocked.isPresent() && blocked.get().isAfter(now)) {
      throw new ConnectorException(
          VENDOR,
          429,
          true,
          Duration.between(now, blocked.get()),
          null,
          "the quota of "
              + endpoint
              + " is spent until "
              + blocked.get()
              + " (X-RateLimit-Remaining was 0)");
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + pathAndQuery))
            .timeout(config.requestTimeout())
            .header("Authorization", "Bearer " + config.apiKey())
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = VendorHttp.exchange(http, request, VENDOR);
    int status = response.statusCode();
    OptionalLong reset = unixSeconds(response.headers(), "X-RateLimit-Reset");
    if (status == 429) {
      Instant until = reset.isPresent() ? Instant.ofEpochSecond(reset.getAsLong()) : null;
      if (until != null) {
        quota.record(endpoint, 0, until);
      }
      Duration wait = until == null ? null : positive(Duration.between(now, until));
      throw new ConnectorException(
          VENDOR,
          429,
          true,
          wait,
          response.body(),
          "HTTP 429 on "
              + endpoint
              + ": "
              + ConnectorExceptionText.first(response.body())
              + (until == null ? "" : " (reset at " + until + ")"));
    }
    if (status < 200 || status >= 300) {
      throw VendorHttp.forStatus(
          VENDOR, status, response.headers(), response.body(), config.clock());
    }
    OptionalLong remaining = unixSeconds(response.headers(), "X-RateLimit-Remaining");
    if (remaining.isPresent() && reset.isPresent()) {
      quota.record(
          endpoint,
          (int) Math.min(remaining.getAsLong(), 1_000_000),
          Instant.ofEpochSecond(reset.getAsLong()));
    }
    return response;
  }

  private static ConnectorException errorInside200(String endpoint, JsonNode root, String body) {
    if (root.isObject() && (root.has("message") || root.has("code"))) {
      String code = root.path("code").asText("");
      boolean retryable = code.matches("5\\d\\d");
      return new ConnectorException(
          VENDOR,
          200,
          retryable,
          null,
          body,
          "an error inside HTTP 200 from "
              + endpoint
              + ": "
              + (code.isEmpty() ? "" : code + " ")
              + root.path("message").asText(""));
    }
    return new ConnectorException(
        VENDOR, 200, false, null, body, endpoint + " did not answer a JSON array");
  }

  static JsonNode json(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null) {
        throw new ConnectorException(VENDOR, 200, false, null, body, "the answer is empty");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new ConnectorException(
          VENDOR,
          200,
          false,
          null,
          body,
          "the answer is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static OptionalLong unixSeconds(HttpHeaders headers, String name) {
    Optional<String> v = headers.firstValue(name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.get().strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static Duration positive(Duration d) {
    return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
  }

  @Override
  public void close() {
    http.close();
  }

  /** The start of a plain-text body, for messages. */
  static final class ConnectorExceptionText {
    private ConnectorExceptionText() {}

    static String first(String body) {
      if (body == null || body.isBlank()) {
        return "rate limit exceeded";
      }
      String flat = body.strip().replaceAll("\\s+", " ");
      return flat.length() <= 120 ? flat : flat.substring(0, 120) + "…";
    }
  }
}
