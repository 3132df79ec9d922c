package dev.tributary.connectors.aliexpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.suppliers.CatalogItem;
import dev.tributary.connectors.suppliers.CatalogPage;
import dev.tributary.connectors.suppliers.CatalogStream;
import dev.tributary.connectors.suppliers.SupplierRef;
import dev.tributary.connectors.suppliers.SyncScope;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AliExpressClientTest {
  static final String KEY = "ae-app-key";
  static final String SECRET = "ae-app-secret";
  static final SupplierRef SUPPLIER =
      new SupplierRef("s1", Map.of(), List.of("earbuds", " lamp ", "earbuds"));

  final SettableClock clock = new SettableClock(Instant.parse("2026-10-05T06:00:00Z"));
  final FakeHttpServer fake = new FakeHttpServer();

  AliExpressClient client(String method) {
    return new AliExpressClient(
        AliExpressConfig.of(KEY, SECRET, fake.baseUrl(), method, clock)
            .withRetrying(new Retrying(2, Duration.ofMillis(1), Duration.ofSeconds(1), d -> {}))
            .withPaging(2, 5));
  }

  @AfterEach
  void close() {
    fake.close();
  }

  static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      m.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return m;
  }

  /** The gateway: checks the signature as AliExpress does, then answers {@code answer}. */
  void gateway(String answer) {
    fake.otherwise(
        r -> {
          Map<String, String> f = form(r.body());
          String expected = GatewaySignature.sign(f, SECRET, f.get("sign_method"));
          if (!expected.equals(f.get("sign")) || !KEY.equals(f.get("app_key"))) {
            return Reply.json(
                200,
                "{\"error_response\":{\"code\":\"IncompleteSignature\",\"msg\":\"The request signature does not conform to platform standards\",\"request_id\":\"x\"}}");
          }
          return Reply.json(200, answer);
        });
  }

  static String response(String products, int current, int total) {
    return """
        {"aliexpress_affiliate_product_query_response":{"resp_result":{"resp_code":200,"resp_msg":"success",
          "result":{"current_page_no":%d,"current_record_count":2,"total_page_no":%d,"total_record_count":3,
            "products":{"product":%s}}},"request_id":"r1"}}"""
        .formatted(current, total, products);
  }

  static final String TWO =
      """
      [{"product_id":1005001,"product_title":"Wireless earbuds","product_main_image_url":"https://img/1.jpg",
        "product_small_image_urls":{"string":["https://img/2.jpg"]},"sale_price":"15.00","sale_price_currency":"USD",
        "original_price":"20.00","second_level_category_name":"Earphones","lastest_volume":1240},
       {"product_id":"1005002","product_title":"Lamp","sale_price":"7.5","original_price":"9.90"}]""";

  @Test
  void md5_and_sha256_signed_searches_are_accepted_by_the_gateway() {
    gateway(response(TWO, 1, 2));
    for (String method : List.of("md5", "sha256")) {
      try (AliExpressClient c = client(method)) {
        CatalogPage page = c.fetch(new CatalogStream("search:earbuds", true, false), SUPPLIER, 0);
        assertThat(page.items())
            .extracting(CatalogItem::externalId)
            .containsExactly("1005001", "1005002");
      }
    }
    Map<String, String> sent = form(fake.requests().get(0).body());
    assertThat(sent)
        .containsEntry("method", "aliexpress.affiliate.product.query")
        .containsEntry("keywords", "earbuds")
        .containsEntry("page_no", "1")
        .containsEntry("sign_method", "md5");
    assertThat(sent.get("sign")).matches("[0-9A-F]{32}");
    assertThat(form(fake.requests().get(1).body()).get("sign")).matches("[0-9A-F]{64}");
  }

  @Test
  void the_md5_signature_is_the_documented_formula() throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("b", "2");
    p.put("a", "1");
    byte[] md5 =
        java.security.MessageDigest.getInstance("MD5")
            .digest("secreta1b2secret".getBytes(StandardCharsets.UTF_8));
    assertThat(GatewaySignature.sign(p, "secret", "md5"))
        .isEqualTo(java.util.HexFormat.of().withUpperCase().formatHex(md5));
  }

  @Test
  void string_prices_are_read_and_a_single_product_object_is_a_page_of_one() {
    gateway(
        response(
            "{\"product_id\":77,\"product_title\":\"Only one\",\"sale_price\":\"3.10\",\"original_price\":\"4.00\"}",
            2,
            2));
    try (AliExpressClient c = client("sha256")) {
      CatalogPage page = c.fetch(new CatalogStream("search:lamp", true, false), SUPPLIER, 1);
      assertThat(page.items()).hasSize(1);
      CatalogItem item = page.items().get(0);
      assertThat(item.costPrice()).isEqualByComparingTo("3.10");
      assertThat(item.price()).isEqualByComparingTo("4.00");
      assertThat(page.last()).isTrue();
    }
  }

  @Test
  void a_gateway_error_is_final_and_a_call_limit_is_retryable() {
    fake.otherwise(
        r ->
            Reply.json(
                200,
                "{\"error_response\":{\"code\":\"ApiCallLimit\",\"msg\":\"frequency exceeded\",\"request_id\":\"x\"}}"));
    try (AliExpressClient c = client("sha256")) {
      assertThatThrownBy(() -> c.fetch(new CatalogStream("search:lamp", true, false), SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class, e -> assertThat(e.retryable()).isTrue());
    }
    fake.otherwise(
        r ->
            Reply.json(
                200, "{\"error_response\":{\"code\":\"InvalidApiKey\",\"msg\":\"bad key\"}}"));
    try (AliExpressClient c = client("sha256")) {
      assertThatThrownBy(() -> c.fetch(new CatalogStream("search:lamp", true, false), SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains("InvalidApiKey").doesNotContain(SECRET);
              });
    }
  }

  @Test
  void one_stream_per_distinct_keyword_and_none_for_a_stock_sync() {
    try (AliExpressClient c = client("md5")) {
      assertThat(c.streams(SyncScope.FULL, SUPPLIER))
          .extracting(CatalogStream::name)
          .containsExactly("search:earbuds", "search:lamp");
      assertThat(c.streams(SyncScope.STOCK, SUPPLIER)).isEmpty();
    }
  }
}
