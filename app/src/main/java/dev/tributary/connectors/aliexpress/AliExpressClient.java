package dev.tributary.connectors.aliexpress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.VendorHttp;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.connectors.suppliers.SupplierConnector;
import dev.tributary.connectors.suppliers.SupplierRef;
import dev.tributary.connectors.suppliers.SyncScope;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AliExpress Open Platform's signed gateway ({@code POST /sync}, form-encoded), method {@code
 * aliexpress.affiliate.product.query}: one stream per keyword of the supplier's {@code
 * search_keywords}. Prices are strings; {@code products.product} is an array or, for one product,
 * an object; errors come as {@code error_response} or a {@code resp_code} other than 200.
 */
public final class AliExpressClient implements SupplierConnector, AutoCloseable {
  public static final String VENDOR = "AliExpress";
  public static final String PROVIDER = "aliexpress";
  public static final String METHOD = "aliexpress.affiliate.product.query";
  public static final String SEARCH_PREFIX = "search:";

  /** Gateway error codes that mean "later": call limits and unavailable services. */
  static final Set<String> RETRYABLE_CODES =
      Set.of("ApiCallLimit", "AppCallLimit", "ServiceUnavailable", "isp.service-unavailable", "7");

  /** {@code resp_code} 405: the search found nothing. */
  static final int NO_RESULT = 405;

  static final ObjectMapper JSON = new ObjectMapper();

  private final AliExpressConfig config;
  private final HttpClient http;

  public AliExpressClient(AliExpressConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  /** Searches give prices and titles, never stock: a stock-only sync has nothing to read. */
  @Override
  public List<CatalogStream> streams(SyncScope scope, SupplierRef supplier) {
    if (scope == SyncScope.STOCK) {
      return List.of();
    }
    return supplier.searchKeywords().stream()
        .map(String::strip)
        .filter(k -> !k.isEmpty())
        .distinct()
        .map(k -> new CatalogStream(SEARCH_PREFIX + k, scope == SyncScope.FULL, false))
        .toList();
  }

  @Override
  public CatalogPage fetch(CatalogStream stream, SupplierRef supplier, int page) {
    if (!stream.name().startsWith(SEARCH_PREFIX)) {
      throw new IllegalArgumentException("not an AliExpress search stream: " + stream.name());
    }
    String keywords = stream.name().substring(SEARCH_PREFIX.length());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("app_key", config.appKey());
    params.put("method", METHOD);
    params.put("timestamp", Long.toString(config.clock().millis()));
    params.put("sign_method", config.signMethod());
    params.put("format", "json");
    params.put("v", "2.0");
    params.put("keywords", keywords);
    params.put("page_no", Integer.toString(page + 1));
    params.put("page_size", Integer.toString(config.pageSize()));
    params.put("target_currency", supplier.setting("target_currency", "EUR"));
    params.put("target_language", supplier.setting("target_language", "EN"));
    params.put("sign", GatewaySignature.sign(params, config.appSecret(), config.signMethod()));
    JsonNode result = config.retrying().call(() -> call(params));
    CatalogPage parsed = AliExpressItems.page(result, config.pageSize());
    boolean last = parsed.last() || page + 1 >= config.maxPages();
    return new CatalogPage(parsed.items(), parsed.failures(), last);
  }

  private JsonNode call(Map<String, String> params) {
    String form =
        params.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + "/sync"))
            .timeout(config.requestTimeout())
            .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response = VendorHttp.send(http, request, VENDOR, config.clock());
    String body = response.body();
    if (body == null || body.isBlank()) {
      throw new ConnectorException(VENDOR, 200, true, null, null, "HTTP 200 with an empty body");
    }
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
    JsonNode error = root.get("error_response");
    if (error != null && error.isObject()) {
      String code = error.path("code").asText("");
      String sub = error.path("sub_code").asText("");
      boolean retryable = RETRYABLE_CODES.contains(code) || RETRYABLE_CODES.contains(sub);
      throw new ConnectorException(
          VENDOR,
          200,
          retryable,
          null,
          body,
          "gateway error "
              + code
              + (sub.isEmpty() ? "" : "/" + sub)
              + ": "
              + error.path("msg").asText(""));
    }
    JsonNode resp = root.path("aliexpress_affiliate_product_query_response").path("resp_result");
    if (!resp.isObject()) {
      throw new ConnectorException(
          VENDOR,
          200,
          false,
          null,
          body,
          "the answer has no aliexpress_affiliate_product_query_response.resp_result");
    }
    int code = resp.path("resp_code").asInt(-1);
    if (code == NO_RESULT) {
      return JSON.createObjectNode();
    }
    if (code != 200) {
      throw new ConnectorException(
          VENDOR,
          200,
          code >= 500,
          null,
          body,
          "resp_code " + code + ": " + resp.path("resp_msg").asText(""));
    }
    return resp.path("result");
  }

  @Override
  public void close() {
    http.close();
  }
}
