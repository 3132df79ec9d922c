package dev.tributary.connectors.unipile;

import dev.tributary.connectors.ConnectorException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Downloads a post's media (e.g. images served from Cloudflare Images) to attach them, with a size
 * limit and a time limit. Any failure is final for that post: it is never published without its
 * images. Only http and https URLs are fetched; redirects are followed (image CDNs use them).
 */
public final class MediaFetcher {
  public static final String VENDOR = "media";
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http;
  private final long maxBytes;
  private final Duration timeout;

  public MediaFetcher(long maxBytes, Duration timeout) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public static MediaFetcher defaults() {
    return new MediaFetcher(DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT);
  }

  /** The file at {@code url} as an attachment named {@code name}. */
  public Attachment fetch(String url, String name, String declaredType) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw fail(name, "its URL is not valid");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw fail(name, "its URL is not an http(s) URL");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw fail(name, "the server answered HTTP " + response.statusCode());
        }
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > maxBytes) {
          throw fail(name, "it has " + declared + " bytes, more than the limit of " + maxBytes);
        }
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (data.length > maxBytes) {
          throw fail(name, "it is larger than the limit of " + maxBytes + " bytes");
        }
        if (data.length == 0) {
          throw fail(name, "it is empty");
        }
        String type =
            response.headers().firstValue("content-type").orElse(contentType(declaredType));
        return new Attachment(fileName(name, uri), type, data);
      }
    } catch (HttpTimeoutException e) {
      throw fail(name, "no answer within " + timeout);
    } catch (IOException e) {
      throw fail(
          name,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(name, "interrupted");
    }
  }

  private static ConnectorException fail(String name, String why) {
    return ConnectorException.invalid(
        VENDOR, "media '" + name + "' could not be downloaded: " + why);
  }

  private static String contentType(String declaredType) {
    if (declaredType == null) {
      return "application/octet-stream";
    }
    return switch (declaredType) {
      case "image" -> "image/jpeg";
      case "video" -> "video/mp4";
      default -> declaredType.contains("/") ? declaredType : "application/octet-stream";
    };
  }

  private static String fileName(String name, URI uri) {
    if (name != null && !name.isBlank()) {
      return name;
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isBlank() ? "attachment" : last;
  }
}
