package dev.tributary.testing;

import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.FakeHttpServer.Request;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;

/**
 * BigBuy's catalogue API on a local port, speaking its wire format: bare JSON arrays paged with a
 * 0-based {@code page}, every endpoint in its own order (products by id, information by id
 * descending, prices in a scrambled order with every other price as a string and some rows keyed
 * {@code product}, stock by sku descending), {@code X-RateLimit-*} headers, bearer auth answering
 * 401 {@code {"message":"Invalid Token"}}. Faults are scripted per request with {@link #failOnce}.
 */
public final class BigBuyFake implements AutoCloseable {
  public static final String KEY = "bigbuy-test-key";

  public record Product(
      long id,
      String sku,
      String name,
      BigDecimal wholesale,
      BigDecimal retail,
      int stock,
      boolean active) {}

  private record Fault(Predicate<Request> when, Reply reply) {}

  private final FakeHttpServer server = new FakeHttpServer();
  private final Map<Long, Product> catalogue = new TreeMap<>();
  private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
  private volatile long resetEpoch = 4_102_444_800L; // 2100-01-01

  public BigBuyFake() {
    server.otherwise(this::answer);
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public List<Request> requests() {
    return server.requests();
  }

  public long catalogRequests(String endpoint, int page) {
    return requests().stream()
        .filter(r -> r.path().equals("/rest/catalog/" + endpoint + ".json"))
        .filter(r -> String.valueOf(page).equals(r.query().get("page")))
        .count();
  }

  public synchronized BigBuyFake put(Product p) {
    catalogue.put(p.id(), p);
    return this;
  }

  public synchronized BigBuyFake remove(long id) {
    catalogue.remove(id);
    return this;
  }

  public synchronized Product get(long id) {
    return catalogue.get(id);
  }

  /** {@code n} products with ids 1000..1000+n-1. */
  public BigBuyFake generate(int n) {
    for (int i = 0; i < n; i++) {
      long id = 1000 + i;
      put(
          new Product(
              id,
              "SKU" + id,
              "Product " + id,
              new BigDecimal(10 + i % 90 + ".25"),
              new BigDecimal(30 + i % 90 + ".99"),
              i % 3 == 0 ? 0 : i % 50,
              true));
    }
    return this;
  }

  /** The first request matching {@code when} gets {@code reply} instead of the catalogue. */
  public BigBuyFake failOnce(Predicate<Request> when, Reply reply) {
    faults.add(new Fault(when, reply));
    return this;
  }

  public static Predicate<Request> page(String endpoint, int page) {
    return r ->
        r.path().equals("/rest/catalog/" + endpoint + ".json")
            && String.valueOf(page).equals(r.query().get("page"));
  }

  public static Reply tooManyRequests(long resetEpochSeconds) {
    return new Reply(
        429,
        Map.of(
            "Content-Type", "text/plain",
            "X-Ratelimit-Reset", Long.toString(resetEpochSeconds),
            "X-RateLimit-Limit", "10",
            "X-RateLimit-Remaining", "0"),
        "You exceeded the rate limit",
        false);
  }

  public static Reply htmlBadGateway() {
    return new Reply(
        502,
        Map.of("Content-Type", "text/html"),
        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        false);
  }

  private Reply answer(Request r) {
    for (Fault f : faults) {
      if (f.when().test(r) && faults.remove(f)) {
        return f.reply();
      }
    }
    if (!("Bearer " + KEY).equals(r.header("Authorization"))) {
      return Reply.json(401, "{\"message\":\"Invalid Token\"}");
    }
    String path = r.path();
    if (!path.startsWith("/rest/catalog/") || !path.endsWith(".json")) {
      return Reply.json(404, "{\"code\":404,\"message\":\"Not found\"}");
    }
    String endpoint = path.substring("/rest/catalog/".length(), path.length() - ".json".length());
    int page = Integer.parseInt(r.query().getOrDefault("page", "0"));
    int size = Integer.parseInt(r.query().getOrDefault("pageSize", "100"));
    List<Product> all;
    synchronized (this) {
      all = new ArrayList<>(catalogue.values());
    }
    Comparator<Product> order =
        switch (endpoint) {
          case "products" -> Comparator.comparingLong(Product::id);
          case "productsinformation" -> Comparator.comparingLong(Product::id).reversed();
          case "productprices" -> Comparator.comparingLong(p -> (p.id() * 7919) % 10007);
          case "productsstockbyhandlingdays" -> Comparator.comparing(Product::sku).reversed();
          default -> null;
        };
    if (order == null) {
      return Reply.json(404, "{\"code\":404,\"message\":\"Not found\"}");
    }
    all.sort(order);
    StringBuilder json = new StringBuilder("[");
    for (int i = page * size; i < Math.min(all.size(), (page + 1) * size); i++) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(item(endpoint, all.get(i)));
    }
    json.append(']');
    return Reply.json(200, json.toString())
        .withHeader("X-RateLimit-Limit", "10")
        .withHeader("X-RateLimit-Remaining", "9")
        .withHeader("X-RateLimit-Reset", Long.toString(resetEpoch));
  }

  private static String item(String endpoint, Product p) {
    return switch (endpoint) {
      case "products" ->
          "{\"id\":%d,\"manufacturer\":12,\"sku\":\"%s\",\"ean13\":\"42%011d\",\"category\":2609,\"wholesalePrice\":%s,\"retailPrice\":%s,\"inShopsPrice\":%s,\"active\":%d,\"condition\":\"NEW\",\"taxonomy\":21319,\"dateUpd\":\"2026-10-01 08:00:00\",\"tags\":[],\"priceLargeQuantities\":[]}"
              .formatted(
                  p.id(),
                  p.sku(),
                  p.id(),
                  p.wholesale(),
                  p.retail(),
                  p.retail(),
                  p.active() ? 1 : 0);
      case "productsinformation" ->
          "{\"id\":%d,\"sku\":\"%s\",\"name\":\"%s\",\"description\":\"About %s\",\"isoCode\":\"en\"}"
              .formatted(p.id(), p.sku(), p.name(), p.name());
      case "productprices" ->
          (p.id() % 5 == 0 ? "{\"product\":%d" : "{\"id\":%d").formatted(p.id())
              + (p.id() % 2 == 0
                      ? ",\"sku\":\"%s\",\"wholesalePrice\":%s,\"retailPrice\":%s,\"inShopsPrice\":%s,\"priceLargeQuantities\":[]}"
                      : ",\"sku\":\"%s\",\"wholesalePrice\":\"%s\",\"retailPrice\":\"%s\",\"inShopsPrice\":\"%s\",\"priceLargeQuantities\":[]}")
                  .formatted(p.sku(), p.wholesale(), p.retail(), p.retail());
      default ->
          "{\"id\":%d,\"sku\":\"%s\",\"stocks\":[{\"quantity\":%d,\"minHandlingDays\":0,\"maxHandlingDays\":1,\"warehouse\":1},{\"quantity\":0,\"minHandlingDays\":1,\"maxHandlingDays\":2,\"warehouse\":1}]}"
              .formatted(p.id(), p.sku(), p.stock());
    };
  }

  @Override
  public void close() {
    server.close();
  }
}
