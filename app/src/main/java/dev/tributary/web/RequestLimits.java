package dev.tributary.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.HttpInput;
import org.eclipse.jetty.server.Request;

/**
 * The bounds every request meets before Javalin sees it, as a servlet filter in front of the
 * router:
 *
 * <ul>
 *   <li>at most {@code maxConcurrent} requests at once (not counting {@code /health}); the next one
 *       gets 503 with {@code Retry-After} at once instead of queueing behind the others;
 *   <li>a body of at most {@code maxBodyBytes}: a larger {@code Content-Length} gets 413 before a
 *       byte is read, and a body without one (chunked) is counted as Jetty reads it, at the
 *       connection's input, so the limit holds for every reader: {@code ctx.body()}, a JSON reader,
 *       and the multipart parser alike. Past the limit the read fails with {@link TooLarge}, which
 *       the server answers with 413.
 * </ul>
 */
final class RequestLimits implements Filter {
  private final long maxBodyBytes;
  private final Semaphore permits;

  RequestLimits(long maxBodyBytes, int maxConcurrent) {
    this.maxBodyBytes = maxBodyBytes;
    this.permits = new Semaphore(maxConcurrent);
  }

  /** A body that went past the limit while it was being read. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) {
      super("the request body is larger than " + limit + " bytes");
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if ("/health".equals(request.getRequestURI())) {
      chain.doFilter(req, res);
      return;
    }
    if (!permits.tryAcquire()) {
      response.setHeader("Retry-After", "1");
      refuse(
          response,
          503,
          "overloaded",
          "the server is handling as many requests as it takes at once; retry shortly");
      return;
    }
    try {
      long declared = request.getContentLengthLong();
      if (declared > maxBodyBytes) {
        response.setHeader("Connection", "close");
        refuse(response, 413, "payload_too_large", new TooLarge(maxBodyBytes).getMessage());
        return;
      }
      Request base = Request.getBaseRequest(req);
      if (base != null && declared < 0) {
        base.getHttpInput().addInterceptor(new Counting(maxBodyBytes));
      }
      chain.doFilter(req, res);
    } finally {
      permits.release();
    }
  }

  private static void refuse(HttpServletResponse response, int status, String error, String message)
      throws IOException {
    byte[] body = WebServer.JSON.writeValueAsBytes(WebServer.errorBody(error, message));
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Counts the bytes of a body as Jetty hands them to whoever reads the request. */
  private static final class Counting implements HttpInput.Interceptor {
    private final long limit;
    private long seen;

    Counting(long limit) {
      this.limit = limit;
    }

    @Override
    public HttpInput.Content readFrom(HttpInput.Content content) {
      if (content != null && !content.isSpecial()) {
        seen += content.remaining();
        if (seen > limit) {
          throw new TooLarge(limit);
        }
      }
      return content;
    }
  }
}
