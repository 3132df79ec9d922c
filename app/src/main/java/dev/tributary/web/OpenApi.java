package dev.tributary.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the running server, made from the routes it actually registered (so
 * no route is missing and none is invented) with each route's roles as its security and the {@code
 * {error, message}} answers every route shares. Summaries come from {@code openapi-summaries.txt}
 * ({@code METHOD path summary}, one per line).
 */
public final class OpenApi {
  /** One registered route. */
  public record Endpoint(String method, String path, Set<Role> roles) {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
  static final Set<HandlerType> HTTP =
      EnumSet.of(
          HandlerType.GET,
          HandlerType.POST,
          HandlerType.PUT,
          HandlerType.PATCH,
          HandlerType.DELETE,
          HandlerType.OPTIONS,
          HandlerType.HEAD);

  private OpenApi() {}

  static Endpoint endpoint(HandlerType type, String path, Set<RouteRole> roles) {
    Set<Role> rs = EnumSet.noneOf(Role.class);
    for (RouteRole r : roles) {
      rs.add((Role) r);
    }
    return new Endpoint(type.name(), path, rs);
  }

  /** The summaries file: {@code "GET /api/jobs"} to its one-line summary. */
  public static Map<String, String> summaries() {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = OpenApi.class.getResourceAsStream("/openapi-summaries.txt")) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        int gap = l.indexOf("  ");
        String key = gap < 0 ? l : l.substring(0, gap).strip();
        out.put(key, gap < 0 ? "" : l.substring(gap).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static ObjectNode document(List<Endpoint> endpoints) {
    Map<String, String> summaries = summaries();
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Tributary");
    info.put("version", "0.1.0");
    info.put(
        "description",
        "Sync-and-enrichment engine on PostgreSQL. Every route declares who may call it; errors"
            + " answer {\"error\", \"message\"}.");
    Map<String, ObjectNode> paths = new TreeMap<>();
    for (Endpoint e : endpoints) {
      String path = e.path().replaceAll("<([^>]+)>", "{$1}");
      ObjectNode item = paths.computeIfAbsent(path, p -> F.objectNode());
      item.set(e.method().toLowerCase(Locale.ROOT), operation(e, path, summaries));
    }
    ObjectNode p = doc.putObject("paths");
    paths.forEach(p::set);
    doc.set("components", components());
    return doc;
  }

  private static ObjectNode operation(Endpoint e, String path, Map<String, String> summaries) {
    ObjectNode op = F.objectNode();
    String key = e.method() + " " + e.path();
    op.put("summary", summaries.getOrDefault(key, key));
    op.put(
        "operationId",
        (e.method().toLowerCase(Locale.ROOT) + path).replaceAll("[^A-Za-z0-9]+", "_"));
    ArrayNode params = F.arrayNode();
    Matcher m = PATH_PARAM.matcher(path);
    while (m.find()) {
      ObjectNode param = params.addObject();
      param.put("name", m.group(1));
      param.put("in", "path");
      param.put("required", true);
      param.putObject("schema").put("type", "string");
    }
    if (!params.isEmpty()) {
      op.set("parameters", params);
    }
    ArrayNode security = op.putArray("security");
    boolean open = e.roles().contains(Role.PUBLIC);
    if (!open) {
      for (Role r : e.roles()) {
        security.addObject().putArray(scheme(r));
      }
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject("200");
    ok.put("description", "success (some actions answer 201 or 202)");
    ok.putObject("content").putObject("application/json").putObject("schema");
    error(responses, "400", "bad input: a malformed, unknown or out-of-range value");
    if (!open) {
      error(responses, "401", "missing or invalid credentials");
      error(responses, "403", "valid credentials without this route's role");
    }
    error(responses, "404", "no such resource");
    error(responses, "409", "the resource changed since it was read (e.g. a job's state)");
    error(responses, "500", "the server failed; see its log");
    error(responses, "503", "the feature is off on this node (the message names the variable)");
    return op;
  }

  private static void error(ObjectNode responses, String status, String description) {
    ObjectNode r = responses.putObject(status);
    r.put("description", description);
    r.putObject("content")
        .putObject("application/json")
        .putObject("schema")
        .put("$ref", "#/components/schemas/Error");
  }

  static String scheme(Role r) {
    return switch (r) {
      case SERVICE -> "serviceKey";
      case SCHEDULER -> "schedulerSecret";
      case USER -> "userJwt";
      case QSTASH -> "qstashSignature";
      case ANON -> "anonKey";
      case METRICS -> "metricsToken";
      case ENGAGEMENT_UPDATE -> "engagementUpdateSecret";
      case ADMIN -> "adminKey";
      case PUBLIC -> throw new IllegalArgumentException("PUBLIC needs no scheme");
    };
  }

  private static ObjectNode components() {
    ObjectNode c = F.objectNode();
    ObjectNode error = c.putObject("schemas").putObject("Error");
    error.put("type", "object");
    error.putArray("required").add("error").add("message");
    ObjectNode props = error.putObject("properties");
    props.putObject("error").put("type", "string").put("description", "a short code");
    props.putObject("message").put("type", "string").put("description", "what went wrong");
    ObjectNode s = c.putObject("securitySchemes");
    bearer(s, "serviceKey", "Authorization: Bearer <SERVICE_ROLE_KEY> (operators)");
    s.putObject("userJwt")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("bearerFormat", "JWT")
        .put("description", "a user's HS256 token signed with JWT_SECRET; sub is the user id");
    bearer(s, "anonKey", "Authorization: Bearer <ANON_KEY> (or the apikey header)");
    bearer(s, "metricsToken", "Authorization: Bearer <METRICS_TOKEN>");
    bearer(s, "adminKey", "Authorization: Bearer <ADMIN_KEY> (administrators' acts)");
    bearer(
        s,
        "engagementUpdateSecret",
        "Authorization: Bearer <ENGAGEMENT_UPDATE_SECRET> (the engagement batch route)");
    header(s, "schedulerSecret", Access.SCHEDULER_HEADER, "the SCHEDULER_SECRET");
    header(s, "qstashSignature", Access.QSTASH_HEADER, "QStash's signature of the raw body");
    return c;
  }

  private static void bearer(ObjectNode s, String name, String description) {
    s.putObject(name).put("type", "http").put("scheme", "bearer").put("description", description);
  }

  private static void header(ObjectNode s, String name, String header, String description) {
    s.putObject(name)
        .put("type", "apiKey")
        .put("in", "header")
        .put("name", header)
        .put("description", description);
  }
}
