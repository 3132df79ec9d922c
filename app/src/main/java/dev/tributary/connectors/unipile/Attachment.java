package dev.tributary.connectors.unipile;

import java.util.Objects;

/** One file sent as an {@code attachments} part of a post. */
public record Attachment(String fileName, String contentType, byte[] data) {
  public Attachment {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(data, "data");
    contentType =
        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    // a quote or line break would break out of the part's header
    fileName = fileName.replaceAll("[\"\\r\\n\\\\]", "_");
  }
}
