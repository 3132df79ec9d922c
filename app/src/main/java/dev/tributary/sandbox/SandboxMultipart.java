package dev.tributary.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The sandbox's reading of a {@code multipart/form-data} body: named text fields and files. */
record SandboxMultipart(List<Part> parts) {
  record Part(String name, String fileName, byte[] data) {}

  static SandboxMultipart parse(String contentType, byte[] body) {
    if (contentType == null || !contentType.startsWith("multipart/form-data")) {
      throw new IllegalArgumentException("the body must be multipart/form-data");
    }
    int at = contentType.indexOf("boundary=");
    if (at < 0) {
      throw new IllegalArgumentException("the multipart body has no boundary");
    }
    String boundary =
        "--" + contentType.substring(at + "boundary=".length()).replace("\"", "").strip();
    // ISO-8859-1 maps each byte to one char, so indexes are byte offsets
    String raw = new String(body, StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int pos = raw.indexOf(boundary);
    if (pos < 0) {
      throw new IllegalArgumentException("the multipart body does not start with its boundary");
    }
    while (true) {
      int start = pos + boundary.length();
      if (raw.startsWith("--", start)) {
        break;
      }
      int headersEnd = raw.indexOf("\r\n\r\n", start);
      int next = raw.indexOf("\r\n" + boundary, headersEnd < 0 ? start : headersEnd);
      if (headersEnd < 0 || next < 0) {
        throw new IllegalArgumentException("a multipart part is cut short");
      }
      String headers = raw.substring(start, headersEnd);
      byte[] data = new byte[next - (headersEnd + 4)];
      System.arraycopy(body, headersEnd + 4, data, 0, data.length);
      parts.add(new Part(param(headers, "name"), param(headers, "filename"), data));
      pos = next + 2;
    }
    return new SandboxMultipart(parts);
  }

  private static String param(String headers, String name) {
    String key = "; " + name + "=\"";
    int at = headers.indexOf(key);
    if (at < 0) {
      return null;
    }
    int end = headers.indexOf('"', at + key.length());
    return headers.substring(at + key.length(), end);
  }

  String field(String name) {
    for (Part p : parts) {
      if (name.equals(p.name()) && p.fileName() == null) {
        return new String(p.data(), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  int files(String name) {
    return (int) parts.stream().filter(p -> name.equals(p.name()) && p.fileName() != null).count();
  }
}
