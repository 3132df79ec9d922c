package dev.tributary.connectors.unipile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A {@code multipart/form-data} body (RFC 7578): text fields and files, in the order added. */
final class Multipart {
  private final String boundary = "tributary-" + UUID.randomUUID();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  void field(String name, String value) {
    head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
    write(value.getBytes(StandardCharsets.UTF_8));
    write("\r\n");
  }

  void file(String name, String fileName, String contentType, byte[] data) {
    head(
        "Content-Disposition: form-data; name=\""
            + name
            + "\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: "
            + contentType
            + "\r\n");
    write(data);
    write("\r\n");
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  byte[] bytes() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return copy.toByteArray();
  }

  private void head(String headers) {
    write("--" + boundary + "\r\n" + headers + "\r\n");
  }

  private void write(String s) {
    write(s.getBytes(StandardCharsets.UTF_8));
  }

  private void write(byte[] b) {
    out.writeBytes(b);
  }
}
