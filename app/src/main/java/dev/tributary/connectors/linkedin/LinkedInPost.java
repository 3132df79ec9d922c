package dev.tributary.connectors.linkedin;

import java.time.Instant;

/**
 * One item of {@code /get-profile-posts}, reduced to what the pipeline stores. For a reshare the
 * text, counts and date are the original post's (the provider reports them so); the pipeline drops
 * reshares anyway.
 *
 * @param urn bare activity id, e.g. {@code 7451139979067449344}; empty when the provider omitted it
 * @param postUrl the dedupe key; built from the urn when the provider omitted it
 * @param text empty when missing
 * @param postedAt null when missing or unreadable ({@code posted} is UTC without a zone)
 * @param authorPublicId the poster's public id, empty when missing
 */
public record LinkedInPost(
    String urn,
    String postUrl,
    String text,
    boolean reshared,
    int likes,
    int comments,
    int reposts,
    int reactions,
    Instant postedAt,
    String authorPublicId,
    String authorName) {

  /** likes + comments: the seed's engagement measure (S0.5). */
  public int engagement() {
    return likes + comments;
  }
}
