package dev.tributary.sandbox;

import java.time.Instant;

/**
 * A generated post as the sandbox serves it. Fields left null are omitted from the JSON, to
 * exercise clients against the provider's habit of leaving fields out.
 *
 * @param urn bare activity id
 * @param reshared true for a reshare: then author fields name the original author
 */
public record SyntheticPost(
    String urn,
    String postUrl,
    String text,
    boolean reshared,
    Integer likes,
    Integer comments,
    Integer reposts,
    Integer empathy,
    Integer praises,
    Instant posted,
    String authorPublicId,
    String authorFirst,
    String authorLast,
    String authorHeadline) {

  public int reactions() {
    return nz(likes) + nz(empathy) + nz(praises);
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }
}
