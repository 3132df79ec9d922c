package dev.tributary.web.search;

import dev.tributary.search.SearchService;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import java.util.function.Supplier;

/**
 * {@code POST /rest/v1/rpc/<function>} (the seven match functions, served from the index, with the
 * SQL functions' named arguments as a JSON object) and {@code POST /api/search} (text query). Both
 * read indexed text, so they take the service key or a user's token; the anon key too when the
 * deployment sets one, as the original platform's anon key allows.
 */
public final class SearchRoutes implements WebServer.Routes {
  private static final Role[] READERS = {Role.SERVICE, Role.USER, Role.ANON};

  private final SearchService service;

  public SearchRoutes(SearchService service) {
    this.service = service;
  }

  @Override
  public void accept(Javalin app) {
    app.post(
        "/rest/v1/rpc/{function}",
        ctx -> ctx.json(answer(() -> service.rpc(ctx.pathParam("function"), JsonBody.object(ctx)))),
        READERS);
    app.post(
        "/api/search",
        ctx ->
            ctx.json(
                answer(
                    () -> service.searchText(JsonBody.read(ctx, SearchService.TextQuery.class)))),
        READERS);
  }

  private static <T> T answer(Supplier<T> search) {
    try {
      return search.get();
    } catch (SearchService.InvalidSearch e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (SearchService.ModelUnavailable e) {
      throw new ApiException(503, "model_unavailable", e.getMessage());
    }
  }
}
