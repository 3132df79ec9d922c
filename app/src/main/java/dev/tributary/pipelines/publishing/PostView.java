package dev.tributary.pipelines.publishing;

import java.time.Instant;
import java.util.UUID;

/** One publishable row as operators see it. */
public record PostView(
    String source,
    UUID id,
    String status,
    Instant dueAt,
    Instant publishedAt,
    String externalPostId,
    String postUrl,
    int attempts,
    String errorMessage,
    String preview) {}
