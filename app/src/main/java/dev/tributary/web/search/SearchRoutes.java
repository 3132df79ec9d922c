package dev.tributary.web.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.search.SearchService;
import dev.tributary.web.ApiException;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /rest/v1/rpc/<function>} (the seven match functions, served from the index, with the
 * SQL functions' named arguments as a JSON object) and {@code POST /api/search} (text query).
 */
public final class SearchRoutes implements WebServer.Routes {
  private final SearchService service;

  public SearchRoutes(SearchService service) {
    this.service = service;
  }

  @Override
  public void accept(Javalin app) {
    app.post(
        "/rest/v1/rpc/{function}",
        ctx -> ctx.json(service.rpc(ctx.pathParam("function"), body(ctx))));
    app.post("/api/search", ctx -> ctx.json(service.searchText(body(ctx))));
  }

  static JsonNode body(Context ctx) throws java.io.IOException {
    String raw = ctx.body();
    if (raw.isBlank()) {
      throw ApiException.badRequest("the request needs a JSON body");
    }
    return WebServer.JSON.readTree(raw);
  }
}
