package dev.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.sandbox.UnipileSandbox;
import dev.tributary.web.Hs256Token;
import dev.tributary.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of a running node, from its own route list, with every way of presenting (or
 * botching) a credential and a catalogue of bad bodies: every answer is JSON, a refused one is a
 * 4xx, and none is a 5xx. Requests go over a raw socket, so nothing the client library would refuse
 * to send (a NUL in a header) is left out.
 */
class RouteFuzzTest {
  static final String SERVICE = "fuzz-service-key";
  static final String SCHEDULER = "fuzz-scheduler-secret";
  static final String ADMIN = "fuzz-admin-key";
  static final String JWT = "fuzz-jwt-secret-of-at-least-32-bytes!!";
  static final String ANON = "fuzz-anon-key";
  static final String METRICS = "fuzz-metrics-token";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final LinkedInSandbox sandbox =
      LinkedInSandbox.start(new SyntheticLinkedIn(3, 1, 2, 1), "sandbox-key");
  private final UnipileSandbox unipile = UnipileSandbox.start("unipile-key");
  private TributaryNode node;

  @AfterEach
  void close() {
    if (node != null) {
      node.close();
    }
    sandbox.close();
    unipile.close();
    db.close();
  }

  record Response(int status, Map<String, String> headers, String body) {}

  /** The bad bodies: each one is wrong for every route that reads a body. */
  static Map<String, byte[]> badBodies() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("not JSON", bytes("hello, server"));
    out.put("trailing garbage", bytes("{\"query\":\"x\"} and more"));
    out.put("arrays 2,000 deep", bytes("[".repeat(2000) + "]".repeat(2000)));
    out.put("objects 2,000 deep", bytes("{\"a\":".repeat(2000) + "1" + "}".repeat(2000)));
    out.put("a 10,000-digit number", bytes("{\"batchSize\":" + "9".repeat(10_000) + "}"));
    out.put("a bare 10,000-digit number", bytes("1" + "0".repeat(10_000)));
    out.put(
        "wrong types",
        bytes(
            "{\"query\":5,\"batchSize\":\"ten\",\"limit\":true,\"table\":[],\"action\":{},"
                + "\"forceResync\":3.5,\"match_count\":\"x\",\"profileIds\":\"all\"}"));
    out.put("an escaped NUL", bytes("{\"query\":\"a\\u0000b\",\"table\":\"x\\u0000\"}"));
    out.put("a raw NUL", bytes("{\"query\":\"a\u0000b\"}"));
    StringBuilder huge = new StringBuilder("{\"profileIds\":[");
    for (int i = 0; i < 200_000; i++) {
      huge.append(i == 0 ? "" : ",").append('1');
    }
    out.put("a huge array", bytes(huge.append("]}").toString()));
    out.put("unknown fields", bytes("{\"zz_unknown_field\":1,\"another_one\":\"x\"}"));
    out.put("null", bytes("null"));
    out.put("a bare string", bytes("\"just a string\""));
    out.put("invalid UTF-8", new byte[] {'{', '"', 'q', '"', ':', '"', (byte) 0xC3, '"', '}'});
    return out;
  }

  @Test
  void every_route_answers_bad_credentials_and_bad_bodies_with_a_4xx_json_and_never_a_5xx()
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    env.putAll(
        Map.of(
            "SERVICE_ROLE_KEY", SERVICE,
            "SCHEDULER_SECRET", SCHEDULER,
            "ADMIN_KEY", ADMIN,
            "JWT_SECRET", JWT,
            "ANON_KEY", ANON,
            "METRICS_TOKEN", METRICS,
            "QSTASH_CURRENT_SIGNING_KEY", "fuzz-qstash-current",
            "QSTASH_NEXT_SIGNING_KEY", "fuzz-qstash-next",
            "RAPIDAPI_KEY", "sandbox-key",
            "LINKEDIN_API_BASE_URL", sandbox.baseUrl()));
    // every feature on, so each route is fuzzed for real rather than answering "off" (503)
    env.put("UNIPILE_API_KEY", "unipile-key");
    env.put("UNIPILE_BASE_URL", unipile.baseUrl());
    node =
        TributaryNode.start(
            TributaryConfig.from(env), db, new TributaryNode.Options("fuzz-node", 1, 0));
    List<WebServer.Route> routes = node.routes();
    assertThat(routes).as("the node's routes").hasSizeGreaterThan(20);

    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (WebServer.Route route : routes) {
      if (route.roles().contains("PUBLIC") || route.method().equals("HEAD")) {
        continue;
      }
      String path = concrete(route.path());
      for (Map.Entry<String, List<String>> auth : badAuth().entrySet()) {
        Response r = send(route.method(), path, auth.getValue(), bytes("{}"));
        sent++;
        if (!(r.status() == 401 || r.status() == 403 || r.status() == 400) || !isJsonError(r)) {
          failures.add(describe(route, "auth: " + auth.getKey(), r));
        }
      }
      List<String> credential = credential(route);
      if (credential == null) {
        continue; // QStash only: its signature covers the body, so no bad body gets past it
      }
      for (Map.Entry<String, byte[]> body : badBodies().entrySet()) {
        Response r = send(route.method(), path, credential, body.getValue());
        sent++;
        boolean readsBody = !route.method().equals("GET") && !route.method().equals("DELETE");
        if (r.status() >= 500 || (r.status() >= 400 && !isJsonError(r))) {
          failures.add(describe(route, "body: " + body.getKey(), r));
        } else if (readsBody && r.status() < 400 && !IGNORES_BODY.contains(route.path())) {
          failures.add(describe(route, "body accepted: " + body.getKey(), r));
        }
      }
    }
    assertThat(sent).as("requests sent").isGreaterThan(routes.size() * 8);
    assertThat(failures).as("answers out of %d requests that break the rule", sent).isEmpty();
  }

  /**
   * POST routes that read no body: the action is named by the path (a queue's pause and resume) or
   * by the query (the seed's orchestrator, {@code ?action=}, status by default), or the seed calls
   * it without one (automated-sync, publish-scheduled: one cycle each). A body, bad or not, is
   * ignored there, so it may be answered 200; it must still never be a 5xx.
   */
  static final java.util.Set<String> IGNORES_BODY =
      java.util.Set.of(
          "/api/queues/{name}/pause",
          "/api/queues/{name}/resume",
          "/functions/v1/orchestrator-v2",
          "/functions/v1/automated-sync",
          "/functions/v1/publish-scheduled");

  private static Map<String, List<String>> badAuth() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put("none", List.of());
    out.put("a wrong key", List.of("Authorization: Bearer not-the-key"));
    out.put("lowercase bearer, wrong key", List.of("authorization: bearer not-the-key"));
    out.put(
        "Basic",
        List.of(
            "Authorization: Basic "
                + Base64.getEncoder().encodeToString(("user:" + SERVICE).getBytes())));
    out.put("an empty header", List.of("Authorization: "));
    out.put("the key with a NUL", List.of("Authorization: Bearer " + SERVICE + "\u0000"));
    out.put("the secret with a NUL", List.of("X-Scheduler-Secret: " + SCHEDULER + "\u0000"));
    out.put("the admin key with a NUL", List.of("Authorization: Bearer \u0000" + ADMIN));
    return out;
  }

  /** Credentials that pass the route's access check, or null for a QStash-only route. */
  private static List<String> credential(WebServer.Route route) {
    java.util.Set<String> roles = route.roles();
    if (roles.contains("SERVICE")) {
      return List.of("authorization: bearer " + SERVICE); // lowercase scheme: accepted
    }
    if (roles.contains("SCHEDULER")) {
      return List.of("X-Scheduler-Secret: " + SCHEDULER);
    }
    if (roles.contains("ADMIN")) {
      return List.of("Authorization: Bearer " + ADMIN);
    }
    if (roles.contains("USER")) {
      long exp = System.currentTimeMillis() / 1000 + 600;
      String token =
          Hs256Token.sign(
              "{\"sub\":\"00000000-0000-0000-0000-000000000001\",\"exp\":" + exp + "}", JWT);
      return List.of("Authorization: Bearer " + token);
    }
    if (roles.contains("ANON")) {
      return List.of("apikey: " + ANON);
    }
    if (roles.contains("METRICS")) {
      return List.of("Authorization: Bearer " + METRICS);
    }
    return null;
  }

  private static String concrete(String path) {
    return path.replaceAll("\\{[^}]+}", "1").replaceAll("<[^>]+>", "1");
  }

  private static boolean isJsonError(Response r) {
    if (!r.headers().getOrDefault("content-type", "").contains("application/json")) {
      return false;
    }
    try {
      JsonNode n = WebServer.JSON.readTree(r.body());
      return n.hasNonNull("error") && n.hasNonNull("message");
    } catch (Exception e) {
      return false;
    }
  }

  private static String describe(WebServer.Route route, String what, Response r) {
    String body = r.body().length() > 200 ? r.body().substring(0, 200) + "…" : r.body();
    return route.method() + " " + route.path() + " [" + what + "] -> " + r.status() + " " + body;
  }

  private Response send(String method, String path, List<String> headers, byte[] body)
      throws Exception {
    try (Socket s = new Socket("localhost", node.port())) {
      s.setSoTimeout(30_000);
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write(
          bytes(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"));
      for (String h : headers) {
        req.write(h.getBytes(StandardCharsets.UTF_8));
        req.write(bytes("\r\n"));
      }
      req.write(
          bytes("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"));
      req.write(body);
      OutputStream out = s.getOutputStream();
      try {
        out.write(req.toByteArray());
        out.flush();
      } catch (java.io.IOException answeredEarly) {
        // the server may answer and close before the whole body is sent
      }
      return parse(s.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws Exception {
    byte[] all = in.readAllBytes();
    String text = new String(all, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return new Response(-1, Map.of(), "no HTTP answer: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = dechunk(body);
    }
    return new Response(status, headers, body);
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int nl = body.indexOf("\r\n", i);
      if (nl < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(i, nl).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      // sizes count bytes; the answers are JSON, ASCII in practice
      out.append(body, nl + 2, Math.min(body.length(), nl + 2 + size));
      i = nl + 2 + size + 2;
    }
    return out.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
