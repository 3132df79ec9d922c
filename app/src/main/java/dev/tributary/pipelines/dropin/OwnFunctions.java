package dev.tributary.pipelines.dropin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The short path of {@code net} requests to this deployment's own functions: a URL under {@code
 * <TRIBUTARY_PUBLIC_URL>/functions/v1/} is sent to this node's HTTP server on the loopback
 * interface instead of out through DNS, the load balancer and TLS. The request keeps its method,
 * headers and body and goes through the same routes and the same access step, so it is authorised
 * exactly as it would have been from outside. Anything else (another scheme, host, port or path, a
 * path with {@code .} or {@code ..} segments or percent-escapes, user info) goes out unchanged.
 *
 * @param publicUrl this deployment's public base URL, without a trailing slash
 * @param localPort the port this node's HTTP server listens on
 */
record OwnFunctions(URI publicUrl, int localPort) {
  static final String FUNCTIONS_PATH = "/functions/v1/";

  /** The loopback URL to send {@code url} to, or empty when it is not one of our functions. */
  Optional<URI> shortPath(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String base = publicUrl.getRawPath() == null ? "" : publicUrl.getRawPath();
    String path = u.getRawPath();
    if (u.getScheme() == null
        || !u.getScheme().equalsIgnoreCase(publicUrl.getScheme())
        || u.getHost() == null
        || !u.getHost().equalsIgnoreCase(publicUrl.getHost())
        || port(u) != port(publicUrl)
        || u.getRawUserInfo() != null
        || path == null
        || !path.startsWith(base + FUNCTIONS_PATH)
        || path.indexOf('%') >= 0
        || !u.normalize().getRawPath().equals(path)) {
      return Optional.empty();
    }
    String local =
        "http://127.0.0.1:"
            + localPort
            + path.substring(base.length())
            + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    return Optional.of(URI.create(local));
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equals(u.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
  }
}
