package dev.tributary.web.compat;

import dev.tributary.web.ApiException;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The original platform's gateway shape over the node's own routes, for its JavaScript client
 * ({@code supabase.functions.invoke}, {@code supabase.rpc}) and browsers: CORS headers on every
 * {@code /functions/v1/*} and {@code /rest/v1/*} answer, the browser's preflight ({@code OPTIONS},
 * no credentials, as browsers send it), and a JSON 404 naming the functions this node serves when a
 * caller invokes one it does not. Added after every other route group: the functions themselves
 * match first.
 */
public final class FunctionsGateway implements WebServer.Routes {
  public static final String FUNCTIONS = "/functions/v1/";
  public static final String REST = "/rest/v1/";

  /** The seed's corsHeaders, plus the headers supabase-js and postgrest-js send. */
  static final Map<String, String> CORS =
      Map.of(
          "Access-Control-Allow-Origin", "*",
          "Access-Control-Allow-Headers",
              "authorization, x-client-info, apikey, content-type, x-scheduler-secret,"
                  + " content-profile, accept-profile, prefer, x-region",
          "Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");

  /** Whoever may call a function at all: the 404 is for callers with some valid credential. */
  private static final Role[] CALLERS = {
    Role.SERVICE, Role.SCHEDULER, Role.USER, Role.ANON, Role.QSTASH
  };

  @Override
  public void accept(Javalin app) {
    app.before(FUNCTIONS + "*", ctx -> CORS.forEach(ctx::header));
    app.before(REST + "*", ctx -> CORS.forEach(ctx::header));
    // a preflight reads nothing and carries no credentials by design
    app.options(FUNCTIONS + "<name>", ctx -> ctx.result("ok"), Role.PUBLIC);
    app.options(REST + "<path>", ctx -> ctx.result("ok"), Role.PUBLIC);
    for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
      app.addHttpHandler(
          method,
          FUNCTIONS + "{name}",
          ctx -> {
            throw new ApiException(
                404,
                "function_not_found",
                "no function '"
                    + ctx.pathParam("name")
                    + "' on this node; it serves "
                    + String.join(", ", served(app)));
          },
          CALLERS);
    }
  }

  /** The function names this server has routes for (read from the router, so never stale). */
  static List<String> served(Javalin app) {
    TreeSet<String> names = new TreeSet<>();
    app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
        .map(e -> e.getEndpoint().getPath())
        .filter(p -> p.startsWith(FUNCTIONS) && !p.contains("{") && !p.contains("<"))
        .map(p -> p.substring(FUNCTIONS.length()))
        .forEach(names::add);
    return List.copyOf(names);
  }
}
