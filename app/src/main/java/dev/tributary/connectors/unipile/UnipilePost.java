package dev.tributary.connectors.unipile;

import java.time.Instant;

/**
 * A post as Unipile reads it back ({@code object: "Post"}): its id (the LinkedIn activity id),
 * share URL, text and when it was published ({@code parsed_datetime}, null when the provider gave
 * none).
 */
public record UnipilePost(
    String id,
    String socialId,
    String shareUrl,
    String text,
    Instant publishedAt,
    boolean byCompany) {}
