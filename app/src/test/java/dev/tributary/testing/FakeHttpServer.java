package dev.tributary.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A vendor stand-in on a free loopback port: answers with scripted replies (first the queued ones,
 * then the default handler) and records every request. A {@link Reply#hang()} reply never answers
 * until the server closes, for timeout tests without sleeping.
 */
public final class FakeHttpServer implements AutoCloseable {
  public record Request(
      String method,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {
    /** Header names are matched case-insensitively, as HTTP says. */
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  public record Reply(int status, Map<String, String> headers, String body, boolean hangs) {
    public static Reply json(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), body, false);
    }

    public static Reply hang() {
      return new Reply(0, Map.of(), "", true);
    }

    /** Closes the connection without answering: a dropped connection. */
    public static Reply drop() {
      return new Reply(-1, Map.of(), "", false);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> h = new HashMap<>(headers);
      h.put(name, value);
      return new Reply(status, h, body, hangs);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Deque<Reply> queued = new ArrayDeque<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Function<Request, Reply> handler =
      r -> Reply.json(404, "{\"message\":\"no reply scripted\"}");

  public FakeHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Replies used once each, in order, before the default handler. */
  public synchronized FakeHttpServer enqueue(Reply... replies) {
    queued.addAll(List.of(replies));
    return this;
  }

  public FakeHttpServer otherwise(Function<Request, Reply> h) {
    this.handler = h;
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, String> headers = new HashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    Map<String, String> query = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Request request =
        new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), query, headers, body);
    requests.add(request);
    Reply reply;
    synchronized (this) {
      reply = queued.isEmpty() ? null : queued.poll();
    }
    if (reply == null) {
      reply = handler.apply(request);
    }
    if (reply.hangs()) {
      try {
        closing.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    }
    if (reply.status() == -1) {
      ex.close();
      return;
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.close();
  }
}
