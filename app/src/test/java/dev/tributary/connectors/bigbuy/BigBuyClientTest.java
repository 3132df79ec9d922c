package dev.tributary.connectors.bigbuy;

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
import dev.tributary.testing.BigBuyFake;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BigBuyClientTest {
  static final SupplierRef SUPPLIER = new SupplierRef("s1", Map.of(), List.of());
  static final CatalogStream PRODUCTS = new CatalogStream(BigBuyClient.PRODUCTS, true, true);
  static final CatalogStream PRICES = new CatalogStream(BigBuyClient.PRICES, false, false);
  static final CatalogStream STOCK = new CatalogStream(BigBuyClient.STOCK, false, false);

  final SettableClock clock = new SettableClock(Instant.parse("2026-10-05T06:00:00Z"));
  final BigBuyFake fake = new BigBuyFake();
  final List<Duration> slept = new ArrayList<>();
  final MemoryQuota quota = new MemoryQuota();

  BigBuyClient client(int pageSize) {
    return new BigBuyClient(
        BigBuyConfig.of(BigBuyFake.KEY, fake.baseUrl(), pageSize, clock)
            .withRetrying(
                new Retrying(3, Duration.ofMillis(10), Duration.ofSeconds(30), slept::add)),
        quota);
  }

  @AfterEach
  void close() {
    fake.close();
  }

  static final class MemoryQuota implements EndpointQuota {
    final Map<String, Instant> blocked = new HashMap<>();
    final Map<String, Integer> remaining = new HashMap<>();

    @Override
    public Optional<Instant> blockedUntil(String endpoint) {
      return remaining.getOrDefault(endpoint, 1) <= 0
          ? Optional.ofNullable(blocked.get(endpoint))
          : Optional.empty();
    }

    @Override
    public void record(String endpoint, int left, Instant reset) {
      remaining.put(endpoint, left);
      blocked.put(endpoint, reset);
    }
  }

  @Test
  void pages_are_zero_based_bare_arrays_read_with_the_bearer_key() {
    fake.generate(25);
    try (BigBuyClient c = client(10)) {
      CatalogPage first = c.fetch(PRODUCTS, SUPPLIER, 0);
      CatalogPage third = c.fetch(PRODUCTS, SUPPLIER, 2);
      assertThat(first.items())
          .hasSize(10)
          .first()
          .extracting(CatalogItem::externalId)
          .isEqualTo("1000");
      assertThat(first.last()).isFalse();
      assertThat(third.items()).hasSize(5);
      assertThat(third.last()).isTrue();
      var request = fake.requests().get(0);
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + BigBuyFake.KEY);
      assertThat(request.query()).containsEntry("page", "0").containsEntry("pageSize", "10");
      CatalogItem item = first.items().get(0);
      assertThat(item.sku()).isEqualTo("SKU1000");
      assertThat(item.costPrice()).isEqualByComparingTo("10.25");
      assertThat(item.price()).isEqualByComparingTo("30.99");
      assertThat(item.active()).isTrue();
    }
  }

  @Test
  void prices_are_read_as_numbers_or_strings_and_ids_from_id_or_product() {
    fake.generate(10);
    try (BigBuyClient c = client(100)) {
      CatalogPage page = c.fetch(PRICES, SUPPLIER, 0);
      assertThat(page.failures()).isEmpty();
      assertThat(page.items()).hasSize(10);
      for (CatalogItem item : page.items()) {
        BigDecimal expected = fake.get(Long.parseLong(item.externalId())).retail();
        assertThat(item.price()).isEqualByComparingTo(expected);
      }
      assertThat(page.items())
          .extracting(CatalogItem::externalId)
          .contains("1005"); // keyed "product"
      assertThat(c.fetch(STOCK, SUPPLIER, 0).items())
          .filteredOn(i -> i.externalId().equals("1001"))
          .extracting(CatalogItem::stockQuantity)
          .containsExactly(1);
    }
  }

  @Test
  void malformed_items_are_failures_with_their_reason_and_the_rest_of_the_page_is_kept() {
    fake.failOnce(
        BigBuyFake.page("productprices", 0),
        Reply.json(
            200,
            """
            [{"id":1,"wholesalePrice":1.5,"retailPrice":"2.5"},
             {"sku":"no-id","retailPrice":3},
             {"id":2,"retailPrice":-4},
             {"id":3,"retailPrice":"cheap"},
             "not an object",
             {"id":4,"retailPrice":"4,50"}]"""));
    try (BigBuyClient c = client(100)) {
      CatalogPage page = c.fetch(PRICES, SUPPLIER, 0);
      assertThat(page.items()).extracting(CatalogItem::externalId).containsExactly("1", "4");
      assertThat(page.items().get(1).price()).isEqualByComparingTo("4.50");
      assertThat(page.failures())
          .extracting(f -> f.reason())
          .containsExactly(
              "the item has no id",
              "retailPrice is negative: -4",
              "retailPrice is not a number: 'cheap'",
              "the item is not a JSON object");
    }
  }

  @Test
  void
      a_plain_text_429_waits_for_its_reset_and_the_spent_quota_stops_the_next_call_before_it_goes_out() {
    long reset = clock.instant().plus(Duration.ofMinutes(55)).getEpochSecond();
    fake.generate(5).failOnce(BigBuyFake.page("products", 0), BigBuyFake.tooManyRequests(reset));
    try (BigBuyClient c = client(100)) {
      assertThatThrownBy(() -> c.fetch(PRODUCTS, SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> {
                assertThat(e.status()).isEqualTo(429);
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofMinutes(55));
                assertThat(e.getMessage()).contains("You exceeded the rate limit");
              });
      int sent = fake.requests().size();
      assertThatThrownBy(() -> c.fetch(PRODUCTS, SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> assertThat(e.getMessage()).contains("quota of products is spent"));
      assertThat(fake.requests()).hasSize(sent);
      assertThat(slept).isEmpty(); // an hour is not slept through in the call
      clock.advance(Duration.ofMinutes(56));
      assertThat(c.fetch(PRODUCTS, SUPPLIER, 0).items()).hasSize(5);
    }
  }

  @Test
  void an_html_502_is_retried_and_the_page_then_read() {
    fake.generate(3).failOnce(BigBuyFake.page("products", 0), BigBuyFake.htmlBadGateway());
    try (BigBuyClient c = client(100)) {
      assertThat(c.fetch(PRODUCTS, SUPPLIER, 0).items()).hasSize(3);
      assertThat(slept).containsExactly(Duration.ofMillis(10));
    }
  }

  @Test
  void html_5xx_pages_that_keep_coming_are_a_retryable_error_with_the_start_of_the_page() {
    for (int i = 0; i < 3; i++) {
      fake.failOnce(BigBuyFake.page("products", 0), BigBuyFake.htmlBadGateway());
    }
    try (BigBuyClient c = client(100)) {
      assertThatThrownBy(() -> c.fetch(PRODUCTS, SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.retryable()).isTrue();
                assertThat(e.body()).contains("502 Bad Gateway");
              });
    }
  }

  @Test
  void an_empty_200_and_an_error_inside_a_200_are_failures_not_empty_pages() {
    fake.failOnce(BigBuyFake.page("products", 0), new Reply(200, Map.of(), "", false));
    fake.failOnce(
        BigBuyFake.page("products", 1),
        Reply.json(200, "{\"code\":400,\"message\":\"Bad request\"}"));
    try (BigBuyClient c = client(100)) {
      assertThatThrownBy(() -> c.fetch(PRODUCTS, SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains("empty body");
              });
      assertThatThrownBy(() -> c.fetch(PRODUCTS, SUPPLIER, 1))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> assertThat(e.getMessage()).contains("inside HTTP 200").contains("Bad request"));
    }
  }

  @Test
  void a_rejected_key_is_final_and_never_echoed() {
    try (BigBuyClient c =
        new BigBuyClient(BigBuyConfig.of("wrong-secret-key", fake.baseUrl(), 10, clock), quota)) {
      assertThatThrownBy(() -> c.fetch(PRODUCTS, SUPPLIER, 0))
          .isInstanceOfSatisfying(
              ConnectorException.class,
              e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage())
                    .contains("Invalid Token")
                    .doesNotContain("wrong-secret-key");
              });
    }
  }

  @Test
  void a_full_sync_reads_four_streams_and_a_stock_sync_one() {
    try (BigBuyClient c = client(10)) {
      assertThat(c.streams(SyncScope.FULL, SUPPLIER))
          .extracting(CatalogStream::name)
          .containsExactly(
              "products", "productsinformation", "productprices", "productsstockbyhandlingdays");
      assertThat(c.streams(SyncScope.STOCK, SUPPLIER))
          .extracting(CatalogStream::name)
          .containsExactly("productsstockbyhandlingdays");
    }
  }
}
