package dev.tributary.web.console;

import dev.tributary.web.ApiException;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The operator console at {@code /console}: static HTML, CSS and JavaScript from the jar (no build
 * step, no third-party host). The files hold no data, so they are open; every number they show
 * comes from the authenticated JSON API with the credential the operator signs in with.
 */
public final class ConsoleRoutes implements WebServer.Routes {
  public static final String PATH = "/console";
  private static final String ROOT = "console/";

  /** The files the console serves, with their types: nothing else under /console is read. */
  static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "console.css", "text/css; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "views.js", "text/javascript; charset=utf-8",
          "charts.js", "text/javascript; charset=utf-8");

  @Override
  public void accept(Javalin app) {
    app.get(PATH, ctx -> serve(ctx, "index.html"), Role.PUBLIC);
    app.get(PATH + "/{file}", ctx -> serve(ctx, ctx.pathParam("file")), Role.PUBLIC);
  }

  private static void serve(Context ctx, String file) throws IOException {
    String type = FILES.get(file);
    if (type == null) {
      throw ApiException.notFound("no console file '" + file + "'");
    }
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw ApiException.notFound("no console file '" + file + "'");
      }
      // the page sends no referrer, loads nothing from elsewhere and is never framed by others
      ctx.header("Content-Security-Policy", CSP)
          .header("Referrer-Policy", "no-referrer")
          .header("X-Content-Type-Options", "nosniff")
          .header("Cache-Control", "no-cache")
          .contentType(type)
          .result(in.readAllBytes());
    }
  }

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
}
