package dev.tributary.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local server speaking BigBuy's catalogue API over a {@link SyntheticCatalogue}, for the demo
 * and the benchmarks: no key and no network needed. Everything it serves is synthetic.
 *
 * <p>It keeps BigBuy's wire format where a client can tell: {@code GET
 * /rest/catalog/{products,productsinformation,productprices,productsstockbyhandlingdays}.json}
 * answering bare JSON arrays paged with a 0-based {@code page} and {@code pageSize} (at most
 * 10000), each endpoint in its own order, prices as numbers on some rows and strings on others,
 * some price rows keyed {@code product}, stock in handling-day buckets, {@code X-RateLimit-*}
 * headers, 401 {@code {"message":"Invalid Token"}} without the bearer, and BigBuy's empty 200 for
 * an unknown path. {@link #advanceRound()} moves prices and stock on.
 */
public final class SupplierSandbox implements AutoCloseable {
  public static final int MAX_PAGE_SIZE = 10_000;

  private final SyntheticCatalogue catalogue;
  private final byte[] requiredBearer;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger round = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, int[]> orders = new HashMap<>();
  private volatile Round shown;

  private SupplierSandbox(SyntheticCatalogue catalogue, String key) throws IOException {
    this.catalogue = catalogue;
    this.requiredBearer = ("Bearer " + key).getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/rest/catalog/", this::catalog);
    server.createContext("/", ex -> send(ex, 200, "")); // BigBuy's stand-in for 404
    int n = catalogue.size();
    orders.put("products", order(n, i -> i));
    orders.put("productsinformation", order(n, i -> n - 1 - i));
    orders.put("productprices", scrambled(n));
    orders.put("productsstockbyhandlingdays", order(n, i -> i % 2 == 0 ? i / 2 : n - 1 - i / 2));
  }

  /** Starts on a free loopback port; clients must send {@code Authorization: Bearer key}. */
  public static SupplierSandbox start(SyntheticCatalogue catalogue, String key) {
    try {
      SupplierSandbox s = new SupplierSandbox(catalogue, key);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the supplier sandbox: " + e.getMessage(), e);
    }
  }

  /** The value for {@code BIGBUY_BASE_URL}. */
  public String baseUrl() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort();
  }

  public SyntheticCatalogue catalogue() {
    return catalogue;
  }

  public int round() {
    return round.get();
  }

  /** Time passes: {@link SyntheticCatalogue#changePercent()}% of prices and stock move. */
  public int advanceRound() {
    return round.incrementAndGet();
  }

  public void setRound(int r) {
    round.set(r);
  }

  public long requests() {
    return requests.get();
  }

  private void catalog(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null
        || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), requiredBearer)) {
      send(ex, 401, "{\"message\":\"Invalid Token\"}");
      return;
    }
    String path = ex.getRequestURI().getPath();
    String endpoint = path.substring("/rest/catalog/".length()).replace(".json", "");
    int[] order = orders.get(endpoint);
    if (order == null || !path.endsWith(".json")) {
      send(ex, 200, "");
      return;
    }
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    int page;
    int size;
    try {
      page = Integer.parseInt(q.getOrDefault("page", "0"));
      size = Integer.parseInt(q.getOrDefault("pageSize", "100"));
    } catch (NumberFormatException e) {
      send(ex, 200, "{\"code\":400,\"message\":\"page and pageSize are numbers\"}");
      return;
    }
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      send(ex, 200, "{\"code\":400,\"message\":\"pageSize is 1 to 10000, page from 0\"}");
      return;
    }
    Round shown = shown(round.get());
    StringBuilder json = new StringBuilder(size * 160).append('[');
    long from = (long) page * size;
    for (long i = from; i < Math.min(order.length, from + size); i++) {
      if (i > from) {
        json.append(',');
      }
      int index = order[(int) i];
      item(json, endpoint, shown.product(catalogue, index));
    }
    send(ex, 200, json.append(']').toString());
  }

  /**
   * The products as one round shows them, each computed once, by whichever endpoint asks first (two
   * threads computing the same product compute the same value).
   */
  private record Round(int number, SyntheticCatalogue.Product[] products) {
    SyntheticCatalogue.Product product(SyntheticCatalogue catalogue, int index) {
      SyntheticCatalogue.Product p = products[index];
      if (p == null) {
        p = catalogue.product(index, number);
        products[index] = p;
      }
      return p;
    }
  }

  private Round shown(int r) {
    Round s = shown;
    if (s == null || s.number() != r) {
      synchronized (this) {
        s = shown;
        if (s == null || s.number() != r) {
          s = new Round(r, new SyntheticCatalogue.Product[catalogue.size()]);
          shown = s;
        }
      }
    }
    return s;
  }

  private static void item(StringBuilder b, String endpoint, SyntheticCatalogue.Product p) {
    switch (endpoint) {
      case "products" ->
          b.append("{\"id\":")
              .append(p.id())
              .append(",\"manufacturer\":12,\"sku\":\"")
              .append(p.sku())
              .append("\",\"ean13\":\"84")
              .append(p.id())
              .append("00\",\"category\":")
              .append(p.category())
              .append(",\"wholesalePrice\":")
              .append(p.wholesale())
              .append(",\"retailPrice\":")
              .append(p.retail())
              .append(",\"active\":1,\"condition\":\"NEW\",\"taxonomy\":21319}");
      case "productsinformation" ->
          b.append("{\"id\":")
              .append(p.id())
              .append(",\"sku\":\"")
              .append(p.sku())
              .append("\",\"name\":\"")
              .append(p.name())
              .append("\",\"description\":\"SYNTHETIC product ")
              .append(p.id())
              .append(" of the Tributary supplier sandbox\",\"isoCode\":\"en\"}");
      case "productprices" -> {
        boolean asText = p.id() % 2 == 1;
        String quote = asText ? "\"" : "";
        b.append(p.id() % 5 == 0 ? "{\"product\":" : "{\"id\":")
            .append(p.id())
            .append(",\"sku\":\"")
            .append(p.sku())
            .append("\",\"wholesalePrice\":")
            .append(quote)
            .append(p.wholesale())
            .append(quote)
            .append(",\"retailPrice\":")
            .append(quote)
            .append(p.retail())
            .append(quote)
            .append('}');
      }
      default ->
          b.append("{\"id\":")
              .append(p.id())
              .append(",\"sku\":\"")
              .append(p.sku())
              .append("\",\"stocks\":[{\"quantity\":")
              .append(p.stock())
              .append(",\"minHandlingDays\":0,\"maxHandlingDays\":1,\"warehouse\":1},")
              .append(
                  "{\"quantity\":0,\"minHandlingDays\":1,\"maxHandlingDays\":2,\"warehouse\":1}]}");
    }
  }

  private static int[] order(int n, java.util.function.IntUnaryOperator f) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = f.applyAsInt(i);
    }
    return o;
  }

  /** A fixed shuffle (Fisher-Yates with a fixed seed): no order the other endpoints share. */
  private static int[] scrambled(int n) {
    int[] o = order(n, i -> i);
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
    return o;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("X-RateLimit-Limit", "1000000");
    ex.getResponseHeaders().set("X-RateLimit-Remaining", "999999");
    ex.getResponseHeaders()
        .set("X-RateLimit-Reset", Long.toString(System.currentTimeMillis() / 1000 + 3600));
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
