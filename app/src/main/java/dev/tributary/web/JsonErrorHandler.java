package dev.tributary.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own answers (a request it cannot parse: a NUL or a bad character in a header, a bad
 * request line) in the API's shape, {@code {error, message}} as JSON, instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    baseRequest.setHandled(true);
    int status = response.getStatus();
    byte[] body = body(status, (String) request.getAttribute("jakarta.servlet.error.message"));
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static byte[] body(int status, String reason) {
    String error =
        status >= 500 ? "internal_error" : status == 413 ? "payload_too_large" : "bad_request";
    String message =
        reason == null || reason.isBlank() ? "the server could not read the request" : reason;
    try {
      return WebServer.JSON.writeValueAsBytes(
          WebServer.errorBody(error, "HTTP " + status + ": " + message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of two strings is always JSON", e);
    }
  }
}
