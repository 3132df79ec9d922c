package dev.tributary.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tributary.config.LimitsSettings;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server. Routes come from {@link Routes} contributions; errors from every handler pass
 * through one mapper that answers {@code {"error", "message"}} and never leaks a stack trace.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** A group of routes a pipeline or subsystem adds to the server. */
  @FunctionalInterface
  public interface Routes extends Consumer<Javalin> {}

  private final Javalin app;

  private WebServer(Javalin app) {
    this.app = app;
  }

  /** Largest request body any route takes by default; see {@link LimitsSettings}. */
  public static final long MAX_REQUEST_BYTES = LimitsSettings.DEFAULT_MAX_REQUEST_BYTES;

  public static WebServer start(
      int port, DataSource dataSource, Access access, List<Routes> routes) {
    return start(port, dataSource, access, routes, LimitsSettings.DEFAULTS);
  }

  /**
   * The server with its bounds: body size (whatever the encoding) and requests at once (see {@link
   * RequestLimits}); {@code dataSource} serves {@code /health}.
   */
  public static WebServer start(
      int port, DataSource dataSource, Access access, List<Routes> routes, LimitsSettings limits) {
    RequestLimits bounds =
        new RequestLimits(limits.maxRequestBytes(), limits.maxConcurrentRequests());
    List<OpenApi.Endpoint> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              config.jsonMapper(new JavalinJackson(JSON, true));
              config.http.maxRequestSize = limits.maxRequestBytes();
              config.jetty.multipartConfig.maxTotalRequestSize(
                  limits.maxRequestBytes(), SizeUnit.BYTES);
              config.jetty.multipartConfig.maxFileSize(limits.maxRequestBytes(), SizeUnit.BYTES);
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              config.jetty.modifyServletContextHandler(
                  h -> h.setErrorHandler(new JsonErrorHandler()));
              config.jetty.modifyServletContextHandler(
                  h ->
                      h.addFilter(
                          new FilterHolder(bounds), "/*", EnumSet.of(DispatcherType.REQUEST)));
              config.events(
                  e ->
                      e.handlerAdded(
                          h -> {
                            if (OpenApi.HTTP.contains(h.getHttpMethod())) {
                              endpoints.add(
                                  OpenApi.endpoint(h.getHttpMethod(), h.getPath(), h.getRoles()));
                            }
                          }));
            });
    mapErrors(app, limits);
    app.before(WebServer::rejectNulInUrl);
    app.beforeMatched(access::check);
    app.get(
        "/health",
        ctx -> {
          Map<String, Object> body = new LinkedHashMap<>();
          boolean up = databaseUp(dataSource);
          body.put("status", up ? "ok" : "degraded");
          body.put("database", up ? "up" : "down");
          ctx.status(up ? 200 : 503).json(body);
        },
        Role.PUBLIC);
    for (Routes r : new ArrayList<>(routes)) {
      r.accept(app);
    }
    // the document of the routes this server registered, itself included
    app.get(
        "/openapi.json", ctx -> ctx.json(OpenApi.document(List.copyOf(endpoints))), Role.PUBLIC);
    app.start(port);
    return new WebServer(app);
  }

  /** One mapper from every failure to {@code {error, message}} with its status. */
  private static void mapErrors(Javalin app, LimitsSettings limits) {
    app.exception(
        ApiException.class,
        (e, ctx) -> {
          // once per refused request, with what the caller was told: messages carry no secret
          log.info("{} {} -> {} {}", ctx.method(), ctx.path(), e.status(), e.getMessage());
          ctx.status(e.status()).json(errorBody(e.error(), e.getMessage()));
        });
    app.exception(
        JsonProcessingException.class,
        (e, ctx) ->
            ctx.status(400)
                .json(
                    errorBody(
                        "bad_request",
                        "request body is not valid JSON: " + e.getOriginalMessage())));
    app.exception(
        io.javalin.http.HttpResponseException.class,
        (e, ctx) ->
            ctx.status(e.getStatus()).json(errorBody(statusWord(e.getStatus()), e.getMessage())));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          if (causedBy(e, RequestLimits.TooLarge.class)) {
            ctx.header("Connection", "close");
            ctx.status(413)
                .json(
                    errorBody(
                        "payload_too_large",
                        "the request body is larger than " + limits.maxRequestBytes() + " bytes"));
            return;
          }
          log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
          ctx.status(500)
              .json(
                  errorBody(
                      "internal_error", "the server failed to handle the request; see its log"));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            ctx.json(errorBody("not_found", "no route for " + ctx.method() + " " + ctx.path()));
          }
        });
  }

  public static Map<String, Object> errorBody(String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    return body;
  }

  /**
   * PostgreSQL refuses NUL in text, so a NUL in a path or query parameter would surface as a 500
   * from deep inside a query; it is a bad request, answered before any handler.
   */
  private static void rejectNulInUrl(io.javalin.http.Context ctx) {
    String query = ctx.queryString();
    if (ctx.path().indexOf('\u0000') >= 0
        || ctx.path().toLowerCase(java.util.Locale.ROOT).contains("%00")
        || (query != null && query.toLowerCase(java.util.Locale.ROOT).contains("%00"))
        || ctx.queryParamMap().values().stream()
            .flatMap(List::stream)
            .anyMatch(v -> v.indexOf('\u0000') >= 0)) {
      throw ApiException.badRequest("the URL contains a NUL character");
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String statusWord(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      default -> "http_" + status;
    };
  }

  private static boolean databaseUp(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  public int port() {
    return app.port();
  }

  /** One route as the server registered it: method, path pattern, the roles it declared. */
  public record Route(String method, String path, java.util.Set<String> roles) {}

  /** Every HTTP route of the running server (the fuzz test walks them all). */
  public List<Route> routes() {
    return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.getEndpoint().getMethod().isHttpMethod()) // not before/after filters
        .map(
            e ->
                new Route(
                    e.getEndpoint().getMethod().name(),
                    e.getEndpoint().getPath(),
                    e.getEndpoint().getRoles().stream()
                        .map(Object::toString)
                        .collect(java.util.stream.Collectors.toSet())))
        .toList();
  }

  @Override
  public void close() {
    app.stop();
  }
}
